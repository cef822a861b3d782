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
        if (intents.person()) {
            // Asked for a person: nothing else is done for the message, a human answers it.
            return List.of(PlannedCall.of(ToolNames.HAND_OFF_TO_HUMAN, "reason", "the customer asked for a person",
                    "summary", summary(reading)));
        }
        Optional<String> known = reading.knownEmail();
        if (known.isEmpty()) {
            intents.code().ifPresent(code -> calls.add(PlannedCall.of(ToolNames.VERIFY_CODE, "code", code)));
        }
        intents.email().ifPresent(email -> calls.add(PlannedCall.of(ToolNames.LOOKUP_CUSTOMER, "email", email)));
        if (intents.status() && intents.email().isEmpty()) {
            known.or(reading::claimedEmail).or(reading::mentionedEmail)
                    .ifPresent(email -> calls.add(PlannedCall.of(ToolNames.LOOKUP_CUSTOMER, "email", email)));
        }
        toVerify(intents, reading).ifPresent(email -> calls.add(
                PlannedCall.of(ToolNames.REQUEST_VERIFICATION_CODE, "email", email)));
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

    /** What the human agent is told: who, if known, and the customer's own words. */
    private static String summary(TurnReading reading) {
        String who = reading.knownEmail().or(reading::claimedEmail).map(email -> "Customer " + email + ". ")
                .orElse("Customer not identified. ");
        return who + "Last message: " + reading.userText();
    }

    /**
     * The claimed email to send a one-time code to: when the customer asks for their account (or for a code) without
     * being verified, and no code already waits for them, unless they are typing one now.
     */
    private static Optional<String> toVerify(Intents intents, TurnReading reading) {
        if (reading.knownEmail().isPresent() || intents.code().isPresent()) {
            return Optional.empty();
        }
        boolean asked = intents.verify() || intents.wantsAccount() || intents.email().isPresent();
        boolean waiting = reading.codePending() && !intents.verify() && intents.email().isEmpty();
        if (!asked || waiting) {
            return Optional.empty();
        }
        return intents.email().or(reading::claimedEmail)
                .or(() -> intents.status() ? reading.mentionedEmail() : Optional.empty());
    }

    /** True when the message needs a known customer and there is none to be found, not even a claim. */
    static boolean needsCustomer(Intents intents, TurnReading reading) {
        return intents.wantsAccount() && intents.email().isEmpty() && reading.knownEmail().isEmpty()
                && reading.claimedEmail().isEmpty() && (!intents.status() || reading.mentionedEmail().isEmpty());
    }
}
