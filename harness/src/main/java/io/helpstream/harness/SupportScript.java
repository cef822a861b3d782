package io.helpstream.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The decisions of the chaos test's model, one chat-completions request at a time: what a support model would do
 * with the workload's messages (look the customer up, open a ticket, escalate or close one, answer a question, sum
 * the conversation up), step by step, from what the request's transcript shows was done so far in the turn. Its final
 * answer names every ticket the turn's tools opened or changed.
 *
 * <p>Asked the very same thing a second time (a turn that lost its step to a disruption and asks again), it may decide
 * differently, as a real model at a temperature above 0 does: another subject and priority, no ticket at all, another
 * change to the ticket. The first answer to a request is always the planned one, so an undisturbed run makes exactly
 * {@link #plannedCalls} calls per message.
 */
final class SupportScript {

    static final String MODEL = "chaos-scripted";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SESSION_EMAIL = Pattern.compile("(?m)^- Customer email: (\\S+@\\S+)");
    private static final Pattern TICKET = Pattern.compile("TICK-\\d+|TICK\\d{3}");
    /** A tool result about a ticket the turn touched (not one it could not find). */
    private static final Pattern TICKET_RESULT = Pattern.compile(
            "\"result\"\\s*:\\s*\"ticket_(created|escalated|status_changed|already_urgent|status_unchanged)\"");
    private static final Pattern USER_MESSAGES = Pattern.compile("\"userMessages\"\\s*:\\s*(\\d+)");
    private static final String[] DEVICES = {"printer", "router", "phone", "tablet", "headset", "camera"};

    /** What a message asks for, read from the workload's texts. */
    enum Intent {
        OPEN_TICKET, ESCALATE, CLOSE, SUMMARY, QUESTION, CHECK_IN, CHAT
    }

    /** One answer: a chat-completions response body. */
    record Answer(String body, boolean toolCalls) {
    }

    private SupportScript() {
    }

    /** The intent of a customer message of the workload. */
    static Intent intent(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("is not working.")) {
            return Intent.OPEN_TICKET;
        }
        if (lower.contains("escalate")) {
            return Intent.ESCALATE;
        }
        if (lower.contains("close ticket")) {
            return Intent.CLOSE;
        }
        if (lower.contains("summarize")) {
            return Intent.SUMMARY;
        }
        if (lower.contains("checking in")) {
            return Intent.CHECK_IN;
        }
        return lower.contains("?") ? Intent.QUESTION : Intent.CHAT;
    }

    /** How many model calls the planned (first-asked) path of a message takes: tools, then the answer. */
    static int plannedCalls(String text) {
        return switch (intent(text)) {
            case OPEN_TICKET, ESCALATE, CLOSE -> 3;
            case SUMMARY, QUESTION, CHECK_IN -> 2;
            case CHAT -> 1;
        };
    }

    /**
     * The answer to a request.
     *
     * @param request the chat-completions request body
     * @param asked   how often this very request was asked before (0: the first time)
     */
    static Answer answer(JsonNode request, int asked) {
        Turn turn = Turn.of(request.path("messages"));
        Random fickle = new Random(fingerprint(request) * 31 + asked);
        boolean again = asked > 0;
        List<String[]> calls = new ArrayList<>();
        String callId = "call-" + (turn.callsSoFar + 1);
        switch (intent(turn.userText)) {
            case OPEN_TICKET -> {
                if (!turn.called("lookupCustomer")) {
                    calls.add(lookup(callId, turn));
                } else if (!turn.called("createTicket") && !(again && fickle.nextInt(10) < 3)) {
                    boolean other = again && fickle.nextBoolean();
                    String device = device(turn.userText);
                    calls.add(new String[] {callId, "createTicket", object("subject", capitalised(device) + " "
                            + (other ? "fails " : "not working ") + tag(turn.userText), "description",
                            turn.userText, "priority", other ? "high" : "medium")});
                }
            }
            case ESCALATE, CLOSE -> {
                if (!turn.called("lookupCustomer")) {
                    calls.add(lookup(callId, turn));
                } else if (!turn.called("escalateTicket") && !turn.called("updateTicketStatus")) {
                    String ticket = firstTicket(turn.userText).orElse("TICK001");
                    boolean escalate = (intent(turn.userText) == Intent.ESCALATE) != (again && fickle.nextBoolean());
                    calls.add(escalate
                            ? new String[] {callId, "escalateTicket", object("ticketId", ticket, "reason",
                                    turn.userText)}
                            : new String[] {callId, "updateTicketStatus", object("ticketId", ticket, "status",
                                    intent(turn.userText) == Intent.CLOSE ? "closed" : "in_progress", "notes",
                                    turn.userText)});
                }
            }
            case SUMMARY -> {
                if (!turn.called("summarizeConversation")) {
                    calls.add(new String[] {callId, "summarizeConversation", "{}"});
                }
            }
            case QUESTION -> {
                if (!turn.called("answerFaq")) {
                    calls.add(new String[] {callId, "answerFaq", object("question", turn.userText)});
                }
            }
            case CHECK_IN -> {
                if (!turn.called("lookupCustomer")) {
                    calls.add(lookup(callId, turn));
                }
            }
            case CHAT -> {
            }
        }
        if (!calls.isEmpty()) {
            return new Answer(toolCalls(calls), true);
        }
        return new Answer(text(reply(turn, again, fickle)), false);
    }

    /** The answer to the customer: every ticket the turn's tools opened or changed, by id. */
    private static String reply(Turn turn, boolean again, Random fickle) {
        StringBuilder text = new StringBuilder(again && fickle.nextBoolean() ? "Thanks for waiting. " : "");
        if (!turn.tickets.isEmpty()) {
            text.append("I have taken care of ").append(String.join(", ", turn.tickets)).append(" for you.");
        } else if (intent(turn.userText) == Intent.OPEN_TICKET) {
            text.append("I have noted the problem; a colleague will be in touch.");
        } else if (turn.failed) {
            text.append("Our support system is having trouble right now; please try again in a few minutes.");
        } else {
            text.append("Happy to help.");
        }
        turn.userMessages.ifPresent(count -> text.append(" User messages: ").append(count));
        return text.toString();
    }

    private static String[] lookup(String callId, Turn turn) {
        return new String[] {callId, "lookupCustomer", object("email", turn.email.orElse("john@example.com"))};
    }

    /** What the transcript shows of the turn that is being answered: its message and the tools it called. */
    private static final class Turn {
        String userText = "";
        Optional<String> email = Optional.empty();
        final Set<String> toolsCalled = new LinkedHashSet<>();
        final Set<String> tickets = new LinkedHashSet<>();
        Optional<Integer> userMessages = Optional.empty();
        boolean failed;
        int callsSoFar;

        static Turn of(JsonNode messages) {
            Turn turn = new Turn();
            for (JsonNode message : messages) {
                String role = message.path("role").asText();
                String content = content(message.path("content"));
                switch (role) {
                    case "system" -> {
                        Matcher email = SESSION_EMAIL.matcher(content);
                        if (email.find()) {
                            turn.email = Optional.of(email.group(1));
                        }
                    }
                    case "user" -> turn.startOver(content);
                    case "assistant" -> message.path("tool_calls").forEach(call -> {
                        turn.toolsCalled.add(call.path("function").path("name").asText());
                        turn.callsSoFar++;
                    });
                    case "tool" -> turn.result(content);
                    default -> {
                    }
                }
            }
            return turn;
        }

        /** A user message: everything before it belongs to earlier turns. */
        void startOver(String text) {
            userText = text;
            toolsCalled.clear();
            tickets.clear();
            userMessages = Optional.empty();
            failed = false;
        }

        void result(String text) {
            if (text.startsWith("Error")) {
                failed = true;
                return;
            }
            if (TICKET_RESULT.matcher(text).find()) {
                Matcher ticket = TICKET.matcher(text);
                if (ticket.find()) {
                    tickets.add(ticket.group());
                }
            }
            Matcher count = USER_MESSAGES.matcher(text);
            if (count.find()) {
                userMessages = Optional.of(Integer.parseInt(count.group(1)));
            }
        }

        boolean called(String tool) {
            return toolsCalled.contains(tool);
        }
    }

    private static String content(JsonNode content) {
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText("")));
            return text.toString();
        }
        return content.asText("");
    }

    private static Optional<String> firstTicket(String text) {
        Matcher ticket = TICKET.matcher(text);
        return ticket.find() ? Optional.of(ticket.group()) : Optional.empty();
    }

    private static String device(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String device : DEVICES) {
            if (lower.contains(device)) {
                return device;
            }
        }
        return "device";
    }

    /** The message's id, which the workload writes into every text. */
    private static String tag(String text) {
        Matcher id = Pattern.compile("\\S+-c\\d+-m\\d+").matcher(text);
        return id.find() ? id.group() : "";
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static long fingerprint(JsonNode request) {
        CRC32 crc = new CRC32();
        crc.update(request.path("messages").toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static String object(String... pairs) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node.toString();
    }

    private static String toolCalls(List<String[]> calls) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        ArrayNode toolCalls = message.putArray("tool_calls");
        for (String[] call : calls) {
            ObjectNode toolCall = toolCalls.addObject().put("id", call[0]).put("type", "function");
            toolCall.putObject("function").put("name", call[1]).put("arguments", call[2]);
        }
        return completion(message, "tool_calls");
    }

    private static String text(String content) {
        return completion(JSON.createObjectNode().put("role", "assistant").put("content", content), "stop");
    }

    private static String completion(ObjectNode message, String finishReason) {
        ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-chaos").put("object", "chat.completion")
                .put("created", 1_700_000_000L).put("model", MODEL);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return body.toString();
    }
}
