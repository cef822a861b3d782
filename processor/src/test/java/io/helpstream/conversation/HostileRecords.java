package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic stream of raw customer-message records for fuzzing: valid messages, replays, and every kind of
 * damage — random bytes, valid encodings with flipped bits, cut short, extended, overwritten or with a random
 * length prefix spliced in, wrong or missing keys, and messages that decode but break a rule.
 */
final class HostileRecords {

    /** One raw record as a producer would write it. */
    record Raw(byte[] key, byte[] value) {
    }

    private static final String TEXT_CHARS = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,!?äöüß✉€\t😀";

    private final Random random;
    private final int conversations;
    private final int maxTextChars;
    private final List<Raw> sentValid = new ArrayList<>();
    private int nextMessage;

    HostileRecords(long seed, int conversations, int maxTextChars) {
        this.random = new Random(seed);
        this.conversations = conversations;
        this.maxTextChars = maxTextChars;
    }

    Raw next() {
        int dice = random.nextInt(100);
        if (dice < 30) {
            return remember(validRecord());
        }
        if (dice < 34 && !sentValid.isEmpty()) {
            return sentValid.get(random.nextInt(sentValid.size()));
        }
        if (dice < 40) {
            CustomerMessage broken = ruleBreaking();
            return new Raw(utf8(broken.getConversationId()), Topics.CUSTOMER_MESSAGE.encode(broken));
        }
        if (dice < 48) {
            Raw valid = validRecord();
            return new Raw(randomKey(), random.nextInt(10) == 0 ? null : valid.value());
        }
        Raw valid = validRecord();
        return new Raw(random.nextInt(8) == 0 ? randomKey() : valid.key(), damaged(valid.value()));
    }

    private Raw remember(Raw raw) {
        sentValid.add(raw);
        return raw;
    }

    private Raw validRecord() {
        String conversation = conversation();
        CustomerMessage message = message(conversation, random.nextInt(3) == 0 ? null : ownerOf(conversation),
                text(1 + random.nextInt(maxTextChars / 2)));
        return new Raw(utf8(conversation), Topics.CUSTOMER_MESSAGE.encode(message));
    }

    private CustomerMessage ruleBreaking() {
        String conversation = conversation();
        CustomerMessage message = message(conversation, ownerOf(conversation), text(5));
        return switch (random.nextInt(8)) {
            case 0 -> CustomerMessage.newBuilder(message).setText(text(maxTextChars + 1 + random.nextInt(20)))
                    .build();
            case 1 -> CustomerMessage.newBuilder(message).setText(" \t ").build();
            case 2 -> CustomerMessage.newBuilder(message).setChannel("").build();
            case 3 -> CustomerMessage.newBuilder(message).setMessageId(switch (random.nextInt(3)) {
                case 0 -> "";
                case 1 -> "x".repeat(201);
                default -> message.getMessageId() + "/x";
            }).build();
            case 4 -> CustomerMessage.newBuilder(message).setCustomerEmail(random.nextBoolean() ? "not-an-email"
                    : "a@b").build();
            // Multi-byte, so only a limit in bytes refuses them.
            case 5 -> CustomerMessage.newBuilder(message).setChannel("\u00e9".repeat(33 + random.nextInt(10)))
                    .build();
            case 6 -> CustomerMessage.newBuilder(message).setMetadata(random.nextBoolean()
                    ? Map.of("note", "\u65e5".repeat(1_400)) : manyEntries()).build();
            default -> CustomerMessage.newBuilder(message).setCustomerEmail("intruder" + random.nextInt(3)
                    + "@example.com").build();
        };
    }

    private static Map<String, String> manyEntries() {
        Map<String, String> entries = new java.util.HashMap<>();
        for (int i = 0; i <= MessageLimits.DEFAULT_MAX_METADATA_ENTRIES; i++) {
            entries.put("k" + i, "v");
        }
        return entries;
    }

    private CustomerMessage message(String conversation, String email, String text) {
        return CustomerMessage.newBuilder()
                .setMessageId("m" + nextMessage++)
                .setConversationId(conversation)
                .setCustomerEmail(email)
                .setChannel(random.nextBoolean() ? "web" : "whatsapp")
                .setText(text)
                .setSentAt(Instant.ofEpochMilli(1_767_225_600_000L + random.nextInt(1_000_000)))
                .setMetadata(random.nextBoolean() ? Map.of() : Map.of("locale", "de-CH"))
                .build();
    }

    private byte[] damaged(byte[] valid) {
        byte[] bytes = valid.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                    int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> bytes = concat(bytes, randomBytes(1 + random.nextInt(32)));
            case 3 -> {
                int at = random.nextInt(bytes.length);
                byte[] noise = randomBytes(1 + random.nextInt(Math.min(16, bytes.length - at)));
                System.arraycopy(noise, 0, bytes, at, noise.length);
            }
            case 4 -> {
                int at = 10 + random.nextInt(bytes.length - 10);
                bytes = concat(concat(Arrays.copyOf(bytes, at), randomVarint()),
                        Arrays.copyOfRange(bytes, at, bytes.length));
            }
            case 5 -> bytes = concat(Arrays.copyOf(bytes, 10), randomBytes(random.nextInt(200)));
            default -> bytes = randomBytes(random.nextInt(256));
        }
        return bytes;
    }

    /** A zig-zag varint of one to five bytes, so any length or count from tiny to huge, negative included. */
    private byte[] randomVarint() {
        int length = 1 + random.nextInt(5);
        byte[] varint = randomBytes(length);
        for (int i = 0; i < length - 1; i++) {
            varint[i] |= (byte) 0x80;
        }
        varint[length - 1] &= 0x7F;
        return varint;
    }

    private byte[] randomKey() {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> utf8(conversation());
            case 3 -> utf8(text(1 + random.nextInt(30)));
            default -> randomBytes(1 + random.nextInt(30));
        };
    }

    private String conversation() {
        return "conv-" + random.nextInt(conversations);
    }

    /** Every third conversation belongs to a signed-in customer; the others are anonymous chats. */
    private static String ownerOf(String conversation) {
        int number = Integer.parseInt(conversation.substring("conv-".length()));
        return number % 3 == 0 ? "user" + number + "@example.com" : null;
    }

    private String text(int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.appendCodePoint(TEXT_CHARS.codePointAt(TEXT_CHARS.offsetByCodePoints(0,
                    random.nextInt(TEXT_CHARS.codePointCount(0, TEXT_CHARS.length())))));
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
