package io.helpstream.tickets.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketSummary;
import io.helpstream.tickets.TicketChange;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSupportRepositoryIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final PostgresSupportRepository repository = DB.repository();

    @Test
    void should_find_a_sample_customer_by_email_whatever_its_case() {
        CustomerProfile profile = repository.findCustomerProfile("  John@Example.COM ").orElseThrow();

        assertThat(profile.customer().id()).isEqualTo("CUST001");
        assertThat(profile.customer().name()).isEqualTo("John Doe");
        assertThat(profile.customer().phone()).isEqualTo("+1234567890");
        assertThat(profile.customer().tier()).isEqualTo("premium");
        assertThat(profile.recentTickets()).extracting(TicketSummary::id).contains("TICK001");
    }

    @Test
    void should_load_the_seed_customers_and_tickets() {
        Customer jane = repository.findCustomerProfile("jane@example.com").orElseThrow().customer();
        Customer bob = repository.findCustomerProfile("bob@example.com").orElseThrow().customer();

        assertThat(jane.tier()).isEqualTo("basic");
        assertThat(bob.tier()).isEqualTo("enterprise");
        assertThat(bob.phone()).isNull();
        assertThat(repository.findTicket("TICK001")).get()
                .extracting(Ticket::customerId, Ticket::subject, Ticket::status, Ticket::priority)
                .containsExactly("CUST001", "Laptop not charging", TicketStatus.OPEN, TicketPriority.HIGH);
        assertThat(repository.findTicket("TICK002")).get()
                .extracting(Ticket::customerId, Ticket::subject, Ticket::status, Ticket::priority)
                .containsExactly("CUST002", "Refund request", TicketStatus.IN_PROGRESS, TicketPriority.MEDIUM);
        assertThat(repository.findTicket("TICK003")).get()
                .extracting(Ticket::customerId, Ticket::subject, Ticket::status, Ticket::priority)
                .containsExactly("CUST003", "Account access", TicketStatus.RESOLVED, TicketPriority.LOW);
    }

    @Test
    void should_return_empty_for_an_unknown_customer_or_ticket() {
        assertThat(repository.findCustomerProfile("nobody@example.com")).isEmpty();
        assertThat(repository.findTicket("TICK-999999")).isEmpty();
    }

    @Test
    void should_create_an_open_ticket_with_a_sequence_id_and_touch_the_customer() {
        Instant before = Instant.now().minusSeconds(5);

        TicketChange change = repository.createTicket(
                new NewTicket("CUST003", "Printer jam", "Paper stuck in tray 2", TicketPriority.LOW), key());

        Ticket ticket = change.ticket();
        assertThat(ticket.id()).matches("TICK-\\d{6,}");
        assertThat(ticket.status()).isEqualTo(TicketStatus.OPEN);
        assertThat(ticket.priority()).isEqualTo(TicketPriority.LOW);
        assertThat(ticket.description()).isEqualTo("Paper stuck in tray 2");
        assertThat(change.customerEmail()).isEqualTo("bob@example.com");
        assertThat(change.changed()).isTrue();
        assertThat(change.replayed()).isFalse();
        assertThat(repository.findTicket(ticket.id())).contains(ticket);
        assertThat(repository.findCustomerProfile("bob@example.com").orElseThrow().customer().lastActivityAt())
                .isAfter(before);
    }

    @Test
    void should_show_the_newest_three_tickets_first_in_a_profile() {
        String customerId = newCustomer();
        for (int i = 1; i <= 4; i++) {
            repository.createTicket(new NewTicket(customerId, "Issue " + i, "d", TicketPriority.MEDIUM), key());
        }

        CustomerProfile profile = repository.findCustomerProfile(customerId + "@example.org").orElseThrow();

        assertThat(profile.recentTickets()).extracting(TicketSummary::subject)
                .containsExactly("Issue 4", "Issue 3", "Issue 2");
    }

    @Test
    void should_reject_a_ticket_for_an_unknown_customer_and_keep_its_key_unused() {
        String key = key();
        NewTicket ghost = new NewTicket("CUST404", "Lost", "d", TicketPriority.LOW);

        assertThatThrownBy(() -> repository.createTicket(ghost, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CUST404");
        TicketChange retried = repository.createTicket(
                new NewTicket("CUST002", "Found", "d", TicketPriority.LOW), key);
        assertThat(retried.replayed()).isFalse();
        assertThat(retried.ticket().customerId()).isEqualTo("CUST002");
    }

    @Test
    void should_update_status_and_agent_and_record_the_notes() {
        Ticket ticket = newTicket(TicketPriority.MEDIUM);

        TicketChange change = repository.updateStatus(ticket.id(), TicketStatus.IN_PROGRESS, "agent-7",
                "Called the customer", key()).orElseThrow();

        assertThat(change.changed()).isTrue();
        assertThat(change.replayed()).isFalse();
        assertThat(change.ticket().status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(change.ticket().assignedAgent()).isEqualTo("agent-7");
        assertThat(change.ticket().updatedAt()).isAfterOrEqualTo(ticket.updatedAt());
        assertThat(change.customerEmail()).isEqualTo("jane@example.com");
        assertThat(repository.findTicket(ticket.id()).orElseThrow().status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(notes(ticket.id())).containsExactly("status_update|agent-7|Called the customer");
    }

    @Test
    void should_report_no_change_when_status_and_agent_stay_the_same() {
        Ticket ticket = newTicket(TicketPriority.MEDIUM);

        TicketChange change = repository.updateStatus(ticket.id(), TicketStatus.OPEN, null, null, key())
                .orElseThrow();

        assertThat(change.changed()).isFalse();
        assertThat(change.ticket()).isEqualTo(ticket);
        assertThat(notes(ticket.id())).isEmpty();
    }

    @Test
    void should_return_empty_for_an_unknown_ticket_and_record_no_key() {
        String key = key();

        assertThat(repository.updateStatus("TICK-NOPE", TicketStatus.CLOSED, null, "n", key)).isEmpty();
        assertThat(repository.escalate("TICK-NOPE", "r", key)).isEmpty();
        assertThat(keyCount(key)).isZero();
    }

    @Test
    void should_raise_priority_one_level_per_escalation_until_urgent() {
        Ticket ticket = newTicket(TicketPriority.LOW);

        List<TicketPriority> levels = List.of(
                repository.escalate(ticket.id(), "Waiting too long", key()).orElseThrow().ticket().priority(),
                repository.escalate(ticket.id(), "Still broken", key()).orElseThrow().ticket().priority(),
                repository.escalate(ticket.id(), "Customer angry", key()).orElseThrow().ticket().priority());
        TicketChange atTop = repository.escalate(ticket.id(), "Again", key()).orElseThrow();

        assertThat(levels).containsExactly(TicketPriority.MEDIUM, TicketPriority.HIGH, TicketPriority.URGENT);
        assertThat(atTop.changed()).isFalse();
        assertThat(atTop.ticket().priority()).isEqualTo(TicketPriority.URGENT);
        assertThat(notes(ticket.id())).containsExactly("escalation||Waiting too long", "escalation||Still broken",
                "escalation||Customer angry", "escalation||Again");
    }

    @Test
    void should_answer_faq_by_topic_or_keyword() {
        assertThat(repository.findFaqAnswer("What's your RETURN POLICY?")).get()
                .extracting(FaqEntry::topic, FaqEntry::answer)
                .containsExactly("return policy", "You can return items within 30 days of purchase for a full refund.");
        assertThat(repository.findFaqAnswer("Can I get a refund?")).get()
                .extracting(FaqEntry::topic).isEqualTo("return policy");
        assertThat(repository.findFaqAnswer("How long does delivery take?")).get()
                .extracting(FaqEntry::topic).isEqualTo("shipping time");
        assertThat(repository.findFaqAnswer("Do you take PayPal?")).get()
                .extracting(FaqEntry::topic).isEqualTo("payment methods");
        assertThat(repository.findFaqAnswer("100% sure_about that?")).isEmpty();
    }

    @Test
    void should_prefer_the_longest_matching_term() {
        assertThat(repository.findFaqAnswer("Is shipping covered by the return policy?")).get()
                .extracting(FaqEntry::topic).isEqualTo("return policy");
        assertThat(repository.findFaqAnswer("What are your contact hours for shipping questions?")).get()
                .extracting(FaqEntry::topic).isEqualTo("contact hours");
    }

    @Test
    void should_list_the_five_seed_faq_entries_with_their_answers() {
        assertThat(repository.faqEntries()).containsExactly(
                new FaqEntry("contact hours", "Customer service is available Monday-Friday 9AM-6PM EST."),
                new FaqEntry("payment methods", "We accept credit cards, PayPal, and Apple Pay."),
                new FaqEntry("return policy", "You can return items within 30 days of purchase for a full refund."),
                new FaqEntry("shipping time",
                        "Standard shipping takes 3-5 business days. Express shipping takes 1-2 days."),
                new FaqEntry("warranty", "All products come with a 1-year manufacturer warranty."));
    }

    private Ticket newTicket(TicketPriority priority) {
        return repository.createTicket(new NewTicket("CUST002", "Subject", "Description", priority), key())
                .ticket();
    }

    private static String newCustomer() {
        String id = "C" + UUID.randomUUID().toString().substring(0, 8);
        DB.jdbi().useHandle(h -> h.execute(
                "INSERT INTO customers (id, name, email, tier) VALUES (?, 'Test', ?, 'basic')",
                id, id + "@example.org"));
        return id;
    }

    @Test
    void should_sign_every_note_and_name_the_write_it_was_written_for() {
        Ticket ticket = newTicket(TicketPriority.LOW);
        String escalation = "m7/c0123/escalateTicket/1";
        String update = "m8/c0123/updateTicketStatus/1";

        repository.escalate(ticket.id(), "Waited too long", "AI_Agent_001", escalation);
        repository.updateStatus(ticket.id(), TicketStatus.RESOLVED, "AI_Agent_001", "Fixed", update);

        List<String> notes = DB.jdbi().withHandle(h -> h.createQuery("""
                        SELECT kind || '|' || author || '|' || written_for FROM ticket_notes
                        WHERE ticket_id = :id ORDER BY id""")
                .bind("id", ticket.id()).mapTo(String.class).list());

        assertThat(notes).containsExactly("escalation|AI_Agent_001|" + escalation, "status_update|AI_Agent_001|" + update);
    }

    private static List<String> notes(String ticketId) {
        return DB.jdbi().withHandle(h -> h.createQuery("""
                        SELECT kind || '|' || coalesce(author, '') || '|' || note FROM ticket_notes
                        WHERE ticket_id = :id ORDER BY id""")
                .bind("id", ticketId).mapTo(String.class).list());
    }

    private static int keyCount(String key) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tool_idempotency WHERE key = :key")
                .bind("key", key).mapTo(Integer.class).one());
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
