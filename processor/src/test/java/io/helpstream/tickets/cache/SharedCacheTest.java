package io.helpstream.tickets.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.TicketChange;
import io.helpstream.tickets.TicketSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cache as several instances use it: each with its own connection to the shared Redis, under one prefix and one
 * key secret, over the one database; and many turns of one instance missing the same entry at once.
 */
class SharedCacheTest {

    private static final String JOHN = "john@example.com";
    private static final String SECRET = "a-test-secret-of-at-least-32-characters";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final TestRedis testRedis = new TestRedis(TestRedis.sharedUrl());
    private final CacheSettings settings = CacheSettings.builder(TestRedis.sharedUrl()).keyPrefix(testRedis.prefix())
            .keySecret(SECRET).build();
    private final InMemorySupportRepository database = InMemorySupportRepository.withSampleData();
    private final List<RedisLookupCache> caches = new ArrayList<>();

    @AfterEach
    void tearDown() {
        caches.forEach(RedisLookupCache::close);
        testRedis.close();
    }

    @Test
    void should_show_a_ticket_written_through_one_instance_on_the_next_look_up_of_every_other() {
        CachingSupportRepository first = instance(database);
        CachingSupportRepository second = instance(database);
        first.findCustomerProfile(JOHN);
        second.findCustomerProfile(JOHN);
        assertThat(database.reads()).as("the second instance read the first one's entry").isEqualTo(1);

        TicketChange created = second.createTicket(new NewTicket("CUST001", "Screen flickers", "Since Monday",
                TicketPriority.MEDIUM), "k-shared-1");

        CustomerProfile seenByFirst = first.findCustomerProfile(JOHN).orElseThrow();
        assertThat(seenByFirst.recentTickets()).extracting(TicketSummary::id).first()
                .isEqualTo(created.ticket().id());
        assertThat(database.reads()).isEqualTo(2);
    }

    @Test
    void should_make_one_database_read_of_many_concurrent_misses_of_one_profile() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger profileReads = new AtomicInteger();
        CachingSupportRepository repository = instance(holdingProfiles(database, profileReads, release));
        int turns = 8;
        ExecutorService pool = Executors.newFixedThreadPool(turns);
        try {
            List<CompletableFuture<Optional<CustomerProfile>>> lookups = new ArrayList<>();
            for (int i = 0; i < turns; i++) {
                lookups.add(CompletableFuture.supplyAsync(() -> repository.findCustomerProfile(JOHN), pool));
            }
            awaitUntil(() -> repository.waitingFor(JOHN) == turns - 1);

            release.countDown();

            for (CompletableFuture<Optional<CustomerProfile>> lookup : lookups) {
                assertThat(lookup.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .map(profile -> profile.customer().id()).contains("CUST001");
            }
            assertThat(profileReads).hasValue(1);
            assertThat(testRedis.keys()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_not_cache_a_profile_read_before_a_write_evicted_it() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachingSupportRepository repository = instance(holdingProfiles(database, new AtomicInteger(), release));
        CompletableFuture<Optional<CustomerProfile>> lookup = CompletableFuture.supplyAsync(
                () -> repository.findCustomerProfile(JOHN));
        awaitUntil(() -> database.reads() > 0);

        // The write lands while the read is on its way back with the profile as it was before.
        repository.createTicket(new NewTicket("CUST001", "Screen flickers", "Since Monday", TicketPriority.MEDIUM),
                "k-shared-2");
        release.countDown();

        assertThat(lookup.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isPresent();
        assertThat(testRedis.keys()).as("the stale profile was not cached").isEmpty();
    }

    private CachingSupportRepository instance(SupportRepository delegate) {
        RedisLookupCache cache = new RedisLookupCache(settings, new SimpleMeterRegistry());
        caches.add(cache);
        return new CachingSupportRepository(delegate, cache, settings);
    }

    /** The database, with every profile read held until {@code release}; counts those reads. */
    private static SupportRepository holdingProfiles(SupportRepository database, AtomicInteger reads,
                                                     CountDownLatch release) {
        return (SupportRepository) Proxy.newProxyInstance(SupportRepository.class.getClassLoader(),
                new Class<?>[] {SupportRepository.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(database, args);
                        if (method.getName().equals("findCustomerProfile")) {
                            reads.incrementAndGet();
                            release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void awaitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
