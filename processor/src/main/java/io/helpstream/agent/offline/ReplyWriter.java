package io.helpstream.agent.offline;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import io.helpstream.tools.ToolNames;
import io.helpstream.tools.ToolResult.VerificationCodeSent;
import io.helpstream.tools.ToolResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Writes the offline model's answer to the customer from the message and the tool results of the turn. */
final class ReplyWriter {

    private static final String CLOSING = "Is there anything else I can help you with?";

    private ReplyWriter() {
    }

    static String write(Intents intents, TurnReading reading) {
        Optional<String> firstName = reading.customerName().map(name -> name.split("\\s+")[0]);
        List<String> parts = new ArrayList<>();
        opening(intents, firstName).ifPresent(parts::add);
        List<ToolExecutionResultMessage> results = reading.resultsThisTurn();
        // Once each: a model stopped by a limit gets the same refusal for every call past it.
        results.stream().map(ReplyWriter::describe).distinct().forEach(parts::add);
        boolean createdNow = results.stream().anyMatch(r -> ToolNames.CREATE_TICKET.equals(r.toolName()));
        if (intents.problem().isPresent() && !createdNow && reading.knownEmail().isPresent()) {
            reading.ticketOpenedEarlier().ifPresent(id -> parts.add("Your ticket " + id
                    + " is already open for this, and our team will follow up on it."));
        }
        boolean codeHandled = reading.resultThisTurn(VerificationCodeSent.class)
                || intents.code().isPresent();
        if (reading.knownEmail().isEmpty() && reading.codePending() && !codeHandled
                && (intents.wantsAccount() || intents.email().isPresent())) {
            parts.add("Please type the one-time code I sent to your email address, so I can confirm the account is "
                    + "yours.");
        }
        if (Planner.needsCustomer(intents, reading)) {
            parts.add("I'd be glad to help with that. Could you share the email address on your account, "
                    + "so I can look you up?");
        } else if (results.isEmpty() && parts.isEmpty()) {
            parts.add("I can help with your account, orders and support tickets, and answer questions about "
                    + "returns, shipping, warranty, payment and contact hours. What can I do for you?");
        }
        if (results.isEmpty() && parts.size() == 1 && (intents.greeting() || intents.thanks())) {
            parts.add(intents.thanks() ? CLOSING : "How can I help you today?");
        } else if (!results.isEmpty()) {
            parts.add(CLOSING);
        }
        return String.join("\n\n", parts);
    }

    private static Optional<String> opening(Intents intents, Optional<String> firstName) {
        String name = firstName.map(n -> ", " + n).orElse("");
        if (intents.thanks()) {
            return Optional.of("You're welcome" + name + "!");
        }
        if (intents.greeting()) {
            return Optional.of("Hello" + name + "!");
        }
        return Optional.empty();
    }

    /** A text that is not a tool result is an error report (see {@code ToolErrors}): the tool did not run. */
    private static String describe(ToolExecutionResultMessage result) {
        return Boolean.TRUE.equals(result.isError()) ? ResultReplies.SYSTEM_TROUBLE
                : ToolResults.read(result.text()).map(ResultReplies::describe).orElse(ResultReplies.SYSTEM_TROUBLE);
    }
}
