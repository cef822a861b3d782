package io.helpstream.app.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.app.Application;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL becomes unreachable for 30 s (a proxy between helpstream and the server drops every connection and
 * refuses new ones) while messages keep coming: no message is lost or answered twice, replies during the outage
 * tell the customer honestly that the support system is having trouble, and tickets asked for before and after the
 * outage exist exactly once.
 */
class PostgresOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final String[] EMAILS = {"john@example.com", "jane@example.com", "bob@example.com"};
    private static final String HONEST_FAILURE = "our support system is having trouble";
    private static final int CONNECTIONS_AFTER = 4;

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private TcpProxy proxy;
    private Application app;

    @BeforeEach
    void start() throws Exception {
        DatabaseSettings db = DB.settings().build();
        DatabaseUrl server = DatabaseUrl.parse(db.jdbcUrl());
        String[] hostPort = server.hosts().split(":");
        proxy = TcpProxy.start(hostPort[0], hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 5432);
        Map<String, String> env = new HashMap<>();
        String proxied = DatabaseUrl.of("127.0.0.1", proxy.port(), server.database()).jdbcUrl();
        env.put("DATABASE_URL", proxied);
        if (db.user() != null) {
            env.put("DATABASE_USER", db.user());
        }
        if (db.password() != null) {
            env.put("DATABASE_PASSWORD", db.password());
        }
        env.put("DATABASE_CONNECTION_TIMEOUT", "500ms");
        env.put("HELPSTREAM_MAX_TURN_ATTEMPTS", "4");
        env.put("HELPSTREAM_TURN_RETRY_BACKOFF", "500ms");
        // Every look-up goes to PostgreSQL, so the outage is felt by every turn that needs the database.
        env.put("HELPSTREAM_CACHE_ENABLED", "false");
        // Steady traffic to a few conversations: the messages-per-minute budget is BudgetTopologyTest's.
        env.put("HELPSTREAM_MAX_MESSAGES_PER_MINUTE", "10000");
        env.put("HELPSTREAM_MODEL", "offline");
        app = Application.start(HelpstreamConfig.fromEnvironment(new Env(env)), registry);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void should_answer_every_message_once_and_create_tickets_once_when_postgres_is_unreachable_for_a_while()
            throws Exception {
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), app.config().topics())) {
            Traffic traffic = new Traffic(gateway, this::message, Duration.ofMillis(300));

            traffic.send("before", Duration.ofSeconds(6));
            proxy.cut();
            traffic.send("outage", OUTAGE);
            proxy.restore();
            // "After" starts once helpstream's pool has connections again: a message sent while the line is still
            // coming back may meet the outage, and is not what this phase is about.
            awaitReachable(Duration.ofSeconds(20));
            traffic.send("after", Duration.ofSeconds(10));
            traffic.awaitAllAnswered(Duration.ofSeconds(90));

            Map<String, List<AgentReply>> replies = traffic.repliesByMessage();
            assertThat(traffic.sent()).allSatisfy(sent -> assertThat(replies.get(sent.id()))
                    .as("replies to %s (%s)", sent.message().getText(), sent.phase()).hasSize(1)
                    .allSatisfy(reply -> assertThat(reply.getDegraded()).as("degraded").isFalse()));
            List<Traffic.Sent> outage = traffic.sentIn("outage");
            long honest = outage.stream()
                    .filter(sent -> replies.get(sent.id()).get(0).getText().contains(HONEST_FAILURE)).count();
            assertThat(honest).as("replies during the outage that say the support system has trouble")
                    .isGreaterThan(outage.size() / 2);
            assertThat(toolErrors()).as("tool failures reported to the model").isPositive();
            assertThat(registry.find("helpstream.turns").tag("result", "failed").counter().count())
                    .as("failed turns").isZero();

            for (Traffic.Sent sent : traffic.sent()) {
                if (!sent.message().getText().startsWith("My printer")) {
                    continue;
                }
                String reply = replies.get(sent.id()).get(0).getText();
                int tickets = ticketsTagged(tag(sent));
                long created = traffic.ticketEventsFor(sent.id()).stream()
                        .filter(event -> event.getType() == TicketEventType.CREATED).count();
                if (sent.phase().equals("outage") && reply.contains(HONEST_FAILURE)) {
                    // The write may have committed just as the line was cut; it must not have happened twice.
                    assertThat(tickets).as("tickets for %s", sent.message().getText()).isLessThanOrEqualTo(1);
                } else {
                    assertThat(reply).as("reply to %s (%s)", sent.message().getText(), sent.phase())
                            .contains("Support ticket");
                    assertThat(tickets).as("tickets for %s", sent.message().getText()).isEqualTo(1);
                    assertThat(created).as("CREATED events for %s", sent.message().getText()).isEqualTo(1);
                }
            }
            assertThat(traffic.sentIn("after")).isNotEmpty();
        }
    }

    /**
     * Waits until helpstream's own pool lends {@link #CONNECTIONS_AFTER} connections at once that answer: the server
     * answering through the proxy is not enough, the pool must have connections again (after an outage it adds them
     * with a backoff, and a turn that asks before then waits out the 500 ms connection timeout).
     */
    private void awaitReachable(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS_AFTER; i++) {
                    Connection connection = app.database().dataSource().getConnection();
                    held.add(connection);
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                }
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("helpstream's pool has no working connections after restore", e);
                }
                Thread.sleep(100);
            } finally {
                for (Connection connection : held) {
                    try {
                        connection.close();
                    } catch (SQLException e) {
                        // A broken connection goes back to be evicted; the next round borrows again.
                    }
                }
            }
        }
    }

    /** Every third message opens a ticket in a conversation of its own; the others look up and ask the FAQ. */
    private Traffic.Next message(int n) {
        String email = EMAILS[n % EMAILS.length];
        String conversation = "pg-outage-" + run + "-" + n % 6;
        return switch (n % 3) {
            case 0 -> new Traffic.Next("pg-outage-" + run + "-ticket-" + n, email,
                    "My printer " + run + "-m" + n + " is not working.");
            case 1 -> new Traffic.Next(conversation, email, "Look up customer " + email);
            default -> new Traffic.Next(conversation, email, "What's your return policy?");
        };
    }

    private static String tag(Traffic.Sent sent) {
        return sent.message().getText().split(" ")[2];
    }

    private static int ticketsTagged(String tag) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tickets WHERE subject LIKE :tag")
                .bind("tag", "% " + tag + " %").mapTo(Integer.class).one());
    }

    private double toolErrors() {
        return registry.find("helpstream.tool.errors").counters().stream().mapToDouble(Counter::count).sum();
    }
}
