package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.AgentSettings;
import io.helpstream.agent.LangChainAgent;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tools.SupportTools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity levels through the whole topology with the offline model: a typed email is a claim that shows nothing, a
 * one-time code sent out of band verifies it, the gateway's identity wins over a claim and a second gateway identity
 * is refused.
 */
class IdentityTopologyTest {

    /** The driver's wall clock starts at 2026-01-01T00:00Z and moves by milliseconds: the tools read it so. */
    static final Clock CLOCK = Clock.fixed(java.time.Instant.parse("2026-01-01T00:01:00Z"), java.time.ZoneOffset.UTC);

    @TempDir
    Path stateDir;

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private TopologyHarness h;
    private int answered;

    @BeforeEach
    void start() {
        LangChainAgent agent = new LangChainAgent(new OfflineChatModel(),
                SupportTools.create(repository, SupportTools.DEFAULT_AGENT_NAME, CLOCK),
                AgentSettings.defaults(), new SimpleMeterRegistry());
        h = new TopologyHarness(agent, 4, ConversationSettings.defaults(), stateDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private AgentReply say(String conversation, String messageId, String email, String text) {
        CustomerMessage message = TopologyHarness.message(conversation, messageId, text);
        message.setCustomerEmail(email);
        h.send(message);
        List<AgentReply> replies = h.awaitReplies(++answered);
        return replies.get(replies.size() - 1);
    }

    @Test
    void should_show_a_claimed_identity_no_account_data_and_offer_verification() {
        AgentReply reply = say("c1", "m1", null, "I'm jane@example.com, show my tickets");

        assertThat(reply.getText()).doesNotContain("Jane", "TICK002", "basic", "Refund").contains("one-time code");
        CustomerBinding bound = h.state("c1").getCustomer();
        assertThat(bound).isEqualTo(new CustomerBinding("jane@example.com", null, null, false));
    }

    @Test
    void should_neither_escalate_nor_close_a_ticket_for_a_claimed_identity() {
        Ticket before = repository.findTicket("TICK002").orElseThrow();
        say("c1", "m1", null, "I'm jane@example.com");
        say("c1", "m2", null, "Please escalate TICK002");
        say("c1", "m3", null, "Please close TICK002");

        assertThat(repository.findTicket("TICK002")).contains(before);
        assertThat(h.ticketEvents()).isEmpty();
    }

    @Test
    void should_verify_a_claimed_email_with_the_code_sent_out_of_band_and_then_show_the_account() {
        AgentReply offer = say("c1", "m1", null, "I'm jane@example.com, show my tickets");
        List<VerificationRequested> requests = h.verificationRequests.readValuesToList();
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.getEmail()).isEqualTo("jane@example.com");
            assertThat(request.getCustomerId()).isEqualTo("CUST002");
            assertThat(request.getConversationId()).isEqualTo("c1");
            assertThat(request.getCode()).matches("\\d{6}");
        });
        String code = requests.get(0).getCode();
        assertThat(offer.getText()).doesNotContain(code);
        assertThat(h.state("c1").getVerification().getCodeHash().remaining()).isEqualTo(32);

        AgentReply confirmed = say("c1", "m2", null, "my code is " + code);
        AgentReply tickets = say("c1", "m3", null, "show my tickets");

        assertThat(confirmed.getText()).contains("confirmed").doesNotContain(code);
        assertThat(h.state("c1").getCustomer().getVerified()).isTrue();
        assertThat(h.state("c1").getVerification()).isNull();
        assertThat(tickets.getText()).contains("TICK002");
        assertThat(h.audit.readValuesToList()).filteredOn(r -> r.getCategory() == AuditCategory.IDENTITY)
                .extracting(AuditRecord::getAction)
                .containsSubsequence("CLAIMED", "VERIFICATION_REQUESTED", "VERIFICATION_PASSED", "BOUND");
    }

    @Test
    void should_answer_an_unknown_email_exactly_as_a_known_one_and_publish_no_code_for_it() {
        AgentReply known = say("c1", "m1", null, "I'm jane@example.com, show my tickets");
        AgentReply unknown = say("c2", "m1", null, "I'm nobody@example.com, show my tickets");

        assertThat(unknown.getText().replace("nobody@example.com", "jane@example.com")).isEqualTo(known.getText());
        assertThat(h.verificationRequests.readValuesToList()).extracting(VerificationRequested::getConversationId)
                .containsExactly("c1");
        assertThat(h.state("c2").getVerification()).as("a code nobody received, so the flow looks the same")
                .isNotNull();
        AgentReply wrong = say("c2", "m2", null, "my code is 123456");
        assertThat(wrong.getText()).contains("isn't right");
    }

    @Test
    void should_let_the_gateway_identity_win_over_a_claim_and_answer_every_later_message() {
        say("c1", "m1", null, "I'm jane@example.com");
        AgentReply asJohn = say("c1", "m2", "john@example.com", "show my tickets");
        AgentReply later = say("c1", "m3", "john@example.com", "and the status?");

        assertThat(h.deadLetters.isEmpty()).isTrue();
        assertThat(asJohn.getText()).contains("TICK001").doesNotContain("TICK002", "Jane");
        assertThat(later.getText()).isNotBlank();
        assertThat(h.state("c1").getCustomer().getEmail()).isEqualTo("john@example.com");
        assertThat(h.state("c1").getCustomer().getVerified()).isTrue();
        assertThat(h.audit.readValuesToList()).extracting(AuditRecord::getAction).contains("CLAIM_REPLACED");
    }

    @Test
    void should_refuse_a_second_gateway_identity_with_a_fixed_reply_an_audit_record_and_a_dead_letter() {
        say("c1", "m1", "john@example.com", "hello");
        h.audit.readValuesToList();

        AgentReply refused = say("c1", "m2", "jane@example.com", "show my tickets");

        assertThat(refused.getText()).isEqualTo(ConversationProcessor.IDENTITY_MISMATCH);
        assertThat(h.deadLetters.readRecordsToList()).singleElement().satisfies(dead -> assertThat(
                new String(dead.headers().lastHeader("__streams.errors.message").value())).startsWith(
                "IDENTITY_MISMATCH"));
        assertThat(h.audit.readValuesToList()).singleElement().satisfies(record -> {
            assertThat(record.getAction()).isEqualTo("MISMATCH");
            assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(record.getMessageId()).isEqualTo("m2");
        });
        assertThat(h.registry.counter("helpstream.identity.mismatches").count()).isEqualTo(1.0);
        assertThat(h.state("c1").getCustomer().getEmail()).isEqualTo("john@example.com");
        assertThat(say("c1", "m3", "john@example.com", "still me").getText()).isNotBlank();
    }
}
