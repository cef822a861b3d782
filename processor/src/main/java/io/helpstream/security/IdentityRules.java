package io.helpstream.security;

import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.PendingVerification;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.security.AuditRecords.Identity;
import io.helpstream.security.VerificationCodes.Check;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnOutcome.CodeAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a conversation is with, and how sure helpstream is of it, as rules over its stored meta; the stream thread is
 * the only caller. An email the gateway asserts is <em>verified</em>; one the customer typed is only
 * <em>claimed</em> until the customer types the one-time code sent to it. The gateway wins over a claim; a turn can
 * claim, never verify: its code attempts are checked again here against the stored hash.
 */
public final class IdentityRules {

    /** What a message's gateway-asserted email did to the conversation. */
    public enum Gateway {
        /** No email asserted, or the one already bound. */
        UNCHANGED,
        /** The conversation was anonymous, or held a claim of the same email: now it is verified. */
        BOUND,
        /** The conversation held a claim of another email: it is gone, the asserted email is bound. */
        CLAIM_REPLACED,
        /** The conversation is bound to another verified email: the message is refused, nothing changes. */
        MISMATCH
    }

    /**
     * What applying a turn changed about the identity: its audit records, a code to deliver, and whether a wrong code
     * used up the verification's last attempt (the customer failed to verify).
     */
    public record Applied(List<AuditRecord> audit, Optional<VerificationRequested> request,
                          boolean verificationFailed) {
        public Applied {
            audit = List.copyOf(audit);
        }
    }

    private IdentityRules() {
    }

    /** Applies the gateway-asserted email of a message (null: none) to the conversation. */
    public static Gateway assertedByGateway(ConversationMeta conversation, String email) {
        if (email == null) {
            return Gateway.UNCHANGED;
        }
        String asserted = normal(email);
        CustomerBinding bound = conversation.getCustomer();
        if (bound != null && bound.getVerified()) {
            return normal(bound.getEmail()).equals(asserted) ? Gateway.UNCHANGED : Gateway.MISMATCH;
        }
        conversation.setCustomer(new CustomerBinding(asserted, null, null, true));
        conversation.setVerification(null);
        return bound == null || normal(bound.getEmail()).equals(asserted) ? Gateway.BOUND : Gateway.CLAIM_REPLACED;
    }

    /**
     * Applies what a finished turn proposes about the identity, in the order the turn's tools acted: the customer it
     * named (a claim at most), the codes it tried, then the code it asked for.
     */
    public static Applied applyTurn(ConversationMeta conversation, TurnOutcome outcome, String messageId, Instant now,
                                    VerificationSettings settings) {
        Events events = new Events(conversation, messageId, now);
        learn(conversation, outcome.customer(), events);
        for (CodeAttempt attempt : outcome.codeAttempts()) {
            if (tryCode(conversation, attempt, settings, events)) {
                break;
            }
        }
        Optional<VerificationRequested> request = Optional.empty();
        TurnOutcome.VerificationStart start = outcome.verificationStart();
        if (start != null) {
            request = start(conversation, start, now, settings, events);
        }
        return new Applied(events.records, request, events.exhausted);
    }

    /** A turn's customer can only ever be a claim: a verified binding is completed, never replaced. */
    private static void learn(ConversationMeta conversation, CustomerBinding learned, Events events) {
        if (learned == null) {
            return;
        }
        CustomerBinding bound = conversation.getCustomer();
        boolean same = bound != null && normal(bound.getEmail()).equals(normal(learned.getEmail()));
        if (bound != null && bound.getVerified()) {
            if (same) {
                // The turn found the customer record of the bound email.
                bound.setCustomerId(learned.getCustomerId() != null ? learned.getCustomerId() : bound.getCustomerId());
                bound.setName(learned.getName() != null ? learned.getName() : bound.getName());
            }
            return;
        }
        if (same) {
            return;
        }
        conversation.setCustomer(new CustomerBinding(normal(learned.getEmail()), null, null, false));
        conversation.setVerification(null);
        events.add(Identity.CLAIMED, AuditOutcome.ALLOWED, bound == null ? "claimed by the customer"
                : "replaced an earlier claim");
    }

    /** True when the attempt settled the verification (passed, or the code is gone). */
    private static boolean tryCode(ConversationMeta conversation, CodeAttempt attempt, VerificationSettings settings,
                                   Events events) {
        PendingVerification pending = conversation.getVerification();
        int failed = pending == null ? 0 : pending.getFailedAttempts();
        Check check = VerificationCodes.check(pending, attempt.code(), attempt.at(), failed, settings);
        switch (check) {
            case PASSED -> {
                conversation.setCustomer(new CustomerBinding(pending.getEmail(), null, null, true));
                conversation.setVerification(null);
                events.add(Identity.VERIFICATION_PASSED, AuditOutcome.ALLOWED, "code accepted");
                events.add(Identity.BOUND, AuditOutcome.ALLOWED, "verified by a one-time code");
                return true;
            }
            case WRONG -> {
                pending.setFailedAttempts(failed + 1);
                boolean exhausted = failed + 1 >= settings.maxAttempts();
                if (exhausted) {
                    conversation.setVerification(null);
                    events.exhausted = true;
                }
                events.add(Identity.VERIFICATION_FAILED, AuditOutcome.REFUSED, exhausted
                        ? "wrong code; no attempts left, code dropped" : "wrong code");
                return exhausted;
            }
            case EXPIRED -> {
                conversation.setVerification(null);
                events.add(Identity.VERIFICATION_EXPIRED, AuditOutcome.REFUSED, "code expired");
                return true;
            }
            case EXHAUSTED -> {
                conversation.setVerification(null);
                events.exhausted = true;
                events.add(Identity.VERIFICATION_FAILED, AuditOutcome.REFUSED, "no attempts left");
                return true;
            }
            default -> {
                events.add(Identity.VERIFICATION_FAILED, AuditOutcome.REFUSED, "no code pending");
                return false;
            }
        }
    }

    private static Optional<VerificationRequested> start(ConversationMeta conversation,
                                                         TurnOutcome.VerificationStart start, Instant now,
                                                         VerificationSettings settings, Events events) {
        CustomerBinding bound = conversation.getCustomer();
        if (bound == null || bound.getVerified() || !normal(bound.getEmail()).equals(normal(start.email()))) {
            events.add(Identity.VERIFICATION_REQUESTED, AuditOutcome.REFUSED, "not the conversation's claim");
            return Optional.empty();
        }
        VerificationCodes.Issued issued = VerificationCodes.issue(bound.getEmail(), now, settings);
        conversation.setVerification(issued.pending());
        if (start.customerId() == null) {
            // A code nobody receives: the conversation goes on exactly as for a customer's email.
            events.add(Identity.VERIFICATION_REQUESTED, AuditOutcome.ALLOWED, "no customer has this email; "
                    + "nothing sent");
            return Optional.empty();
        }
        events.add(Identity.VERIFICATION_REQUESTED, AuditOutcome.ALLOWED, "code published for delivery");
        return Optional.of(VerificationRequested.newBuilder()
                .setRequestId(issued.pending().getRequestId())
                .setConversationId(conversation.getConversationId())
                .setCustomerId(start.customerId())
                .setEmail(bound.getEmail())
                .setCode(issued.code())
                .setRequestedAt(now)
                .setExpiresAt(issued.pending().getExpiresAt())
                .build());
    }

    /** The customer id an audit record names: that of a verified binding only. */
    public static String verifiedCustomerId(ConversationMeta conversation) {
        CustomerBinding bound = conversation.getCustomer();
        return bound != null && bound.getVerified() ? bound.getCustomerId() : null;
    }

    private static String normal(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** The identity events of one applied turn, numbered in order for their audit ids. */
    private static final class Events {
        private final ConversationMeta conversation;
        private final String messageId;
        private final Instant at;
        private final List<AuditRecord> records = new ArrayList<>();
        /** A code attempt found no attempts left. */
        private boolean exhausted;

        Events(ConversationMeta conversation, String messageId, Instant at) {
            this.conversation = conversation;
            this.messageId = messageId;
            this.at = at;
        }

        void add(Identity event, AuditOutcome outcome, String reason) {
            records.add(AuditRecords.identity(conversation.getConversationId(), messageId,
                    "identity:" + (records.size() + 1), verifiedCustomerId(conversation), event, outcome, reason, at));
        }
    }
}
