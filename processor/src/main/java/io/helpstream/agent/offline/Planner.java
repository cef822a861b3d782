package io.helpstream.agent.offline;

import io.helpstream.tools.ToolNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which tools the message calls for, given what is known so far in the turn. Asked again after every tool
 * round, it may add calls that became possible (a ticket once the look-up has identified the customer).
 */
final class Planner {

    private Planner() {
    }

    /**
     * @return the calls this turn should make, in order; calls already made are still listed (the caller skips them)
     */
    static List<PlannedCall> plan(Intents intents, TurnReading reading) {
        List<PlannedCall> calls = new ArrayList<>();
        Optional<String> known = reading.knownEmail();
        intents.email().ifPresent(email -> calls.add(PlannedCall.of(ToolNames.LOOKUP_CUSTOMER, "email", email)));
        if (intents.status() && intents.email().isEmpty()) {
            known.or(reading::mentionedEmail)
                    .ifPresent(email -> calls.add(PlannedCall.of(ToolNames.LOOKUP_CUSTOMER, "email", email)));
        }
        intents.orderNumber().ifPresent(order -> calls.add(
                PlannedCall.of(ToolNames.SET_CONVERSATION_CONTEXT, "key", "order_number", "value", order)));
        if (known.isPresent()) {
            intents.escalate().ifPresent(id -> calls.add(
                    PlannedCall.of(ToolNames.ESCALATE_TICKET, "ticketId", id, "reason", reading.userText())));
            intents.statusChange().ifPresent(change -> calls.add(PlannedCall.of(ToolNames.UPDATE_TICKET_STATUS,
                    "ticketId", change.ticketId(), "status", change.status(), "notes", reading.userText())));
            if (reading.ticketOpenedEarlier().isEmpty()) {
                intents.problem().ifPresent(problem -> calls.add(PlannedCall.of(ToolNames.CREATE_TICKET,
                        "subject", problem.subject(), "description", reading.userText(),
                        "priority", problem.priority())));
            }
        }
        intents.faqQuestions()
                .forEach(question -> calls.add(PlannedCall.of(ToolNames.ANSWER_FAQ, "question", question)));
        if (intents.summarize()) {
            calls.add(PlannedCall.of(ToolNames.SUMMARIZE_CONVERSATION));
        }
        return calls;
    }

    /** True when the message needs a known customer and there is none to be found. */
    static boolean needsCustomer(Intents intents, TurnReading reading) {
        boolean wantsAccount = intents.status() || intents.escalate().isPresent()
                || intents.statusChange().isPresent() || intents.problem().isPresent();
        return wantsAccount && intents.email().isEmpty() && reading.knownEmail().isEmpty()
                && (!intents.status() || reading.mentionedEmail().isEmpty());
    }
}
