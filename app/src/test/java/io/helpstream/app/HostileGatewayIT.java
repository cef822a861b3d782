package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.app.CommittedRecords.KeyedValue;
import io.helpstream.client.CustomerMessages;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Replies;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.security.Budgets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The red-team suite for a hostile gateway, with the offline model, through the embedded broker, the real
 * PostgreSQL and Redis: message ids reused across conversations, identities switched within one, floods; and the
 * verification a delivering service completes by reading the verification topic. Every reply is checked for data
 * of a customer the conversation is not verified as, the database for writes to another customer's tickets.
 */
class HostileGatewayIT {

    private static final int PER_MINUTE = 10;

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Application app;
    private static GatewayClient gateway;
    private static CrossCustomerOracle oracle;

    @BeforeAll
    static void start() {
        oracle = new CrossCustomerOracle(HELPSTREAM.jdbi());
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_MAX_MESSAGES_PER_MINUTE", String.valueOf(PER_MINUTE),
                "HELPSTREAM_CACHE_KEY_SECRET", "hostile-gateway-cache-key-secret-of-32"));
        app = deployment.start();
        oracle.prepare();
        gateway = new GatewayClient(app.bootstrapServers(), deployment.topics());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static List<AgentReply> replies(String conversation) {
        return CommittedRecords.read(app.bootstrapServers(), deployment.topics().agentReplies().name(),
                Topics.AGENT_REPLY).stream().map(KeyedValue::value)
                .filter(reply -> reply.getConversationId().equals(conversation)).toList();
    }

    private static AgentReply awaitReply(String conversation, String messageId) {
        long deadline = System.nanoTime() + Exchange.REPLY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<AgentReply> found = replies(conversation).stream()
                    .filter(reply -> Replies.answered(reply).contains(messageId)).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            gateway.poll(Duration.ofMillis(200));
        }
        throw new AssertionError("no reply to " + messageId + " in " + conversation);
    }

    private static List<AuditRecord> audit(String conversation) {
        return deployment.audit(app.bootstrapServers(), conversation);
    }

    @Test
    void should_give_a_message_id_reused_in_another_conversation_nothing_of_the_first() {
        String janes = "jane-" + UUID.randomUUID();
        String johns = "john-" + UUID.randomUUID();
        String reused = "reused-" + UUID.randomUUID();
        gateway.send(CustomerMessages.withId(reused, janes, "jane@example.com", "My phone is broken", Instant.now()));
        AgentReply toJane = awaitReply(janes, reused);
        oracle.acceptOwnWrites();
        int johnsBefore = oracle.tickets("CUST001");

        gateway.send(CustomerMessages.withId(reused, johns, "john@example.com", "My laptop is broken",
                Instant.now()));
        AgentReply toJohn = awaitReply(johns, reused);

        String janesTicket = HELPSTREAM.jdbi().withHandle(h -> h.createQuery("SELECT id FROM tickets WHERE "
                + "customer_id = 'CUST002' AND subject = 'My phone is broken'").mapTo(String.class).one());
        assertThat(toJane.getText()).contains(janesTicket);
        assertThat(toJohn.getText()).doesNotContain(janesTicket, "phone");
        CrossCustomerOracle.assertNoDataOfOthers(toJohn.getText(), "CUST001");
        assertThat(toJohn.getReplyId()).isNotEqualTo(toJane.getReplyId());
        assertThat(oracle.tickets("CUST001")).isEqualTo(johnsBefore + 1);
        oracle.assertNoWriteToOthers();
    }

    @Test
    void should_let_the_gateway_win_over_a_claim_and_refuse_a_second_gateway_identity_with_an_audit_record() {
        String conversation = "switch-" + UUID.randomUUID();

        Exchange claim = Exchange.say(gateway, conversation, null, "I'm jane@example.com, show my tickets");
        Exchange asJohn = Exchange.say(gateway, conversation, "john@example.com", "show my tickets");
        Exchange asJane = Exchange.say(gateway, conversation, "jane@example.com", "show my tickets");
        Exchange johnAgain = Exchange.say(gateway, conversation, "john@example.com", "what is the status?");

        CrossCustomerOracle.assertNoDataOfOthers(claim.replyText(), null);
        for (Exchange exchange : List.of(asJohn, asJane, johnAgain)) {
            CrossCustomerOracle.assertNoDataOfOthers(exchange.replyText(), "CUST001");
        }
        assertThat(asJohn.replyText()).contains("TICK001");
        assertThat(asJane.replyText()).contains("belongs to another signed-in account");
        assertThat(johnAgain.replyText()).contains("TICK001");
        assertThat(audit(conversation)).filteredOn(r -> r.getCategory() == AuditCategory.IDENTITY)
                .extracting(AuditRecord::getAction).containsSubsequence("CLAIMED", "CLAIM_REPLACED", "MISMATCH");
        assertThat(app.registry().counter("helpstream.identity.mismatches").count()).isEqualTo(1.0);
        oracle.assertNoWriteToOthers();
    }

    @Test
    void should_answer_every_message_of_a_flood_once_and_refuse_past_the_rate_with_an_audit_record_each() {
        String conversation = "flood-" + UUID.randomUUID();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 6 * PER_MINUTE; i++) {
            sent.add(gateway.send(conversation, "john@example.com", "What is your shipping time? " + i)
                    .getMessageId());
        }
        awaitReply(conversation, sent.get(sent.size() - 1));
        long deadline = System.nanoTime() + Exchange.REPLY_TIMEOUT.toNanos();
        List<AgentReply> replies = replies(conversation);
        while (replies.stream().mapToLong(r -> Replies.answered(r).size()).sum() < sent.size()
                && System.nanoTime() < deadline) {
            gateway.poll(Duration.ofMillis(200));
            replies = replies(conversation);
        }

        assertThat(replies.stream().flatMap(r -> Replies.answered(r).stream()).toList())
                .containsExactlyInAnyOrderElementsOf(sent);
        long refused = replies.stream().filter(r -> r.getText().equals(Budgets.REPLY)).count();
        assertThat(refused).isPositive();
        assertThat(audit(conversation)).filteredOn(r -> r.getCategory() == AuditCategory.BUDGET)
                .hasSize((int) refused)
                .allSatisfy(r -> assertThat(r.getAction()).isEqualTo("MESSAGES_PER_MINUTE"));
        replies.forEach(reply -> CrossCustomerOracle.assertNoDataOfOthers(reply.getText(), "CUST001"));
    }

    @Test
    void should_verify_a_claimed_email_with_the_code_a_delivering_service_reads_and_only_then_show_the_account() {
        String conversation = "verify-" + UUID.randomUUID();

        Exchange claim = Exchange.say(gateway, conversation, null, "I'm jane@example.com, show my tickets");
        VerificationRequested request = awaitCode(conversation);
        Exchange wrong = Exchange.say(gateway, conversation, null, "my code is "
                + (request.getCode().equals("000000") ? "000001" : "000000"));
        Exchange right = Exchange.say(gateway, conversation, null, "my code is " + request.getCode());
        Exchange tickets = Exchange.say(gateway, conversation, null, "show my tickets");

        for (Exchange exchange : List.of(claim, wrong, right)) {
            CrossCustomerOracle.assertNoDataOfOthers(exchange.replyText(), null);
            assertThat(exchange.replyText()).doesNotContain(request.getCode());
        }
        assertThat(request.getEmail()).isEqualTo("jane@example.com");
        assertThat(request.getCustomerId()).isEqualTo("CUST002");
        assertThat(wrong.replyText()).contains("isn't right");
        assertThat(right.replyText()).contains("confirmed");
        assertThat(tickets.replyText()).contains("TICK002", CrossCustomerOracle.HIDDEN_TICKET);
        CrossCustomerOracle.assertNoDataOfOthers(tickets.replyText(), "CUST002");
        assertThat(audit(conversation)).extracting(AuditRecord::getAction).containsSubsequence("CLAIMED",
                "VERIFICATION_REQUESTED", "VERIFICATION_FAILED", "VERIFICATION_PASSED", "BOUND");

        // Verified, Jane may act on her ticket; the note says it was written for her message, by the agent.
        Exchange close = Exchange.say(gateway, conversation, null, "Please resolve ticket TICK002, I got my refund");
        oracle.acceptOwnWrites();
        assertThat(close.replyText()).contains("TICK002", "resolved");
        Map<String, Object> note = HELPSTREAM.jdbi().withHandle(h -> h.createQuery("SELECT author, written_for FROM "
                + "ticket_notes WHERE ticket_id = 'TICK002' ORDER BY id DESC LIMIT 1").mapToMap().one());
        assertThat((String) note.get("written_for")).startsWith(close.messageId() + "/c")
                .endsWith("/updateTicketStatus/1");
        assertThat(note.get("author")).isEqualTo(io.helpstream.tools.SupportTools.DEFAULT_AGENT_NAME);
    }

    private static VerificationRequested awaitCode(String conversation) {
        long deadline = System.nanoTime() + Exchange.REPLY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<VerificationRequested> found = CommittedRecords.read(app.bootstrapServers(),
                    deployment.topics().verificationRequests().name(), Topics.VERIFICATION_REQUESTED).stream()
                    .map(KeyedValue::value).filter(r -> r.getConversationId().equals(conversation)).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
        throw new AssertionError("no verification request for " + conversation);
    }
}
