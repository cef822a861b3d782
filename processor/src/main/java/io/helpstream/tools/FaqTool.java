package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tools.ToolResult.FaqAnswer;
import io.helpstream.tools.ToolResult.FaqMiss;
import io.helpstream.tools.ToolResult.InvalidArgument;
import java.util.List;
import java.util.Objects;

/** Answers general questions from the FAQ. */
public final class FaqTool {

    private final SupportRepository repository;

    public FaqTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool(name = ToolNames.ANSWER_FAQ, value = "Answer a general question from the FAQ: return policy, shipping time, "
            + "warranty, payment methods, contact hours.")
    public String answerFaq(@P("The customer's question, mentioning its topic (e.g. 'What is your return policy?')")
                            String question) {
        return ToolResults.render(answer(question));
    }

    private ToolResult answer(String question) {
        if (question == null || question.isBlank()) {
            return new InvalidArgument("question", question, List.of());
        }
        return repository.findFaqAnswer(question.strip())
                .<ToolResult>map(entry -> new FaqAnswer(entry.topic(), entry.answer()))
                .orElseGet(() -> new FaqMiss(repository.faqEntries().stream().map(FaqEntry::topic).toList()));
    }
}
