package io.helpstream.agent.offline;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes the offline model's answer to the customer from the message and the tool results of the turn. */
final class ReplyWriter {

    private static final Pattern TIER = Pattern.compile("(?m)^Tier: (.+)$");
    private static final Pattern TICKET_LINE = Pattern.compile("(?m)^- .+$");
    private static final Pattern SAVED = Pattern.compile("^Saved context: (\\S+) = (.*)$");
    private static final Pattern FAQ = Pattern.compile("^FAQ \\([^)]*\\): ");
    private static final String CLOSING = "Is there anything else I can help you with?";

    private ReplyWriter() {
    }

    static String write(Intents intents, TurnReading reading) {
        Optional<String> firstName = reading.customerName().map(name -> name.split("\\s+")[0]);
        List<String> parts = new ArrayList<>();
        opening(intents, firstName).ifPresent(parts::add);
        List<ToolExecutionResultMessage> results = reading.resultsThisTurn();
        for (ToolExecutionResultMessage result : results) {
            parts.add(describe(result));
        }
        boolean createdNow = results.stream().anyMatch(r -> TurnReading.CREATE.equals(r.toolName()));
        if (intents.problem().isPresent() && !createdNow && reading.knownEmail().isPresent()) {
            reading.ticketOpenedEarlier().ifPresent(id -> parts.add("Your ticket " + id
                    + " is already open for this, and our team will follow up on it."));
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

    private static String describe(ToolExecutionResultMessage result) {
        String text = result.text();
        if (Boolean.TRUE.equals(result.isError()) || text.startsWith("Error:")) {
            return "I'm sorry, I couldn't complete that just now because our support system is having trouble. "
                    + "Please try again in a few minutes.";
        }
        return switch (result.toolName()) {
            case TurnReading.LOOKUP -> describeLookup(text);
            case TurnReading.CREATE -> text.startsWith("Support ticket") ? "I've opened a ticket for you.\n" + text
                    : text;
            case "answerFaq" -> FAQ.matcher(text).replaceFirst("");
            case "setConversationContext" -> describeSaved(text);
            default -> text;
        };
    }

    private static String describeLookup(String text) {
        if (!text.startsWith("Customer:")) {
            return text.startsWith("No customer") ? text + " Could you double-check the email address?" : text;
        }
        Matcher tier = TIER.matcher(text);
        StringBuilder reply = new StringBuilder("I've pulled up your account")
                .append(tier.find() ? " (" + tier.group(1) + " tier)." : ".");
        Matcher tickets = TICKET_LINE.matcher(text);
        List<String> lines = new ArrayList<>();
        while (tickets.find()) {
            lines.add(tickets.group());
        }
        if (lines.isEmpty()) {
            return reply.append(" You don't have any support tickets with us yet.").toString();
        }
        return reply.append(" Here are your most recent tickets:\n").append(String.join("\n", lines)).toString();
    }

    private static String describeSaved(String text) {
        Matcher saved = SAVED.matcher(text);
        if (!saved.find()) {
            return text;
        }
        return saved.group(1).equals("order_number")
                ? "I've noted your order number " + saved.group(2) + "."
                : "I've noted that (" + saved.group(1) + ": " + saved.group(2) + ").";
    }
}
