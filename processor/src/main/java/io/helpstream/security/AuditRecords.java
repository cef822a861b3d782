package io.helpstream.security;

import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/** Builds the records of the audit trail; none holds a message text, a tool's arguments or an email. */
public final class AuditRecords {

    /** Identity events, as {@link AuditRecord#getAction()} names them. */
    public enum Identity {
        CLAIMED, VERIFICATION_REQUESTED, VERIFICATION_PASSED, VERIFICATION_FAILED, VERIFICATION_EXPIRED, BOUND,
        CLAIM_REPLACED, MISMATCH
    }

    private AuditRecords() {
    }

    /**
     * A record whose id derives from the conversation, the message and {@code slot} (the record's place in its
     * turn, or a fixed name for one the stream thread writes), so that a rerun of the same turn writes the same ids.
     */
    public static AuditRecord of(String conversationId, String messageId, String slot, String customerId,
                                 AuditCategory category, String action, AuditOutcome outcome, String reason,
                                 String argumentsDigest, Instant at) {
        String seed = "audit:" + conversationId + '\u0000' + (messageId == null ? "" : messageId) + '\u0000' + slot;
        return AuditRecord.newBuilder()
                .setAuditId(UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString())
                .setConversationId(conversationId)
                .setMessageId(messageId)
                .setCustomerId(customerId)
                .setCategory(category)
                .setAction(action)
                .setOutcome(outcome)
                .setReason(reason)
                .setArgumentsDigest(argumentsDigest)
                .setOccurredAt(at)
                .build();
    }

    public static AuditRecord identity(String conversationId, String messageId, String slot, String customerId,
                                       Identity event, AuditOutcome outcome, String reason, Instant at) {
        return of(conversationId, messageId, slot, customerId, AuditCategory.IDENTITY, event.name(), outcome, reason,
                null, at);
    }

    public static AuditRecord budget(String conversationId, String messageId, String customerId, Budgets.Kind kind,
                                     Instant at) {
        return of(conversationId, messageId, "budget:" + kind, customerId, AuditCategory.BUDGET, kind.name(),
                AuditOutcome.REFUSED, "over budget", null, at);
    }

    /**
     * SHA-256 of a tool call's arguments, in hex: matches a call against a suspected one without keeping its text.
     * Short arguments (an email) can be found again by hashing guesses, which is why the audit topic needs ACLs.
     */
    public static String digest(String arguments) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((arguments == null ? "" : arguments).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
