package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.SupportRepository;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Answers general questions from the FAQ. */
public final class FaqTool {

    private final SupportRepository repository;

    public FaqTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool("Answer a general question from the FAQ: return policy, shipping time, warranty, payment methods, "
            + "contact hours.")
    public String answerFaq(@P("The customer's question, mentioning its topic (e.g. 'What is your return policy?')")
                            String question) {
        if (question == null || question.isBlank()) {
            return "Please provide the question to answer.";
        }
        Optional<FaqEntry> entry = repository.findFaqAnswer(question.strip());
        if (entry.isPresent()) {
            return "FAQ (" + entry.get().topic() + "): " + entry.get().answer();
        }
        String topics = repository.faqEntries().stream().map(FaqEntry::topic).collect(Collectors.joining(", "));
        return "The FAQ has no answer for that question. Known topics: " + topics + ".";
    }
}
