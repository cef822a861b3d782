package io.helpstream.tickets.cache;

import io.helpstream.fencing.Fence;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.RecordedTicketChange;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-aside over another {@link SupportRepository}: customer profiles and FAQ answers are served from the
 * {@link LookupCache} while fresh, and every ticket write evicts its customer's profile so the next look-up shows it.
 *
 * <p>Only found values are cached; an unknown customer is asked again each time (it may sign up any minute). Ticket
 * reads, FAQ listings and writes go straight through. A profile holds what the look-up shows and no more
 * ({@link CustomerProfile}). Every value is authenticated with an HMAC bound to its key ({@link CacheValues}): one
 * that fails the check (planted, moved from another key, written with another secret) or cannot be read counts as a
 * miss and is evicted.
 * Concurrent misses of one key are one database read ({@link SingleFlight}).
 *
 * <p>Every instance that shares the Redis prefix and the key secret shares the entries: a write on one evicts the
 * profile every other one would read next.
 */
public final class CachingSupportRepository implements SupportRepository {

    private static final Logger log = LoggerFactory.getLogger(CachingSupportRepository.class);

    private final SupportRepository delegate;
    private final LookupCache cache;
    private final Duration customerTtl;
    private final Duration faqTtl;
    private final CacheCodec codec = new CacheCodec();
    private final CacheKeys keys;
    private final CacheValues values;
    private final SingleFlight flights = new SingleFlight();

    public CachingSupportRepository(SupportRepository delegate, LookupCache cache, CacheSettings settings) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.cache = Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(settings, "settings");
        this.customerTtl = settings.customerTtl();
        this.faqTtl = settings.faqTtl();
        this.keys = CacheKeys.of(settings);
        this.values = keys.values();
        if (settings.keySecret().isEmpty()) {
            log.warn("HELPSTREAM_CACHE_KEY_SECRET is not set: cache keys use a random secret of this process, so "
                    + "instances (and this one after a restart) do not share cache entries");
        }
    }

    /**
     * The cached profile when it is the one of this email, else the database's: an entry that names another
     * customer (written by anyone who can write to Redis) is evicted, never shown.
     */
    @Override
    public Optional<CustomerProfile> findCustomerProfile(String email) {
        String key = keys.customer(email);
        Optional<CustomerProfile> cached = cached(key, CustomerProfile.class);
        if (cached.isPresent() && cached.get().customer().email().equalsIgnoreCase(email.strip())) {
            return cached;
        }
        if (cached.isPresent()) {
            log.warn("The cached profile under {} is not the one of the email it is cached for; evicting it", key);
            cache.evict(key);
        }
        return flights.load(key, () -> delegate.findCustomerProfile(email),
                found -> found.ifPresent(profile -> store(key, profile, customerTtl)));
    }

    /** Never cached: authorization is decided with the database's answer only. */
    @Override
    public Optional<Customer> findCustomer(String email) {
        return delegate.findCustomer(email);
    }

    @Override
    public Optional<FaqEntry> findFaqAnswer(String question) {
        return cacheAside(keys.faq(question), FaqEntry.class, faqTtl, () -> delegate.findFaqAnswer(question));
    }

    /** The cached value, else the database's, which is cached when found (a miss is never cached). */
    private <T> Optional<T> cacheAside(String key, Class<T> type, Duration ttl, Supplier<Optional<T>> load) {
        Optional<T> cached = cached(key, type);
        if (cached.isPresent()) {
            return cached;
        }
        return flights.load(key, load, found -> found.ifPresent(value -> store(key, value, ttl)));
    }

    @Override
    public Optional<Ticket> findTicket(String ticketId) {
        return delegate.findTicket(ticketId);
    }

    /** Never cached: a human taking over must see the tickets as they are. */
    @Override
    public List<String> openTickets(String customerId) {
        return delegate.openTickets(customerId);
    }

    @Override
    public List<FaqEntry> faqEntries() {
        return delegate.faqEntries();
    }

    @Override
    public List<RecordedTicketChange> changesRecordedUnder(String keyPrefix) {
        return delegate.changesRecordedUnder(keyPrefix);
    }

    @Override
    public TicketChange createTicket(NewTicket ticket, String idempotencyKey, Fence fence) {
        return evictCustomer(delegate.createTicket(ticket, idempotencyKey, fence));
    }

    @Override
    public Optional<TicketChange> updateStatus(String ticketId, TicketStatus status, String assignedAgent,
                                               String notes, String idempotencyKey, Fence fence) {
        return delegate.updateStatus(ticketId, status, assignedAgent, notes, idempotencyKey, fence)
                .map(this::evictCustomer);
    }

    @Override
    public Optional<TicketChange> escalate(String ticketId, String reason, String author, String idempotencyKey,
                                           Fence fence) {
        return delegate.escalate(ticketId, reason, author, idempotencyKey, fence).map(this::evictCustomer);
    }

    /** Also on replays: evicting costs little and covers an eviction lost when the first call failed half-way. */
    private TicketChange evictCustomer(TicketChange change) {
        String key = keys.customer(change.customerEmail());
        flights.invalidate(key);
        cache.evict(key);
        return change;
    }

    /** Callers waiting for the look-up of a customer's profile running now (for tests). */
    int waitingFor(String email) {
        return flights.followers(keys.customer(email));
    }

    private <T> Optional<T> cached(String key, Class<T> type) {
        Optional<String> stored = cache.get(key);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> json = values.open(key, stored.get());
        if (json.isEmpty()) {
            log.warn("The cached {} under {} fails its authentication check (not written by helpstream with this "
                    + "secret, or moved from another key); evicting it", type.getSimpleName(), key);
            cache.evict(key);
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(json.get(), type));
        } catch (IllegalArgumentException e) {
            // The parser's message quotes the value: its class only.
            log.warn("Cached {} under {} is unreadable ({}), evicting it", type.getSimpleName(), key,
                    e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
            cache.evict(key);
            return Optional.empty();
        }
    }

    private void store(String key, Object value, Duration ttl) {
        String json;
        try {
            json = codec.encode(value);
        } catch (IllegalArgumentException e) {
            log.warn("Not caching {} under {}", value.getClass().getSimpleName(), key, e);
            return;
        }
        cache.put(key, values.seal(key, json), ttl);
    }
}
