package io.helpstream.tickets.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Level;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.NewTicket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The Redis adapter against real servers: the shared one, and throwaway ones that the tests kill and restart. */
class RedisLookupCacheIT {

    private static final String JOHN = "john@example.com";
    private static final Duration RECONNECT = Duration.ofMillis(300);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void should_namespace_keys_and_expire_them_after_the_given_ttl() {
        try (TestRedis testRedis = new TestRedis(TestRedis.sharedUrl());
             RedisLookupCache cache =
                     new RedisLookupCache(settings(TestRedis.sharedUrl(), testRedis.prefix()), meters)) {

            cache.put("faq:abc", "value", Duration.ofSeconds(90));

            assertThat(testRedis.keys()).containsExactly(testRedis.prefix() + "faq:abc");
            assertThat(testRedis.redis().ttl(testRedis.prefix() + "faq:abc")).isBetween(60L, 90L);
            assertThat(cache.get("faq:abc")).contains("value");
            cache.evict("faq:abc");
            assertThat(cache.get("faq:abc")).isEmpty();
            assertThat(testRedis.keys()).isEmpty();
            assertThat(requests("get", "hit")).isEqualTo(1);
            assertThat(requests("get", "miss")).isEqualTo(1);
        }
    }

    @Test
    void should_answer_from_the_repository_while_redis_is_down_and_use_the_cache_again_when_it_is_back()
            throws Exception {
        try (ThrowawayRedis server = ThrowawayRedis.volatileServer().start();
             LogCapture log = new LogCapture(CacheHealth.class);
             RedisLookupCache cache = new RedisLookupCache(settings(server.url(), "outage:"), meters)) {
            InMemorySupportRepository database = InMemorySupportRepository.withSampleData();
            CachingSupportRepository repository = new CachingSupportRepository(database, cache,
                    settings(server.url(), "outage:"));
            repository.findCustomerProfile(JOHN);
            repository.findCustomerProfile(JOHN);
            assertThat(database.reads()).as("second look-up is a cache hit").isEqualTo(1);

            server.kill();
            for (int i = 0; i < 5; i++) {
                assertThatCode(() -> assertThat(repository.findCustomerProfile(JOHN)).isPresent())
                        .doesNotThrowAnyException();
            }

            assertThat(database.reads()).isEqualTo(6);
            assertThat(requests("get", "error")).isGreaterThanOrEqualTo(5);
            assertThat(cache.available()).isFalse();
            assertThat(log.messages(Level.WARN)).hasSize(1).first().asString().contains("unavailable");

            server.start();
            await(() -> {
                cache.put("probe", "1", Duration.ofMinutes(1));
                return cache.get("probe").isPresent();
            });
            repository.findCustomerProfile(JOHN);
            int readsBeforeHit = database.reads();
            assertThat(repository.findCustomerProfile(JOHN)).isPresent();
            assertThat(database.reads()).as("served from the cache again").isEqualTo(readsBeforeHit);
            assertThat(log.messages(Level.WARN)).hasSize(1);
            assertThat(log.messages(Level.INFO)).hasSize(1).first().asString().contains("answers again");
            assertThat(cache.available()).isTrue();
        }
    }

    @Test
    void should_work_from_the_first_call_when_redis_is_not_there_at_all() throws Exception {
        String nowhere = "redis://127.0.0.1:" + ThrowawayRedis.freePort();
        try (LogCapture log = new LogCapture(CacheHealth.class);
             RedisLookupCache cache = new RedisLookupCache(settings(nowhere, "absent:"), meters)) {
            InMemorySupportRepository database = InMemorySupportRepository.withSampleData();
            CachingSupportRepository repository = new CachingSupportRepository(database, cache,
                    settings(nowhere, "absent:"));

            Optional<CustomerProfile> first = repository.findCustomerProfile(JOHN);
            repository.createTicket(new NewTicket("CUST001", "Subject", "Text", TicketPriority.LOW), "k-1");
            Optional<CustomerProfile> second = repository.findCustomerProfile(JOHN);

            assertThat(first).map(p -> p.customer().id()).contains("CUST001");
            assertThat(second.orElseThrow().recentTickets()).hasSize(2);
            assertThat(database.reads()).isEqualTo(2);
            assertThat(requests("get", "error")).isEqualTo(2);
            assertThat(requests("put", "error") + requests("evict", "error")).isEqualTo(3);
            assertThat(log.messages(Level.WARN)).hasSize(1);
        }
    }

    @Test
    void should_not_try_to_connect_again_before_the_reconnect_interval_has_passed() throws Exception {
        ThrowawayRedis server = ThrowawayRedis.volatileServer();
        CacheSettings patient = CacheSettings.builder(server.url())
                .keyPrefix("patient:")
                .reconnectInterval(Duration.ofMinutes(10))
                .build();
        try (server; RedisLookupCache cache = new RedisLookupCache(patient, meters)) {
            assertThat(cache.get("key")).isEmpty();

            server.start();
            cache.put("key", "value", Duration.ofMinutes(1));

            assertThat(cache.get("key")).isEmpty();
            assertThat(requests("get", "error")).isEqualTo(2);
            assertThat(requests("put", "error")).isEqualTo(1);
        }
    }

    @Test
    void should_replay_an_eviction_that_failed_during_an_outage_once_redis_is_back() throws Exception {
        try (ThrowawayRedis server = ThrowawayRedis.persistentServer().start();
             RedisLookupCache cache = new RedisLookupCache(settings(server.url(), "replay:"), meters)) {
            cache.put("customer:x", "old profile", Duration.ofMinutes(10));
            cache.put("customer:y", "kept profile", Duration.ofMinutes(10));

            server.kill();
            cache.evict("customer:x");
            server.start();

            await(() -> cache.get("customer:x").isEmpty() && cache.available());
            assertThat(requests("evict", "error")).isEqualTo(1);
            assertThat(requests("get", "hit")).isZero();
            assertThat(cache.get("customer:y")).as("the restarted server kept its data").contains("kept profile");
        }
    }

    private double requests(String operation, String result) {
        return meters.get(CacheHealth.REQUESTS).tag("operation", operation).tag("result", result).counter().count();
    }

    private static CacheSettings settings(String url, String prefix) {
        return CacheSettings.builder(url)
                .keyPrefix(prefix)
                .commandTimeout(Duration.ofMillis(300))
                .reconnectInterval(RECONNECT)
                .build();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(100);
        }
    }
}
