package io.helpstream.agent.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.helpstream.tools.ToolResult.CustomerFound;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.tools.ToolResult.VerificationPassed;
import io.helpstream.tools.ToolResult;
import io.helpstream.tools.ToolResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the offline model reads from a request: the message being answered, the tool calls and results of this turn
 * so far, and what the conversation reveals about the customer. Tool results are read as {@link ToolResult}s; only
 * the session message the agent writes about the customer is read as text.
 */
final class TurnReading {

    private static final Pattern SESSION_VERIFIED =
            Pattern.compile("(?m)^- Customer email: (\\S+@\\S+) \\(verified\\)");
    private static final Pattern SESSION_CLAIMED =
            Pattern.compile("(?m)^- Customer email: (\\S+@\\S+) \\(claimed");
    private static final Pattern SESSION_CODE_SENT = Pattern.compile("(?m)^- A one-time code was sent");
    private static final Pattern SESSION_NAME = Pattern.compile("(?m)^- Customer name: (.+?)\\s*$");

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

    /**
     * The customer's verified email: from the session message, a code that passed in this turn or a successful
     * look-up (which only a verified conversation gets). Only with it does the model act on the account.
     */
    Optional<String> knownEmail() {
        return fromSession(SESSION_VERIFIED)
                .or(() -> resultsThisTurn().stream().map(r -> ToolResults.read(r.text(), VerificationPassed.class))
                        .flatMap(Optional::stream).map(VerificationPassed::email).findFirst())
                .or(() -> lastLookup().map(CustomerFound::email));
    }

    /** The email the customer claimed (typed) and has not verified yet. */
    Optional<String> claimedEmail() {
        return knownEmail().isPresent() ? Optional.empty() : fromSession(SESSION_CLAIMED);
    }

    /** True when a one-time code was sent for the claimed email and awaits entry. */
    boolean codePending() {
        return messages.stream().filter(SystemMessage.class::isInstance)
                .anyMatch(m -> SESSION_CODE_SENT.matcher(((SystemMessage) m).text()).find());
    }

    /** True when a tool of this turn already answered with a result of that kind. */
    boolean resultThisTurn(Class<? extends ToolResult> kind) {
        return resultsThisTurn().stream().anyMatch(r -> ToolResults.read(r.text(), kind).isPresent());
    }

    /** An email the customer wrote earlier in the conversation, newest first. */
    Optional<String> mentionedEmail() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                Optional<String> email = first(Intents.EMAIL, user.singleText(), 0);
                if (email.isPresent()) {
                    return email;
                }
            }
        }
        return Optional.empty();
    }

    Optional<String> customerName() {
        return lastLookup().map(CustomerFound::name).or(() -> fromSession(SESSION_NAME));
    }

    /** A ticket this conversation opened before the current message. */
    Optional<String> ticketOpenedEarlier() {
        for (int i = userIndex - 1; i >= 0; i--) {
            Optional<TicketCreated> created = result(messages.get(i), TicketCreated.class);
            if (created.isPresent()) {
                return created.map(TicketCreated::ticketId);
            }
        }
        return Optional.empty();
    }

    /** The result a message carries, when it is a tool result of that kind. */
    private static <T extends ToolResult> Optional<T> result(ChatMessage message, Class<T> kind) {
        return message instanceof ToolExecutionResultMessage result ? ToolResults.read(result.text(), kind)
                : Optional.empty();
    }

    private Optional<CustomerFound> lastLookup() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Optional<CustomerFound> found = result(messages.get(i), CustomerFound.class);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<String> fromSession(Pattern line) {
        return messages.stream().filter(SystemMessage.class::isInstance).map(m -> ((SystemMessage) m).text())
                .map(text -> first(line, text, 1)).flatMap(Optional::stream).findFirst();
    }

    private List<ChatMessage> thisTurn() {
        return messages.subList(userIndex + 1, messages.size());
    }

    private static Optional<String> first(Pattern pattern, String text, int group) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(group)) : Optional.empty();
    }
}
