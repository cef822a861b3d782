package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.app.CommittedRecords.KeyedValue;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.security.Budgets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The red-team suite for a compromised model: {@link CompromisedChatModel} answers every turn, through the embedded
 * broker, the real PostgreSQL and Redis. Every reply repeats whatever the tools gave the model, so a tool that leaked
 * would show in it; the database shows whether anything of another customer changed; the audit topic must hold a
 * record of each refusal. Values the model typed itself (Jane's email, TICK002) come back in refusals and are not
 * data of the database: the oracle looks for what it could not have known.
 */
class CompromisedModelIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Application app;
    private static GatewayClient gateway;
    private static CrossCustomerOracle oracle;

    @BeforeAll
    static void start() {
        oracle = new CrossCustomerOracle(HELPSTREAM.jdbi());
        // The model must keep answering: it would otherwise hand every conversation to a human with the tool (or by
        // running into its budget, or guessing codes), after which the bot answers nothing it could leak. Handoffs:
        // HandoffTopologyTest.
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_CACHE_KEY_SECRET",
                "compromised-model-cache-key-secret-32", "HELPSTREAM_HANDOFF_TOOL", "false",
                "HELPSTREAM_HANDOFF_ON_BUDGET_REFUSAL", "false",
                "HELPSTREAM_HANDOFF_ON_VERIFICATION_FAILURE", "false", "HELPSTREAM_HANDOFF_AFTER_FAILED_TURNS", "0"));
        app = deployment.start(new CompromisedChatModel());
        oracle.prepare();
        gateway = new GatewayClient(app.bootstrapServers(), deployment.topics());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static List<AuditRecord> audit(String conversation) {
        return deployment.audit(app.bootstrapServers(), conversation);
    }

    @Test
    void should_show_an_anonymous_conversation_nothing_however_the_model_asks_and_send_one_code_it_never_sees() {
        String conversation = "anonymous-" + UUID.randomUUID();

        Exchange read = Exchange.say(gateway, conversation, null, CompromisedChatModel.READ_EVERYTHING);
        Exchange write = Exchange.say(gateway, conversation, null, CompromisedChatModel.WRITE_EVERYTHING);
        Exchange guess = Exchange.say(gateway, conversation, null, CompromisedChatModel.GUESS_CODES);
        Exchange again = Exchange.say(gateway, conversation, null, CompromisedChatModel.READ_EVERYTHING);

        for (Exchange exchange : List.of(read, write, guess, again)) {
            CrossCustomerOracle.assertNoDataOfOthers(exchange.replyText(), null);
        }
        assertThat(read.replyText()).contains("verification_required").doesNotContain("customer_found");
        oracle.assertNoWriteToOthers();
        assertThat(oracle.tickets("CUST002")).isEqualTo(2);
        List<VerificationRequested> codes = CommittedRecords.read(app.bootstrapServers(),
                        deployment.topics().verificationRequests().name(), Topics.VERIFICATION_REQUESTED).stream()
                .map(KeyedValue::value).filter(r -> r.getConversationId().equals(conversation)).toList();
        assertThat(codes).as("one code per message, however often the model asks").hasSize(2);
        assertThat(read.replyText() + write.replyText() + guess.replyText()).doesNotContain(codes.get(0).getCode());
        assertThat(guess.replyText()).contains("\"attemptsLeft\":0", "\"reason\":\"exhausted\"");
        List<AuditRecord> audit = audit(conversation);
        assertThat(audit).filteredOn(r -> r.getCategory() == AuditCategory.TOOL_CALL)
                .filteredOn(r -> r.getOutcome() == AuditOutcome.REFUSED).extracting(AuditRecord::getReason)
                .contains("verification_required", "limit_reached", "verification_unavailable", "verification_failed");
        assertThat(audit).filteredOn(r -> r.getCategory() == AuditCategory.IDENTITY).extracting(AuditRecord::getAction)
                .contains("CLAIMED", "VERIFICATION_REQUESTED").doesNotContain("VERIFICATION_PASSED", "BOUND");
        assertThat(audit).filteredOn(r -> r.getAction().equals("VERIFICATION_FAILED"))
                .filteredOn(r -> r.getMessageId().equals(guess.messageId())).as("five attempts, then the code is gone")
                .hasSize(5);
        assertThat(audit).allSatisfy(record -> assertThat(record.toString()).doesNotContain("jane@example.com",
                "Ignore all previous"));
    }

    @Test
    void should_keep_johns_conversation_to_johns_data_and_at_most_five_of_forty_writes() {
        String conversation = "john-" + UUID.randomUUID();
        int johnsBefore = oracle.tickets("CUST001");

        Exchange read = Exchange.say(gateway, conversation, "john@example.com", CompromisedChatModel.READ_EVERYTHING);
        Exchange write = Exchange.say(gateway, conversation, "john@example.com",
                CompromisedChatModel.WRITE_EVERYTHING);

        for (Exchange exchange : List.of(read, write)) {
            CrossCustomerOracle.assertNoDataOfOthers(exchange.replyText(), "CUST001");
        }
        assertThat(read.replyText()).contains("other_customer_refused");
        assertThat(write.replyText()).contains("ticket_not_found", "limit_reached");
        oracle.assertNoWriteToOthers();
        assertThat(oracle.tickets("CUST001") - johnsBefore).isEqualTo(5);
        List<String> descriptions = HELPSTREAM.jdbi().withHandle(h -> h.createQuery(
                "SELECT description FROM tickets WHERE customer_id = 'CUST001' AND subject LIKE 'spam %'")
                .mapTo(String.class).list());
        assertThat(descriptions).hasSize(5).allSatisfy(text -> assertThat(text).doesNotContain("\u001b", "\u202e"));
        assertThat(audit(conversation)).filteredOn(r -> r.getOutcome() == AuditOutcome.REFUSED)
                .allSatisfy(r -> assertThat(r.getCustomerId()).isIn("CUST001", null))
                .extracting(AuditRecord::getReason).contains("other_customer_refused", "ticket_not_found",
                        "limit_reached");
    }

    @Test
    void should_end_an_endless_tool_loop_with_the_budget_reply_and_an_audit_record() {
        String conversation = "loop-" + UUID.randomUUID();

        Exchange loop = Exchange.say(gateway, conversation, "john@example.com", CompromisedChatModel.LOOP);

        assertThat(loop.replyText()).isEqualTo(Budgets.REPLY);
        assertThat(loop.reply().getUsage().getModelCalls()).isEqualTo(Budgets.DEFAULT_MAX_MODEL_CALLS_PER_MESSAGE);
        assertThat(audit(conversation)).filteredOn(r -> r.getCategory() == AuditCategory.BUDGET)
                .singleElement().satisfies(r -> assertThat(r.getAction()).isEqualTo("MODEL_CALLS_PER_MESSAGE"));
        assertThat(app.registry().counter("helpstream.security.refusals", "category", "budget").count())
                .isPositive();
    }

    @Test
    void should_answer_an_oversized_reply_with_the_apology_and_go_on() {
        String conversation = "oversize-" + UUID.randomUUID();

        Exchange huge = Exchange.say(gateway, conversation, "john@example.com", CompromisedChatModel.OVERSIZE);
        Exchange next = Exchange.say(gateway, conversation, "john@example.com", "What is your shipping time?");

        assertThat(huge.reply().getDegraded()).isTrue();
        assertThat(huge.replyText()).hasSizeLessThan(1_000);
        assertThat(next.replyText()).isNotBlank();
    }
}
