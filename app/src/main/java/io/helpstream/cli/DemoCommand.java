package io.helpstream.cli;

import io.helpstream.app.Application;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.AdminToken;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.config.HttpSettings;
import io.helpstream.contract.SafeText;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Plays the seed tutorial's three scenarios through Kafka, as a chat gateway would, and prints what comes back.
 * Starts whatever is missing (broker, database) and loads the sample customers, tickets and FAQ.
 */
@Command(name = "demo", description = "Play the sample conversations through Kafka and print the replies.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--reply-timeout", description = "Longest wait for one reply (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT60S")
    Duration replyTimeout;

    record Scenario(String title, String conversationId, String email, List<String> messages) {
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("3.1 Database integration", "demo-3.1", "john@example.com", List.of(
                    "Hi, I'm john@example.com and I need help with my laptop",
                    "I want to check the status of my existing tickets",
                    "My laptop is still not working, can you escalate my ticket TICK001?")),
            new Scenario("3.2 Redis caching", "demo-3.2", "john@example.com", List.of(
                    "Look up customer john@example.com",
                    "Look up customer john@example.com",
                    "What's your return policy?")),
            new Scenario("3.3 Session state", "demo-3.3", "john@example.com", List.of(
                    "Hi, I'm John and I need help with my order",
                    "My order number is #12345 and it hasn't arrived yet",
                    "Can you check the status and let me know when it will arrive?",
                    "Also, what's your return policy if I'm not satisfied?",
                    "Thanks for the help! Can you summarize what we discussed?")));

    @Option(names = "--stay", description = "After the scenarios, keep running (the desk and the chat page stay "
            + "open) until Ctrl-C.")
    boolean stay;

    @Override
    public Integer call() throws InterruptedException {
        Env env = Env.system();
        HelpstreamConfig configured = Instance.atWorkstation(HelpstreamConfig.fromEnvironment(env), env)
                .withSampleData();
        // The demo runs on this machine only (127.0.0.1 unless told otherwise): the chat page is on, and so is the
        // desk, under a token made for this run when none is set.
        String generatedToken = configured.http().adminToken().isPresent() ? null : randomToken();
        HttpSettings http = configured.http().withChatPage();
        HelpstreamConfig config = configured.withHttp(generatedToken == null ? http
                : http.withAdminToken(new AdminToken(generatedToken)));
        PrintStream out = System.out;
        try (Instance instance = Instance.start(config);
             GatewayClient gateway = new GatewayClient(instance.app().bootstrapServers(), config.topics())) {
            Application app = instance.app();
            out.println("helpstream demo: Kafka at " + app.bootstrapServers() + ", model "
                    + config.model().replyModelName()
                    + instance.address().map(address -> ", HTTP at " + address + " (/metrics, /health/ready)")
                    .orElse(""));
            printPages(out, instance, generatedToken);
            int replies = 0;
            for (Scenario scenario : SCENARIOS) {
                out.println();
                out.println("=== " + scenario.title() + " (conversation " + scenario.conversationId() + ", "
                        + scenario.email() + ") ===");
                for (String text : scenario.messages()) {
                    CustomerMessage sent = gateway.send(scenario.conversationId(), scenario.email(), text);
                    AgentReply reply = gateway.awaitReply(sent.getMessageId(), replyTimeout);
                    replies++;
                    printExchange(out, text, reply, gateway.ticketEventsFor(sent.getMessageId()));
                }
            }
            gateway.poll(Duration.ofMillis(500));
            out.println();
            out.println("=== Read back from Kafka ===");
            out.println("replies on " + config.topics().agentReplies().name() + ": " + gateway.replies().size()
                    + " (expected " + replies + ")");
            out.println("ticket events on " + config.topics().ticketEvents().name() + ": "
                    + gateway.ticketEvents().size());
            out.printf("cache: %.0f hits, %.0f misses%n", count(app, "hit"), count(app, "miss"));
            int status = gateway.replies().size() == replies ? 0 : 1;
            if (stay) {
                out.println();
                printPages(out, instance, generatedToken);
                out.println("Still running; Ctrl-C stops it.");
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "helpstream-demo-stop"));
                stopped.await();
            }
            return status;
        }
    }

    private static void printPages(PrintStream out, Instance instance, String generatedToken) {
        instance.chatAddress().ifPresent(address -> out.println("customer chat page: " + address));
        instance.deskAddress().ifPresent(address -> out.println("human-agent desk:   " + address
                + (generatedToken == null ? " (sign in with HELPSTREAM_ADMIN_TOKEN)"
                : " (sign in with the token " + generatedToken + ", made for this run)")));
    }

    /** 32 random bytes, URL-safe: a token no one can guess, printed for the person running the demo. */
    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void printExchange(PrintStream out, String text, AgentReply reply, List<TicketEvent> events) {
        out.println("Customer: " + text);
        out.println("Agent:    " + SafeText.clean(reply.getText()).replace("\n", "\n          "));
        out.println("          [" + reply.getModel() + ", tools " + reply.getToolsUsed() + ", "
                + reply.getLatencyMs() + " ms]");
        if (reply.getDegraded()) {
            out.println("          " + Replies.DEGRADED_NOTE);
        }
        for (TicketEvent event : events) {
            out.println("  ticket event: " + event.getType() + " " + event.getTicketId() + " " + event.getStatus()
                    + "/" + event.getPriority() + " \"" + event.getSubject() + "\"");
        }
    }

    private static double count(Application app, String result) {
        return app.registry().find("helpstream.cache.requests").tag("result", result).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
