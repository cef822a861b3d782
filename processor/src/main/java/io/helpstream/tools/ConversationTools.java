package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HistoryTurn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The session tools: remember and recall facts about this conversation. Changes go to the turn's outcome and are
 * applied to the stored conversation by the stream thread.
 */
public final class ConversationTools {

    /** The seed's topic keywords for summaries. */
    static final List<String> TOPICS =
            List.of("order", "refund", "shipping", "account", "technical", "billing", "support");
    static final String ADDITIONAL_INFO = "additional_info";
    private static final int RECENT_TURNS = 3;
    private static final int EXCERPT = 100;

    private final Clock clock;

    public ConversationTools(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Tool("Remember the customer's email address (and optionally other information) for the rest of this "
            + "conversation.")
    public String rememberCustomerInfo(@P("The customer's email address") String customerEmail,
                                       @P(value = "Any additional information worth remembering", defaultValue = "")
                                       String additionalInfo,
                                       InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        if (customerEmail == null || customerEmail.isBlank()) {
            return "Please provide the customer's email address.";
        }
        String email = customerEmail.strip();
        Optional<CustomerBinding> bound = turn.customer();
        if (bound.isPresent() && !bound.get().getEmail().equalsIgnoreCase(email)) {
            return "This conversation already belongs to " + bound.get().getEmail() + "; I can't switch it to "
                    + email + ".";
        }
        if (bound.isEmpty()) {
            turn.bindCustomer(new CustomerBinding(email, null, null, false));
        }
        if (additionalInfo != null && !additionalInfo.isBlank()) {
            turn.rememberContext(ADDITIONAL_INFO, additionalInfo.strip());
            return "Remembered customer email " + email + " and: " + additionalInfo.strip();
        }
        return "Remembered customer email " + email + ".";
    }

    @Tool("Recall what is known about this conversation: the customer, remembered context and recent messages.")
    public String recallConversationContext(InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        ConversationState conversation = turn.conversation();
        StringBuilder text = new StringBuilder("Conversation ").append(turn.conversationId()).append('\n')
                .append("Customer: ").append(customerText(turn)).append('\n')
                .append("Duration: ").append(durationText(conversation)).append('\n')
                .append("Earlier messages answered: ").append(conversation.getHistory().size()).append('\n');
        List<HistoryTurn> history = conversation.getHistory();
        List<HistoryTurn> recent = history.subList(Math.max(0, history.size() - RECENT_TURNS), history.size());
        if (!recent.isEmpty()) {
            text.append("Recent conversation:\n");
            for (HistoryTurn past : recent) {
                text.append("- customer: ").append(excerpt(past.getUserText())).append('\n')
                        .append("- agent: ").append(excerpt(past.getReplyText())).append('\n');
            }
        }
        Map<String, String> context = turn.context();
        text.append("Context data: ").append(context.isEmpty() ? "none" : context.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", ")));
        return text.toString();
    }

    @Tool("Remember a fact for the rest of this conversation under a key, e.g. order_number = #12345.")
    public String setConversationContext(@P("A short key, like order_number") String key,
                                         @P("The value to remember") String value,
                                         InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        if (key == null || key.isBlank()) {
            return "Please provide a key for the context value.";
        }
        String cleanValue = value == null ? "" : value.strip();
        turn.rememberContext(key.strip(), cleanValue);
        return "Saved context: " + key.strip() + " = " + cleanValue;
    }

    @Tool("Summarize this conversation: message counts, topics discussed, duration and customer.")
    public String summarizeConversation(InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        List<HistoryTurn> history = turn.conversation().getHistory();
        int userMessages = history.size() + 1;
        String allText = history.stream().map(t -> t.getUserText() + " " + t.getReplyText())
                .collect(Collectors.joining(" ", "", " " + turn.userText())).toLowerCase(Locale.ROOT);
        List<String> topics = TOPICS.stream().filter(allText::contains).toList();
        return "Conversation summary:\n"
                + "- Total messages: " + (userMessages + history.size()) + "\n"
                + "- User messages: " + userMessages + "\n"
                + "- Agent messages: " + history.size() + "\n"
                + "- Duration: " + durationText(turn.conversation()) + "\n"
                + "- Topics discussed: " + (topics.isEmpty() ? "general inquiry" : String.join(", ", topics)) + "\n"
                + "- Customer: " + customerText(turn);
    }

    private String durationText(ConversationState conversation) {
        Duration duration = Duration.between(conversation.getCreatedAt(), clock.instant());
        if (duration.isNegative()) {
            duration = Duration.ZERO;
        }
        long minutes = duration.toMinutes();
        return minutes < 1 ? "less than a minute"
                : minutes < 60 ? minutes + " min"
                : duration.toHours() + " h " + duration.toMinutesPart() + " min";
    }

    private static String customerText(TurnContext turn) {
        return turn.customer().map(c -> (c.getName() == null ? "" : c.getName() + " ") + "<" + c.getEmail() + ">"
                + (c.getVerified() ? " (verified)" : "")).orElse("anonymous");
    }

    private static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
    }
}
