package io.helpstream.agent.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the offline model reads from a request: the message being answered, the tool calls and results of this turn
 * so far, and what the conversation reveals about the customer.
 */
final class TurnReading {

    static final String LOOKUP = "lookupCustomer";
    static final String CREATE = "createTicket";
    private static final Pattern EMAIL_LINE = Pattern.compile("(?m)^(?:- )?(?:Customer )?[Ee]mail: (\\S+@\\S+)");
    private static final Pattern NAME_LINE = Pattern.compile("(?m)^(?:- )?Customer(?: name)?: ([^<\\n]+?)\\s*$");
    private static final Pattern CREATED = Pattern.compile("Support ticket (\\S+) created");

    private final List<ChatMessage> messages;
    private final int userIndex;

    TurnReading(List<ChatMessage> messages) {
        this.messages = List.copyOf(messages);
        int last = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage) {
                last = i;
            }
        }
        this.userIndex = last;
    }

    /** The customer message this turn answers; empty when the request has none. */
    String userText() {
        if (userIndex < 0) {
            return "";
        }
        UserMessage user = (UserMessage) messages.get(userIndex);
        return user.hasSingleText() ? user.singleText() : "";
    }

    /** The tools requested since the customer's message, in order. */
    List<ToolExecutionRequest> requestsThisTurn() {
        List<ToolExecutionRequest> requests = new ArrayList<>();
        for (ChatMessage message : thisTurn()) {
            if (message instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                requests.addAll(ai.toolExecutionRequests());
            }
        }
        return requests;
    }

    /** The tool results since the customer's message, in order. */
    List<ToolExecutionResultMessage> resultsThisTurn() {
        return thisTurn().stream().filter(ToolExecutionResultMessage.class::isInstance)
                .map(ToolExecutionResultMessage.class::cast).toList();
    }

    /** How many tool calls the whole request holds; new call ids continue from it so they stay unique. */
    int toolCallsSoFar() {
        return (int) messages.stream().filter(AiMessage.class::isInstance).map(AiMessage.class::cast)
                .filter(AiMessage::hasToolExecutionRequests).mapToLong(ai -> ai.toolExecutionRequests().size()).sum();
    }

    /** The customer's email as far as the system knows it: from the session message or a successful look-up. */
    Optional<String> knownEmail() {
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage system) {
                Matcher email = EMAIL_LINE.matcher(system.text());
                if (email.find()) {
                    return Optional.of(email.group(1));
                }
            }
        }
        return lastSuccessfulLookup().flatMap(text -> first(EMAIL_LINE, text));
    }

    /** An email the customer wrote earlier in the conversation, newest first. */
    Optional<String> mentionedEmail() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                Optional<String> email = first(Intents.EMAIL, user.singleText());
                if (email.isPresent()) {
                    return email;
                }
            }
        }
        return Optional.empty();
    }

    Optional<String> customerName() {
        Optional<String> fromLookup = lastSuccessfulLookup().flatMap(text -> first(NAME_LINE, text));
        if (fromLookup.isPresent()) {
            return fromLookup;
        }
        return messages.stream().filter(SystemMessage.class::isInstance).map(m -> ((SystemMessage) m).text())
                .map(text -> first(NAME_LINE, text)).flatMap(Optional::stream).findFirst();
    }

    /** A ticket this conversation opened before the current message. */
    Optional<String> ticketOpenedEarlier() {
        for (int i = userIndex - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolExecutionResultMessage result && CREATE.equals(result.toolName())) {
                Optional<String> id = first(CREATED, result.text());
                if (id.isPresent()) {
                    return id;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> lastSuccessfulLookup() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolExecutionResultMessage result && LOOKUP.equals(result.toolName())
                    && result.text().startsWith("Customer:")) {
                return Optional.of(result.text());
            }
        }
        return Optional.empty();
    }

    private List<ChatMessage> thisTurn() {
        return messages.subList(userIndex + 1, messages.size());
    }

    private static Optional<String> first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
