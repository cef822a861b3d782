package io.helpstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.PendingVerification;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnOutcome.CodeAttempt;
import io.helpstream.turn.TurnOutcome.VerificationStart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The identity rules the stream thread applies, each bound at its edge. */
class IdentityRulesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final VerificationSettings SETTINGS = VerificationSettings.defaults();

    private static ConversationMeta conversation(CustomerBinding customer) {
        return ConversationMeta.newBuilder().setConversationId("c1").setCustomer(customer).setCreatedAt(T0)
                .setLastActivityAt(T0).setContext(new HashMap<>()).build();
    }

    private static TurnOutcome.Builder outcome() {
        return TurnOutcome.builder().replyText("ok").model("m").usage(new TokenUsage(0, 0, 1));
    }

    /** A claimed Jane with a code sent at T0; returns the code. */
    private static String claimWithCode(ConversationMeta conversation) {
        IdentityRules.Applied applied = IdentityRules.applyTurn(conversation, outcome()
                .customer(new CustomerBinding("jane@example.com", null, null, false))
                .verificationStart(new VerificationStart("jane@example.com", "CUST002")).build(), "m1", T0, SETTINGS);
        return applied.request().orElseThrow().getCode();
    }

    private static IdentityRules.Applied type(ConversationMeta conversation, Instant at, String... codes) {
        TurnOutcome.Builder outcome = outcome();
        for (String code : codes) {
            outcome.codeAttempt(new CodeAttempt(code, at));
        }
        return IdentityRules.applyTurn(conversation, outcome.build(), "m2", at, SETTINGS);
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @Test
    void should_keep_only_a_salted_hash_of_the_code_and_publish_it_for_a_customer_only() {
        ConversationMeta jane = conversation(null);
        String code = claimWithCode(jane);

        PendingVerification pending = jane.getVerification();
        assertThat(pending.getCodeHash().remaining()).isEqualTo(32);
        assertThat(new String(pending.getCodeHash().array(), StandardCharsets.ISO_8859_1)).doesNotContain(code);
        assertThat(pending.toString()).doesNotContain(code);
        assertThat(pending.getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));

        ConversationMeta nobody = conversation(null);
        IdentityRules.Applied unknown = IdentityRules.applyTurn(nobody, outcome()
                .customer(new CustomerBinding("nobody@example.com", null, null, false))
                .verificationStart(new VerificationStart("nobody@example.com", null)).build(), "m1", T0, SETTINGS);
        assertThat(unknown.request()).isEmpty();
        assertThat(nobody.getVerification()).as("a code kept all the same").isNotNull();
    }

    @Test
    void should_verify_on_the_fifth_attempt_and_not_after_five_wrong_ones() {
        ConversationMeta fifth = conversation(null);
        String code = claimWithCode(fifth);
        type(fifth, T0.plusSeconds(1), wrong(code), wrong(code), wrong(code), wrong(code));
        assertThat(fifth.getVerification().getFailedAttempts()).isEqualTo(4);
        type(fifth, T0.plusSeconds(2), code);
        assertThat(fifth.getCustomer()).isEqualTo(new CustomerBinding("jane@example.com", null, null, true));
        assertThat(fifth.getVerification()).isNull();

        ConversationMeta sixth = conversation(null);
        String other = claimWithCode(sixth);
        IdentityRules.Applied five = type(sixth, T0.plusSeconds(1), wrong(other), wrong(other), wrong(other),
                wrong(other), wrong(other), other);
        assertThat(sixth.getVerification()).as("dropped after the fifth wrong code").isNull();
        assertThat(sixth.getCustomer().getVerified()).isFalse();
        assertThat(five.audit()).extracting(AuditRecord::getAction).containsOnly("VERIFICATION_FAILED").hasSize(5);
        type(sixth, T0.plusSeconds(2), other);
        assertThat(sixth.getCustomer().getVerified()).isFalse();
    }

    @Test
    void should_accept_a_code_at_the_end_of_its_lifetime_and_refuse_it_a_millisecond_later() {
        ConversationMeta atEnd = conversation(null);
        String code = claimWithCode(atEnd);
        type(atEnd, T0.plus(Duration.ofMinutes(10)), code);
        assertThat(atEnd.getCustomer().getVerified()).isTrue();

        ConversationMeta late = conversation(null);
        String lateCode = claimWithCode(late);
        IdentityRules.Applied expired = type(late, T0.plus(Duration.ofMinutes(10)).plusMillis(1), lateCode);
        assertThat(late.getCustomer().getVerified()).isFalse();
        assertThat(late.getVerification()).isNull();
        assertThat(expired.audit()).extracting(AuditRecord::getAction).containsExactly("VERIFICATION_EXPIRED");
    }

    @Test
    void should_never_let_a_turn_verify_an_identity_by_naming_it() {
        ConversationMeta anonymous = conversation(null);
        IdentityRules.applyTurn(anonymous, outcome().customer(new CustomerBinding("jane@example.com", "CUST002",
                "Jane Smith", true)).build(), "m1", T0, SETTINGS);
        assertThat(anonymous.getCustomer()).isEqualTo(new CustomerBinding("jane@example.com", null, null, false));

        ConversationMeta johns = conversation(new CustomerBinding("john@example.com", null, null, true));
        IdentityRules.applyTurn(johns, outcome().customer(new CustomerBinding("jane@example.com", null, null, false))
                .verificationStart(new VerificationStart("jane@example.com", "CUST002")).build(), "m1", T0, SETTINGS);
        assertThat(johns.getCustomer().getEmail()).isEqualTo("john@example.com");
        assertThat(johns.getVerification()).isNull();
    }

    @Test
    void should_let_the_gateway_replace_a_claim_and_refuse_a_second_verified_identity() {
        ConversationMeta claimed = conversation(null);
        claimWithCode(claimed);

        assertThat(IdentityRules.assertedByGateway(claimed, "John@Example.com"))
                .isEqualTo(IdentityRules.Gateway.CLAIM_REPLACED);
        assertThat(claimed.getCustomer()).isEqualTo(new CustomerBinding("john@example.com", null, null, true));
        assertThat(claimed.getVerification()).isNull();
        assertThat(IdentityRules.assertedByGateway(claimed, "john@example.com"))
                .isEqualTo(IdentityRules.Gateway.UNCHANGED);
        assertThat(IdentityRules.assertedByGateway(claimed, "jane@example.com"))
                .isEqualTo(IdentityRules.Gateway.MISMATCH);
        assertThat(claimed.getCustomer().getEmail()).isEqualTo("john@example.com");
        assertThat(IdentityRules.assertedByGateway(claimed, null)).isEqualTo(IdentityRules.Gateway.UNCHANGED);
    }

    @Test
    void should_make_a_new_code_and_request_id_each_time() {
        ConversationMeta conversation = conversation(null);
        claimWithCode(conversation);
        String first = conversation.getVerification().getRequestId();
        VerificationRequested second = IdentityRules.applyTurn(conversation, outcome()
                .verificationStart(new VerificationStart("jane@example.com", "CUST002")).build(), "m2", T0, SETTINGS)
                .request().orElseThrow();
        assertThat(second.getRequestId()).isNotEqualTo(first).isEqualTo(conversation.getVerification().getRequestId());
        assertThat(List.of(second.getExpiresAt())).containsExactly(T0.plus(Duration.ofMinutes(10)));
    }
}
