package io.helpstream.ops;

import io.helpstream.app.Application;
import io.helpstream.protection.Redaction;
import io.helpstream.tickets.cache.RedisLookupCache;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Whether PostgreSQL and Redis answer, each within the check timeout. A check runs on a thread of its own, so a
 * server that went silent costs the probe the timeout, not a hung request; while one check of a kind is still
 * running the next reports that instead of starting another.
 */
final class DependencyChecks implements AutoCloseable {

    private final Duration timeout;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "helpstream-health-check");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Check> database;
    private CompletableFuture<Check> redis;

    DependencyChecks(Duration timeout) {
        this.timeout = timeout;
    }

    /** A connection from the pool, validated by the server. */
    synchronized Check database(Application app) {
        if (database == null || database.isDone()) {
            DataSource source = app.database().dataSource();
            database = CompletableFuture.supplyAsync(() -> validated(source), threads);
        }
        return await(database, "PostgreSQL");
    }

    /** Redis answers a PING; empty when caching is off. */
    synchronized Optional<Check> redis(Application app) {
        Optional<RedisLookupCache> cache = app.cache();
        if (cache.isEmpty()) {
            return Optional.empty();
        }
        if (redis == null || redis.isDone()) {
            redis = CompletableFuture.supplyAsync(() -> cache.get().answers()
                    ? Check.up("answers") : Check.down("does not answer"), threads);
        }
        return Optional.of(await(redis, "Redis"));
    }

    private Check validated(DataSource source) {
        long start = System.nanoTime();
        try (Connection connection = source.getConnection()) {
            int seconds = (int) Math.max(1, timeout.toSeconds());
            return connection.isValid(seconds)
                    ? Check.up("answered in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms")
                    : Check.down("the connection is not valid");
        } catch (Exception e) {
            return Check.down(Redaction.describe(e));
        }
    }

    private Check await(CompletableFuture<Check> check, String what) {
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Check.down(what + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.down("interrupted");
        } catch (Exception e) {
            return Check.down(Redaction.describe(e));
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
