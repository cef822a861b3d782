package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.tools.ToolResult.ContextSaved;
import io.helpstream.tools.ToolResult.ConversationRecalled;
import io.helpstream.tools.ToolResult.ConversationSummary;
import io.helpstream.tools.ToolResult.CustomerRemembered;
import io.helpstream.tools.ToolResult.Exchange;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.OtherCustomerRefused;
import io.helpstream.tools.ToolResult.SessionCustomer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The session tools: remember and recall facts about this conversation. Changes go to the turn's outcome and are
 * applied to the stored conversation by the stream thread.
 */
public final class ConversationTools {

    /** The shape the chat gateway's emails are checked against, for an email the customer gives. */
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");

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

    @Tool(name = ToolNames.REMEMBER_CUSTOMER_INFO, value = "Remember the customer's email address (and optionally "
            + "other information) for the rest of this conversation.")
    public String rememberCustomerInfo(@P("The customer's email address") String customerEmail,
                                       @P(value = "Any additional information worth remembering", defaultValue = "")
                                       String additionalInfo,
                                       InvocationParameters parameters) {
        return ToolResults.render(remember(customerEmail, additionalInfo, TurnContext.from(parameters)));
    }

    @Tool(name = ToolNames.RECALL_CONVERSATION_CONTEXT, value = "Recall what is known about this conversation: the "
            + "customer, remembered context and recent messages.")
    public String recallConversationContext(InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        List<HistoryTurn> history = turn.conversation().getHistory();
        List<Exchange> recent = history.subList(Math.max(0, history.size() - RECENT_TURNS), history.size()).stream()
                .map(past -> new Exchange(excerpt(past.getUserText()), excerpt(past.getReplyText()))).toList();
        return ToolResults.render(new ConversationRecalled(turn.conversationId(), customer(turn),
                minutesSinceStart(turn.conversation()), history.size(), recent, turn.context()));
    }

    @Tool(name = ToolNames.SET_CONVERSATION_CONTEXT, value = "Remember a fact for the rest of this conversation under "
            + "a key, e.g. order_number = #12345.")
    public String setConversationContext(@P("A short key, like order_number") String key,
                                         @P("The value to remember") String value,
                                         InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        if (key == null || key.isBlank()) {
            return ToolResults.render(new InvalidArgument("key", key, List.of()));
        }
        String cleanValue = value == null ? "" : value.strip();
        if (!turn.rememberContext(key.strip(), cleanValue)) {
            return ToolResults.render(contextLimit(turn, cleanValue));
        }
        return ToolResults.render(new ContextSaved(key.strip(), cleanValue));
    }

    private static int messagesAnswered(HistoryTurn turn) {
        if (!turn.getAnsweredMessageIds().isEmpty()) {
            return turn.getAnsweredMessageIds().size();
        }
        return turn.getUserText().isEmpty() ? 0 : 1;
    }

    @Tool(name = ToolNames.SUMMARIZE_CONVERSATION, value = "Summarize this conversation: message counts, topics "
            + "discussed, duration and customer.")
    public String summarizeConversation(InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        List<HistoryTurn> history = turn.conversation().getHistory();
        // A turn may have answered several messages together: each counts. A human agent's follow-up answered none.
        int userMessages = history.stream().mapToInt(ConversationTools::messagesAnswered).sum()
                + Math.max(1, turn.conversation().getInbox().size());
        String allText = history.stream().map(t -> t.getUserText() + " " + t.getReplyText())
                .collect(Collectors.joining(" ", "", " " + turn.userText())).toLowerCase(Locale.ROOT);
        List<String> topics = TOPICS.stream().filter(allText::contains).toList();
        return ToolResults.render(new ConversationSummary(userMessages + history.size(), userMessages,
                history.size(), minutesSinceStart(turn.conversation()), topics, customer(turn)));
    }

    private static ToolResult remember(String customerEmail, String additionalInfo, TurnContext turn) {
        if (customerEmail == null || customerEmail.isBlank()) {
            return new InvalidArgument("customerEmail", customerEmail, List.of());
        }
        String email = customerEmail.strip();
        if (!EMAIL.matcher(email).matches()) {
            // One address without spaces or line breaks: it is shown to the model as a session fact.
            return new InvalidArgument("customerEmail", customerEmail, List.of());
        }
        Optional<CustomerBinding> bound = turn.customer();
        if (turn.verified() && !bound.get().getEmail().equalsIgnoreCase(email)) {
            return new OtherCustomerRefused(bound.get().getEmail(), email);
        }
        if (bound.isEmpty() || !bound.get().getEmail().equalsIgnoreCase(email)) {
            // Only a claim: it unlocks nothing until the customer types the code sent to it.
            turn.bindCustomer(new CustomerBinding(email.toLowerCase(Locale.ROOT), null, null, false));
        }
        String info = additionalInfo == null ? "" : additionalInfo.strip();
        if (!info.isEmpty() && !turn.rememberContext(ADDITIONAL_INFO, info)) {
            return contextLimit(turn, info);
        }
        return new CustomerRemembered(email, info);
    }

    /** Which limit refused a fact: its size, or the number of facts already remembered. */
    private static LimitReached contextLimit(TurnContext turn, String value) {
        ToolLimits limits = turn.limits();
        return value.getBytes(StandardCharsets.UTF_8).length > limits.maxContextValueBytes()
                ? new LimitReached("bytes per remembered value", limits.maxContextValueBytes())
                : new LimitReached("remembered facts per conversation", limits.maxContextEntries());
    }

    private long minutesSinceStart(ConversationState conversation) {
        Duration duration = Duration.between(conversation.getCreatedAt(), clock.instant());
        return duration.isNegative() ? 0 : duration.toMinutes();
    }

    private static SessionCustomer customer(TurnContext turn) {
        return turn.customer().map(c -> new SessionCustomer(c.getEmail(), c.getName(), c.getVerified())).orElse(null);
    }

    private static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
    }
}
