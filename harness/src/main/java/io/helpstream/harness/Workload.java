package io.helpstream.harness;

import io.helpstream.harness.PlannedMessage.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The messages of a crash test, in the order they are sent: conversations interleaved, each conversation's messages
 * in order. Every other conversation opens a ticket with its second message; every other of those and of the rest
 * escalates or closes a sample ticket with its third; each conversation's last message asks for a summary. Every
 * fourth conversation (of at least {@link #HANDOFF_MIN_SIZE} messages) asks for a person with its fifth message and
 * writes its next {@link #TO_HUMAN} to the human who accepts it ({@link Desk}), who then gives it back to the bot.
 * The texts are ones the offline model reads as those intents (see {@code agent/offline/Intents}).
 */
public final class Workload {

    private static final String[] EMAILS = {"john@example.com", "jane@example.com", "bob@example.com"};
    private static final String[] CHAT = {
        "What's your return policy? %s",
        "How long does shipping take? %s",
        "Do you accept paypal? %s",
        "What are your contact hours? %s",
        "Does the warranty cover accidental damage? %s",
        "Thanks, that helps. %s",
        "Good morning, just checking in. %s",
    };
    private static final String[] DEVICES = {"printer", "router", "phone", "tablet", "headset", "camera"};
    /** The index of the message that asks for a person. */
    static final int HANDOFF_AT = 4;
    /** How many messages after it are written to the human. */
    static final int TO_HUMAN = 2;
    /** The fewest messages a conversation that hands off has: the handoff, its human part, then the bot again. */
    static final int HANDOFF_MIN_SIZE = HANDOFF_AT + TO_HUMAN + 3;

    private final List<PlannedMessage> messages;
    private final Map<String, List<PlannedMessage>> byConversation;

    private Workload(List<PlannedMessage> messages) {
        this.messages = List.copyOf(messages);
        Map<String, List<PlannedMessage>> grouped = new LinkedHashMap<>();
        for (PlannedMessage message : messages) {
            grouped.computeIfAbsent(message.conversationId(), id -> new ArrayList<>()).add(message);
        }
        grouped.replaceAll((id, list) -> List.copyOf(list));
        this.byConversation = Collections.unmodifiableMap(grouped);
    }

    /**
     * @param runId         makes message and conversation ids unique to this run
     * @param messages      total messages, at least one per conversation
     * @param conversations how many conversations share them
     * @param seed          chooses the chit-chat texts and the order conversations are interleaved in
     */
    public static Workload generate(String runId, int messages, int conversations, long seed) {
        return generate(runId, messages, conversations, seed, false);
    }

    /**
     * The workload with (or without) conversations that hand off to a human: a run that sends them needs a
     * {@link Desk} to answer them.
     */
    public static Workload generate(String runId, int messages, int conversations, long seed, boolean handoffs) {
        if (conversations < 1 || messages < conversations) {
            throw new IllegalArgumentException("need at least one message per conversation, got " + messages
                    + " messages for " + conversations + " conversations");
        }
        Random random = new Random(seed);
        int[] sizes = new int[conversations];
        for (int i = 0; i < messages; i++) {
            sizes[i % conversations]++;
        }
        List<Integer> slots = new ArrayList<>(messages);
        for (int c = 0; c < conversations; c++) {
            for (int j = 0; j < sizes[c]; j++) {
                slots.add(c);
            }
        }
        // Shuffled slots interleave the conversations at random; each conversation still gets its next message.
        Collections.shuffle(slots, random);
        int[] next = new int[conversations];
        List<PlannedMessage> planned = new ArrayList<>(messages);
        for (int c : slots) {
            planned.add(message(runId, c, next[c]++, sizes[c], handoffs, random));
        }
        return new Workload(planned);
    }

    private static PlannedMessage message(String runId, int conversation, int index, int size, boolean handoffs,
                                          Random random) {
        String conversationId = runId + "-c" + conversation;
        String messageId = conversationId + "-m" + index;
        String email = EMAILS[conversation % EMAILS.length];
        Kind kind = kind(conversation, index, size, handoffs);
        String text = switch (kind) {
            case SUMMARY -> "Thanks! Can you summarize what we discussed? " + messageId;
            case CREATE_TICKET -> "My " + DEVICES[random.nextInt(DEVICES.length)] + " " + messageId
                    + " is not working.";
            case UPDATE_TICKET -> update(email, messageId);
            case ASK_FOR_PERSON -> "I want to talk to a human please. " + messageId;
            case TO_HUMAN -> "While you look: my order reference is " + messageId + ".";
            case CHAT -> index == 0 ? "Hello, I have a few questions. " + messageId
                    : CHAT[random.nextInt(CHAT.length)].formatted(messageId);
        };
        return new PlannedMessage(messageId, conversationId, index, email, text, kind);
    }

    private static Kind kind(int conversation, int index, int size, boolean handoffs) {
        if (index == size - 1) {
            return Kind.SUMMARY;
        }
        if (handoffs && conversation % 4 == 3 && size >= HANDOFF_MIN_SIZE && index >= HANDOFF_AT
                && index <= HANDOFF_AT + TO_HUMAN) {
            return index == HANDOFF_AT ? Kind.ASK_FOR_PERSON : Kind.TO_HUMAN;
        }
        if (index == 1 && conversation % 2 == 0) {
            return Kind.CREATE_TICKET;
        }
        if (index == 2 && conversation / 2 % 2 == 0) {
            return Kind.UPDATE_TICKET;
        }
        return Kind.CHAT;
    }

    /** Each customer changes their own sample ticket: John's TICK001, Jane's TICK002, Bob's TICK003. */
    private static String update(String email, String messageId) {
        return switch (email) {
            case "john@example.com" -> "It is still not working, can you escalate my ticket TICK001? " + messageId;
            case "jane@example.com" -> "Please close ticket TICK002, I got my refund. " + messageId;
            default -> "Please escalate ticket TICK003, I still cannot log in. " + messageId;
        };
    }

    /** Every message in sending order. */
    public List<PlannedMessage> messages() {
        return messages;
    }

    /** Each conversation's messages in order, conversations in order of their first message. */
    public Map<String, List<PlannedMessage>> byConversation() {
        return byConversation;
    }

    public List<PlannedMessage> ofKind(Kind kind) {
        return messages.stream().filter(message -> message.kind() == kind).toList();
    }

    /** The longest conversation: the history window must hold it for the summary to count every message. */
    public int longestConversation() {
        return byConversation.values().stream().mapToInt(List::size).max().orElse(0);
    }
}
