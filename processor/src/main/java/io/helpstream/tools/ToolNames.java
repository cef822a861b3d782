package io.helpstream.tools;

/**
 * The names the tools are offered to the model under. They are part of the conversation history (stored tool calls)
 * and of every idempotency key (so of every ticket event id): renaming one is a compatibility change.
 */
public final class ToolNames {

    public static final String LOOKUP_CUSTOMER = "lookupCustomer";
    public static final String CREATE_TICKET = "createTicket";
    public static final String UPDATE_TICKET_STATUS = "updateTicketStatus";
    public static final String ESCALATE_TICKET = "escalateTicket";
    public static final String ANSWER_FAQ = "answerFaq";
    public static final String REMEMBER_CUSTOMER_INFO = "rememberCustomerInfo";
    public static final String RECALL_CONVERSATION_CONTEXT = "recallConversationContext";
    public static final String SET_CONVERSATION_CONTEXT = "setConversationContext";
    public static final String SUMMARIZE_CONVERSATION = "summarizeConversation";
    public static final String REQUEST_VERIFICATION_CODE = "requestVerificationCode";
    public static final String VERIFY_CODE = "verifyCode";
    public static final String HAND_OFF_TO_HUMAN = "handOffToHuman";

    private ToolNames() {
    }
}
