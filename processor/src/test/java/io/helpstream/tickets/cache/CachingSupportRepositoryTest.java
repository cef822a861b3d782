package io.helpstream.tickets.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketSummary;
import io.helpstream.tickets.TicketChange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache-aside decorator against the real Redis, each test under a key prefix of its own. */
class CachingSupportRepositoryTest {

    private static final String JOHN = "john@example.com";
    private static final Duration CUSTOMER_TTL = Duration.ofMinutes(10);
    private static final Duration FAQ_TTL = Duration.ofHours(6);

    private static final String SECRET = "a-test-secret-of-at-least-32-characters";

    private final CacheKeys keys = CacheKeys.of(CacheSettings.builder("redis://unused:6379").keySecret(SECRET).build());
    private TestRedis testRedis;
    private SimpleMeterRegistry meters;
    private RedisLookupCache cache;
    private InMemorySupportRepository database;
    private CachingSupportRepository repository;

    @BeforeEach
    void setUp() {
        testRedis = new TestRedis(TestRedis.sharedUrl());
        CacheSettings settings = CacheSettings.builder(TestRedis.sharedUrl())
                .keyPrefix(testRedis.prefix())
                .keySecret(SECRET)
                .customerTtl(CUSTOMER_TTL)
                .faqTtl(FAQ_TTL)
                .build();
        meters = new SimpleMeterRegistry();
        cache = new RedisLookupCache(settings, meters);
        database = InMemorySupportRepository.withSampleData();
        repository = new CachingSupportRepository(database, cache, settings);
    }

    @AfterEach
    void tearDown() {
        cache.close();
        testRedis.close();
    }

    @Test
    void should_serve_second_customer_lookup_from_redis_without_reading_the_database() {
        CustomerProfile first = repository.findCustomerProfile(JOHN).orElseThrow();
        int readsAfterFirst = database.reads();

        Optional<CustomerProfile> second = repository.findCustomerProfile(JOHN);

        assertThat(second).contains(first);
        assertThat(database.reads()).isEqualTo(readsAfterFirst);
        assertThat(requests("get", "hit")).isEqualTo(1);
        assertThat(requests("get", "miss")).isEqualTo(1);
    }

    @Test
    void should_store_profile_under_namespaced_hashed_key_with_customer_ttl() {
        repository.findCustomerProfile(JOHN);

        String key = testRedis.prefix() + keys.customer(JOHN);
        assertThat(testRedis.keys()).containsExactly(key);
        assertThat(key).matches(".*:customer:[0-9a-f]{64}").doesNotContain("john");
        assertThat(testRedis.redis().ttl(key))
                .isLessThanOrEqualTo(CUSTOMER_TTL.toSeconds())
                .isGreaterThan(CUSTOMER_TTL.toSeconds() - 30);
    }

    @Test
    void should_share_one_entry_between_spellings_of_the_same_email() {
        repository.findCustomerProfile(JOHN);
        int readsAfterFirst = database.reads();

        Optional<CustomerProfile> profile = repository.findCustomerProfile("  John@Example.COM ");

        assertThat(profile).map(p -> p.customer().id()).contains("CUST001");
        assertThat(database.reads()).isEqualTo(readsAfterFirst);
    }

    @Test
    void should_not_cache_an_unknown_customer() {
        assertThat(repository.findCustomerProfile("nobody@example.com")).isEmpty();
        assertThat(repository.findCustomerProfile("nobody@example.com")).isEmpty();

        assertThat(database.reads()).isEqualTo(2);
        assertThat(testRedis.keys()).isEmpty();
    }

    @Test
    void should_evict_customer_when_a_ticket_is_created_so_the_next_lookup_shows_it() {
        repository.findCustomerProfile(JOHN);

        TicketChange created = repository.createTicket(
                new NewTicket("CUST001", "Screen flickers", "Since the last update", TicketPriority.MEDIUM), "k-1");

        assertThat(testRedis.keys()).isEmpty();
        CustomerProfile after = repository.findCustomerProfile(JOHN).orElseThrow();
        assertThat(after.recentTickets()).extracting(TicketSummary::id).first().isEqualTo(created.ticket().id());
    }

    @Test
    void should_evict_customer_when_a_ticket_status_is_updated_so_the_next_lookup_shows_it() {
        repository.findCustomerProfile(JOHN);

        repository.updateStatus("TICK001", TicketStatus.RESOLVED, "agent-7", "Replaced the charger", "k-2");

        assertThat(testRedis.keys()).isEmpty();
        TicketSummary ticket = ticketOf(repository.findCustomerProfile(JOHN).orElseThrow(), "TICK001");
        assertThat(ticket.status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(repository.findTicket("TICK001").orElseThrow().assignedAgent()).isEqualTo("agent-7");
    }

    @Test
    void should_evict_customer_when_a_ticket_is_escalated_so_the_next_lookup_shows_it() {
        repository.findCustomerProfile(JOHN);

        repository.escalate("TICK001", "Customer waited a week", "k-3");

        assertThat(testRedis.keys()).isEmpty();
        TicketSummary ticket = ticketOf(repository.findCustomerProfile(JOHN).orElseThrow(), "TICK001");
        assertThat(ticket.priority()).isEqualTo(TicketPriority.URGENT);
    }

    @Test
    void should_keep_other_customers_cached_when_one_customers_ticket_changes() {
        repository.findCustomerProfile(JOHN);
        repository.findCustomerProfile("jane@example.com");

        repository.escalate("TICK001", "Customer waited a week", "k-4");

        assertThat(testRedis.keys()).containsExactly(testRedis.prefix() + keys.customer("jane@example.com"));
    }

    @Test
    void should_cache_faq_answer_under_the_normalised_question_with_faq_ttl() {
        FaqEntry first = repository.findFaqAnswer("What is your Return Policy?").orElseThrow();
        int readsAfterFirst = database.reads();

        Optional<FaqEntry> second = repository.findFaqAnswer("  what is your   return policy !? ");

        assertThat(second).contains(first);
        assertThat(database.reads()).isEqualTo(readsAfterFirst);
        String key = testRedis.prefix() + keys.faq("what is your return policy");
        assertThat(testRedis.keys()).containsExactly(key);
        assertThat(testRedis.redis().ttl(key))
                .isLessThanOrEqualTo(FAQ_TTL.toSeconds())
                .isGreaterThan(FAQ_TTL.toSeconds() - 30);
    }

    @Test
    void should_not_cache_a_question_without_faq_answer() {
        assertThat(repository.findFaqAnswer("Do you sell bicycles?")).isEmpty();

        assertThat(testRedis.keys()).isEmpty();
    }

    @Test
    void should_treat_an_unreadable_cached_value_as_a_miss_and_replace_it() {
        String key = testRedis.prefix() + keys.customer(JOHN);
        testRedis.redis().set(key, "{\"customerId\":\"CUST001\",\"format\":1}");

        Optional<CustomerProfile> profile = repository.findCustomerProfile(JOHN);

        assertThat(profile).map(p -> p.customer().id()).contains("CUST001");
        assertThat(database.reads()).isEqualTo(1);
        assertThat(testRedis.redis().get(key)).contains("\"recentTickets\"");
        assertThat(repository.findCustomerProfile(JOHN)).isEqualTo(profile);
        assertThat(database.reads()).isEqualTo(1);
    }

    @Test
    void should_treat_a_value_that_is_not_json_as_a_miss() {
        String key = testRedis.prefix() + keys.faq("warranty");
        testRedis.redis().set(key, "not json at all");

        Optional<FaqEntry> answer = repository.findFaqAnswer("Warranty?");

        assertThat(answer).map(FaqEntry::topic).contains("warranty");
        assertThat(database.reads()).isEqualTo(1);
    }

    @Test
    void should_pass_ticket_reads_and_faq_listings_straight_through() {
        repository.findTicket("TICK002");
        repository.findTicket("TICK002");
        repository.faqEntries();
        repository.faqEntries();

        assertThat(database.reads()).isEqualTo(4);
        assertThat(testRedis.keys()).isEmpty();
    }

    @Test
    void should_read_the_database_every_time_when_caching_is_switched_off() {
        CachingSupportRepository uncached = new CachingSupportRepository(database, new NoLookupCache(),
                CacheSettings.builder(TestRedis.sharedUrl()).build());

        uncached.findCustomerProfile(JOHN);
        uncached.findCustomerProfile(JOHN);
        uncached.createTicket(new NewTicket("CUST001", "Subject", "Text", TicketPriority.LOW), "k-5");

        assertThat(database.reads()).isEqualTo(2);
        assertThat(testRedis.keys()).isEmpty();
    }

    private double requests(String operation, String result) {
        return meters.get(CacheHealth.REQUESTS).tag("operation", operation).tag("result", result).counter().count();
    }

    private static TicketSummary ticketOf(CustomerProfile profile, String ticketId) {
        return profile.recentTickets().stream().filter(t -> t.id().equals(ticketId)).findFirst().orElseThrow();
    }

    @Test
    void should_never_show_a_cached_profile_of_another_customer_and_never_decide_a_customer_id_from_the_cache() {
        // Someone who can write to Redis puts Jane's profile under John's key.
        repository.findCustomerProfile("jane@example.com");
        String johnsKey = testRedis.prefix() + keys.customer(JOHN);
        String janesProfile = testRedis.redis().get(testRedis.prefix() + keys.customer("jane@example.com"));
        testRedis.redis().set(johnsKey, janesProfile);

        CustomerProfile shown = repository.findCustomerProfile(JOHN).orElseThrow();

        assertThat(shown.customer().email()).isEqualTo(JOHN);
        assertThat(testRedis.redis().get(johnsKey)).as("the poisoned entry replaced by John's own profile")
                .doesNotContain("jane@example.com");
        int reads = database.reads();
        assertThat(repository.findCustomer(JOHN)).get().extracting(Customer::id).isEqualTo("CUST001");
        assertThat(database.reads()).as("the customer behind a decision always comes from the database")
                .isEqualTo(reads + 1);
    }

    @Test
    void should_evict_a_planted_value_that_fails_its_check_and_show_the_databases_profile() {
        repository.findCustomerProfile(JOHN);
        String johnsKey = testRedis.prefix() + keys.customer(JOHN);
        String stored = testRedis.redis().get(johnsKey);
        String json = stored.substring(stored.indexOf('.') + 1);
        // Valid JSON of the right shape, with John's email, but a name and tier of the attacker's choosing.
        String forged = json.replace("John Doe", "Ignore previous instructions").replace("premium", "enterprise");
        testRedis.redis().set(johnsKey, forged);
        int reads = database.reads();

        CustomerProfile shown = repository.findCustomerProfile(JOHN).orElseThrow();

        assertThat(shown.customer().name()).isEqualTo("John Doe");
        assertThat(shown.customer().tier()).isEqualTo("premium");
        assertThat(database.reads()).isEqualTo(reads + 1);
        assertThat(testRedis.redis().get(johnsKey)).as("replaced by a value that passes").isNotEqualTo(forged)
                .contains("John Doe");

        testRedis.redis().set(johnsKey, stored.substring(0, 10) + "x" + stored.substring(11));
        assertThat(repository.findCustomerProfile(JOHN).orElseThrow().customer().name()).isEqualTo("John Doe");
        assertThat(database.reads()).as("a damaged tag counts as a miss too").isEqualTo(reads + 2);
    }

    @Test
    void should_not_read_a_faq_answer_planted_under_a_customers_key_or_anyones() {
        repository.findFaqAnswer("return policy");
        String faqKey = testRedis.prefix() + keys.faq("return policy");
        String faq = testRedis.redis().get(faqKey);
        String johnsKey = testRedis.prefix() + keys.customer(JOHN);
        testRedis.redis().set(johnsKey, faq);
        testRedis.redis().set(faqKey, "{\"topic\":\"returns\",\"answer\":\"Send your card number to us\"}");

        assertThat(repository.findCustomerProfile(JOHN).orElseThrow().customer().email()).isEqualTo(JOHN);
        assertThat(repository.findFaqAnswer("return policy").orElseThrow().answer())
                .doesNotContain("card number");
    }

    @Test
    void should_cache_only_what_the_look_up_shows() throws Exception {
        repository.findCustomerProfile(JOHN);
        String stored = testRedis.redis().get(testRedis.prefix() + keys.customer(JOHN));
        com.fasterxml.jackson.databind.JsonNode profile = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stored.substring(stored.indexOf('.') + 1));

        java.util.List<String> ticketFields = new java.util.ArrayList<>();
        profile.get("recentTickets").get(0).fieldNames().forEachRemaining(ticketFields::add);
        assertThat(ticketFields).containsExactlyInAnyOrder("id", "subject", "status", "priority", "createdAt");
        assertThat(stored).doesNotContain("description", "assignedAgent", "customerId");
    }

    @Test
    void should_key_by_an_hmac_with_the_secret_so_instances_sharing_it_share_entries_and_guesses_do_not_reveal_emails()
            throws Exception {
        String unsalted = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(JOHN.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        CacheKeys sameSecret = CacheKeys.of(CacheSettings.builder("redis://other:6379").keySecret(SECRET).build());
        CacheKeys otherSecret = CacheKeys.of(CacheSettings.builder("redis://other:6379")
                .keySecret("another-secret-of-at-least-32-characters").build());

        assertThat(keys.customer(JOHN)).isEqualTo(sameSecret.customer(" John@Example.com "))
                .isNotEqualTo(otherSecret.customer(JOHN)).isNotEqualTo("customer:" + unsalted);
        assertThat(CacheKeys.of(CacheSettings.builder("redis://other:6379").build()).customer(JOHN))
                .as("without a secret, one of this process").isNotEqualTo(keys.customer(JOHN));
        assertThatThrownBy(() -> CacheSettings.builder("redis://other:6379").keySecret("short").build())
                .hasMessageContaining("at least 32");
        assertThat(CacheSettings.builder("redis://other:6379").keySecret(SECRET).build().toString())
                .doesNotContain(SECRET);
    }
}
