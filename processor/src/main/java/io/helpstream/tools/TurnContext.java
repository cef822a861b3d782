package io.helpstream.tools;

import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.fencing.Fence;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.security.AuditRecords;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tools of one turn share: the conversation as it stood when the turn started, who the customer is, and the
 * outcome the tools add to. It travels to every tool call in the turn's {@link InvocationParameters}, so tool objects
 * themselves stay stateless and can serve many conversations at once.
 */
public final class TurnContext {

    /** The key under which the agent puts the context into the invocation parameters. */
    public static final String PARAMETER = "helpstream.turnContext";

    private final ConversationState conversation;
    private final String messageId;
    private final String conversationId;
    private final String userText;
    private final TurnOutcome.Builder outcome;
    private final Map<String, String> context;
    private final Map<String, Integer> callsPerTool = new HashMap<>();
    private final ToolLimits limits;
    private final Fence fence;
    private CustomerBinding customer;
    private int calls;
    private int writes;
    private int audits;
    private int wrongCodes;
    private boolean codeRequested;

    public TurnContext(ConversationState conversation, String messageId, String conversationId, String userText,
                       TurnOutcome.Builder outcome) {
        this(conversation, messageId, conversationId, userText, outcome, ToolLimits.defaults());
    }

    public TurnContext(ConversationState conversation, String messageId, String conversationId, String userText,
                       TurnOutcome.Builder outcome, ToolLimits limits) {
        this(conversation, messageId, conversationId, userText, outcome, limits, Fence.NONE);
    }

    public TurnContext(ConversationState conversation, String messageId, String conversationId, String userText,
                       TurnOutcome.Builder outcome, ToolLimits limits, Fence fence) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.fence = Objects.requireNonNull(fence, "fence");
        this.conversation = Objects.requireNonNull(conversation, "conversation");
        this.messageId = requireText(messageId, "messageId");
        this.conversationId = requireText(conversationId, "conversationId");
        this.userText = Objects.requireNonNull(userText, "userText");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.customer = conversation.getCustomer();
        this.context = new LinkedHashMap<>(conversation.getContext());
    }

    public static TurnContext of(TurnRequest request, TurnOutcome.Builder outcome) {
        return of(request, outcome, ToolLimits.defaults());
    }

    public static TurnContext of(TurnRequest request, TurnOutcome.Builder outcome, ToolLimits limits) {
        return new TurnContext(request.conversation(), request.messageId(), request.conversationId(),
                request.userText(), outcome, limits, request.fence());
    }

    public ToolLimits limits() {
        return limits;
    }

    /** What the turn's writes are made under: checked before each write, and by the database inside it. */
    public Fence fence() {
        return fence;
    }

    /** The context of the running turn; fails loudly when a tool is called outside an agent turn. */
    public static TurnContext from(InvocationParameters parameters) {
        TurnContext context = parameters == null ? null : parameters.get(PARAMETER);
        if (context == null) {
            throw new IllegalStateException("tool called without a TurnContext in its invocation parameters");
        }
        return context;
    }

    public InvocationParameters toInvocationParameters() {
        return InvocationParameters.from(PARAMETER, this);
    }

    public ConversationState conversation() {
        return conversation;
    }

    public String messageId() {
        return messageId;
    }

    public String conversationId() {
        return conversationId;
    }

    /** What the customer wrote in this turn. */
    public String userText() {
        return userText;
    }

    /** The customer this conversation is bound to, including a binding learned earlier in this turn. */
    public synchronized Optional<CustomerBinding> customer() {
        return Optional.ofNullable(customer);
    }

    /**
     * True when the conversation's customer is verified: asserted by the gateway, or proven by a one-time code
     * (earlier, or in this turn). Only then may a tool show account data or touch tickets.
     */
    public synchronized boolean verified() {
        return customer != null && customer.getVerified();
    }

    /** Binds the conversation to a customer; the stream thread applies it when the turn ends. */
    public synchronized void bindCustomer(CustomerBinding binding) {
        this.customer = Objects.requireNonNull(binding, "binding");
        outcome.customer(binding);
    }

    /** The conversation's remembered facts, with this turn's updates. */
    public synchronized Map<String, String> context() {
        return Map.copyOf(context);
    }

    /**
     * Remembers a fact for the rest of the conversation; false (and nothing remembered) when the value is larger than
     * the limit, or the key is new and the conversation already holds as many facts as it may.
     */
    public synchronized boolean rememberContext(String key, String value) {
        requireText(key, "key");
        Objects.requireNonNull(value, "value");
        boolean tooLarge = value.getBytes(StandardCharsets.UTF_8).length > limits.maxContextValueBytes();
        boolean full = !context.containsKey(key) && context.size() >= limits.maxContextEntries();
        if (tooLarge || full) {
            return false;
        }
        context.put(key, value);
        outcome.context(key, value);
        return true;
    }

    /** Takes one of the turn's tool calls, of any tool; false when the turn has used them all. */
    public synchronized boolean claimCall() {
        if (calls >= limits.maxToolCallsPerTurn()) {
            return false;
        }
        calls++;
        return true;
    }

    /** Takes one of the turn's ticket writes; false when the turn has used them all. */
    public synchronized boolean claimWrite() {
        if (writes >= limits.maxWritesPerTurn()) {
            return false;
        }
        writes++;
        return true;
    }

    /** Records a decision of this turn in the audit trail, naming the verified customer's id if there is one. */
    public synchronized void audit(AuditCategory category, String action, AuditOutcome result, String reason,
                                   String argumentsDigest) {
        String customerId = verified() ? customer.getCustomerId() : null;
        outcome.audit(AuditRecords.of(conversationId, messageId, "turn:" + (++audits), customerId, category, action,
                result, reason, argumentsDigest, Instant.now()));
    }

    /** Wrong verification codes tried so far in this turn; they count against the code's attempts. */
    public synchronized int wrongCodes() {
        return wrongCodes;
    }

    /** Records a code tried in this turn, for the stream thread to check again against the stored hash. */
    public synchronized void codeTried(String code, Instant at, boolean right) {
        outcome.codeAttempt(new TurnOutcome.CodeAttempt(code, at));
        if (!right) {
            wrongCodes++;
        }
    }

    /** Takes the turn's one verification request; false when it was taken. */
    public synchronized boolean claimCodeRequest() {
        if (codeRequested) {
            return false;
        }
        codeRequested = true;
        return true;
    }

    /**
     * What the turn's tool calls have changed in it so far: the calls and writes taken, the idempotency keys handed
     * out per tool, the customer binding and the remembered facts, the audit records written, the wrong codes tried
     * and whether the turn's verification request was taken. Recorded with each tool result, so that a rerun that
     * replays a result instead of calling the tool again is left as the call left it (see {@link #restore}).
     *
     * @param customer null while no customer is bound
     */
    public record Tally(int calls, int writes, Map<String, Integer> keys, CustomerBinding customer,
                        Map<String, String> context, int audits, int wrongCodes, boolean codeRequested) {
        public Tally {
            keys = Map.copyOf(keys);
            context = Map.copyOf(context);
        }

        /** A tally before any audit record or verification code. */
        public Tally(int calls, int writes, Map<String, Integer> keys, CustomerBinding customer,
                     Map<String, String> context) {
            this(calls, writes, keys, customer, context, 0, 0, false);
        }
    }

    public synchronized Tally tally() {
        return new Tally(calls, writes, callsPerTool, customer, context, audits, wrongCodes, codeRequested);
    }

    /**
     * Puts the turn where a replayed tool call left it: its counts and keys as recorded, and a binding or fact the
     * call learned applied and reported to the outcome, as the call itself did.
     */
    public synchronized void restore(Tally tally) {
        Objects.requireNonNull(tally, "tally");
        calls = tally.calls();
        writes = tally.writes();
        audits = tally.audits();
        wrongCodes = tally.wrongCodes();
        codeRequested = tally.codeRequested();
        callsPerTool.clear();
        callsPerTool.putAll(tally.keys());
        if (tally.customer() != null && !tally.customer().equals(customer)) {
            bindCustomer(tally.customer());
        }
        tally.context().forEach((key, value) -> {
            if (!value.equals(context.get(key))) {
                context.put(key, value);
                outcome.context(key, value);
            }
        });
    }

    /** Where the tools record ticket events and other results of the turn. */
    public TurnOutcome.Builder outcome() {
        return outcome;
    }

    /**
     * The key for the next write of a tool: {@code <messageId>/<conversation tag>/<toolName>/<n>}, n counting that
     * tool's writes within the turn from 1. A replayed turn makes the same calls in the same order, so it meets the
     * same keys and the repository hands back the first attempt's results instead of writing twice.
     */
    public synchronized String nextIdempotencyKey(String toolName) {
        int n = callsPerTool.merge(requireText(toolName, "toolName"), 1, Integer::sum);
        return keyPrefix(conversationId, messageId) + toolName + "/" + n;
    }

    /**
     * What every idempotency key of a message's writes starts with: the message id, then a tag of its conversation,
     * so that the same message id in another conversation (a gateway that reuses ids, or a hostile one) never meets
     * this conversation's keys, its tickets or its events. The tag is the first 128 bits of the SHA-256 of the
     * conversation id, in hex: it holds no '/' and no customer data.
     */
    public static String keyPrefix(String conversationId, String messageId) {
        return messageId + "/" + conversationTag(conversationId) + "/";
    }

    static String conversationTag(String conversationId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(conversationId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "c" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
