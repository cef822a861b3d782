package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.client.GatewayClient;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Topic;
import io.helpstream.contract.Topics;
import io.helpstream.ops.HttpProbe;
import io.helpstream.ops.Operations;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The desk and the customer chat page in a real browser (headless Chromium), against the real application on the
 * in-process broker. The processor's side of a handoff (its events on the handoffs topic, a human's reply on the
 * replies topic) is written here as the processor writes it; what the pages write is read back from the topics.
 */
class DeskAndChatPagesIT {

    private static final String TOKEN = "desk-and-chat-pages-admin-token-0123456789";

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Operations operations;
    private static Application app;
    private static Browser browser;
    private static String base;
    private static PrometheusMeterRegistry registry;

    @BeforeAll
    static void start() {
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_ADMIN_TOKEN", TOKEN, "HELPSTREAM_CHAT_PAGE", "true"));
        HelpstreamConfig config = deployment.instanceConfig(Map.of(
                "HELPSTREAM_HTTP_PORT", String.valueOf(HttpProbe.freePort()), "HELPSTREAM_HTTP_BIND", "127.0.0.1"));
        registry = Metrics.prometheus();
        operations = Operations.start(config.http(), registry);
        app = Application.builder(config).registry(registry).build();
        operations.serve(app);
        app.start();
        base = operations.address().toString();
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
        if (operations != null) {
            operations.close();
        }
    }

    @Test
    void should_show_the_bots_reply_live_on_the_chat_page() {
        startChat(SeedScenarios.EMAIL);
        browser.type("#message", "What's your return policy?");
        browser.find("#send").click();

        WebElement reply = browser.awaitText(".bubble.bot", "30 days");
        assertThat(reply.getAttribute("data-author")).isEqualTo("BOT");
        assertThat(reply.getText()).contains("Assistant (automated)");
        assertThat(browser.find(".bubble.customer").getText()).isEqualTo("What's your return policy?");
    }

    @Test
    void should_send_the_typed_email_as_the_gateway_asserted_one_under_an_unguessable_conversation_id() {
        String conversationId = startChat("mary@example.com");
        browser.type("#message", "Hello there");
        browser.find("#send").click();
        browser.await(d -> browser.all(".bubble.bot").isEmpty() ? null : true);

        var sent = CommittedRecords.read(app.bootstrapServers(), deployment.topics().customerMessages().name(),
                Topics.CUSTOMER_MESSAGE).stream().filter(r -> r.key().equals(conversationId)).toList();
        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(record.value().getCustomerEmail()).isEqualTo("mary@example.com");
            assertThat(record.value().getText()).isEqualTo("Hello there");
            assertThat(record.value().getChannel()).isEqualTo("web");
        });
        // "web-" and 128 random bits in base64url.
        assertThat(conversationId).matches("web-[A-Za-z0-9_-]{22}");
    }

    @Test
    void should_mark_a_human_agents_reply_on_the_customers_page_as_written_by_a_person() {
        String conversationId = startChat(SeedScenarios.EMAIL);
        write(deployment.topics().agentReplies(), conversationId,
                Handoffs.humanReply(conversationId, "maria.k", UUID.randomUUID().toString(),
                        "Hi, this is Maria from support. I am looking at your order now."));

        WebElement reply = browser.awaitText(".bubble", "Maria from support");
        assertThat(reply.getAttribute("class")).contains("human").doesNotContain("bot");
        assertThat(reply.getAttribute("data-author")).isEqualTo("HUMAN");
        assertThat(reply.findElement(org.openqa.selenium.By.cssSelector(".author")).getText())
                .isEqualTo("Support agent maria.k (a person)");
    }

    @Test
    void should_refuse_a_sign_in_with_a_wrong_token() {
        browser.open(base + "/desk");
        browser.driver().manage().deleteAllCookies();
        browser.open(base + "/desk");
        browser.await(d -> d.getCurrentUrl().endsWith("/desk/sign-in"));
        browser.type("#token", "not-the-token-but-long-enough-to-try");
        browser.type("#agentId", "mallory");
        browser.type("#name", "Mallory");
        browser.find("#sign-in").click();

        browser.awaitText("#error", "not the admin token");
        assertThat(browser.driver().getCurrentUrl()).contains("/desk/sign-in?failed=token");
        assertThat(browser.driver().manage().getCookieNamed("helpstream_desk")).isNull();
        browser.open(base + "/desk");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/desk/sign-in");
        assertThat(registry.get("helpstream.desk.sign.ins").tag("outcome", "refused").counter().count())
                .as("the refused sign-in is counted").isGreaterThanOrEqualTo(1);
        assertThat(registry.get("helpstream.pages.streams").tag("page", "chat").gauge()).isNotNull();
    }

    @Test
    void should_list_a_handoff_written_to_the_handoffs_topic_and_write_the_agents_actions() {
        String conversationId = "desk-" + UUID.randomUUID();
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
            Exchange.play(gateway, conversationId, SeedScenarios.EMAIL, List.of("Hi, I need help with my order",
                    "My order number is #12345 and it hasn't arrived yet"));
        }
        HandoffEvent older = Handoffs.requested("desk-older-" + UUID.randomUUID(), Instant.now().minusSeconds(600),
                "the agent could not find the parcel", "Parcel lost in transit; customer wants a refund.",
                "jane@example.com", List.of("TICK-000002"));
        HandoffEvent requested = Handoffs.requested(conversationId, Instant.now().minusSeconds(60),
                "the customer asked for a person", "Order #12345 has not arrived; customer asks for a person.",
                SeedScenarios.EMAIL, List.of("TICK001"));
        write(deployment.topics().handoffs(), older.getConversationId(), older);
        write(deployment.topics().handoffs(), conversationId, requested);

        signIn("maria.k", "Maria");
        WebElement row = browser.await(d -> browser.all("#handoffs tbody tr").stream()
                .filter(r -> conversationId.equals(r.getAttribute("data-conversation"))).findFirst().orElse(null));
        assertThat(row.getText()).contains("CUSTOMER_ASKED: the customer asked for a person")
                .contains("Order #12345 has not arrived").contains("VERIFIED").contains("TICK001");
        List<String> order = browser.all("#handoffs tbody tr").stream()
                .map(r -> r.getAttribute("data-conversation")).toList();
        assertThat(order.indexOf(older.getConversationId())).isLessThan(order.indexOf(conversationId));

        row.findElement(org.openqa.selenium.By.cssSelector("a")).click();
        browser.awaitText("#history .turn", "My order number is #12345");
        // The processor rejects these (the handoff above was written by this test, not by a turn): the page shows
        // its answers, and the actions are on the topic all the same.
        browser.find("#accept").click();
        awaitActions(conversationId, 1);
        browser.type("#reply-text", "Hi John, this is Maria. Let me look into your order.");
        browser.find("#send-reply").click();
        awaitActions(conversationId, 2);
        browser.type("#note-text", "Carrier says the parcel is at the depot.");
        browser.find("#add-note").click();

        List<AgentAction> actions = awaitActions(conversationId, 3);
        assertThat(actions).extracting(AgentAction::getType)
                .containsExactly(AgentActionType.ACCEPT, AgentActionType.REPLY, AgentActionType.NOTE);
        assertThat(actions).extracting(AgentAction::getAgentId).containsOnly("maria.k");
        assertThat(actions).extracting(AgentAction::getActionId).doesNotHaveDuplicates();
        assertThat(actions.get(1).getText()).isEqualTo("Hi John, this is Maria. Let me look into your order.");
        assertThat(actions.get(0).getText()).isNull();

        // The processor's answers, as it writes them: they appear on the page live.
        Instant now = Instant.now();
        write(deployment.topics().handoffs(), conversationId, Handoffs.next(requested, HandoffEventType.ACCEPTED,
                ConversationMode.HUMAN, now, "maria.k", actions.get(0).getActionId(), null, null));
        write(deployment.topics().handoffs(), conversationId, Handoffs.next(requested,
                HandoffEventType.HUMAN_REPLY, ConversationMode.HUMAN, now, "maria.k", actions.get(1).getActionId(),
                actions.get(1).getText(), null));
        write(deployment.topics().handoffs(), conversationId, Handoffs.next(requested,
                HandoffEventType.CUSTOMER_MESSAGE, ConversationMode.HUMAN, now.plusMillis(1), null, null,
                "Thank you! Is there any news?", null));
        browser.awaitText("#timeline li", "Thank you! Is there any news?");
        browser.awaitText("#state", "HUMAN · maria.k");

        browser.find("#release").click();
        List<AgentAction> all = awaitActions(conversationId, 4);
        assertThat(all.get(3).getType()).isEqualTo(AgentActionType.RELEASE);
        assertThat(all).extracting(AgentAction::getActionId).doesNotHaveDuplicates();

        write(deployment.topics().handoffs(), conversationId, Handoffs.next(requested,
                HandoffEventType.ACTION_REJECTED, ConversationMode.HUMAN, Instant.now(), "maria.k",
                all.get(3).getActionId(), null, "another agent holds this conversation"));
        browser.awaitText("#timeline li.ACTION_REJECTED", "another agent holds this conversation");
        browser.awaitText("#notice", "Not done: ");

        write(deployment.topics().handoffs(), conversationId, Handoffs.next(requested, HandoffEventType.RELEASED,
                ConversationMode.BOT, Instant.now(), "maria.k", all.get(3).getActionId(), null, null));
        browser.open(base + "/desk");
        // Released: off the list, while the other handoff still waits.
        browser.await(d -> {
            List<String> listed = browser.all("#handoffs tbody tr").stream()
                    .map(r -> r.getAttribute("data-conversation")).toList();
            return listed.contains(older.getConversationId()) && !listed.contains(conversationId);
        });
    }

    /** Opens the chat page, starts a conversation under {@code email}, waits until it may send; its id. */
    private static String startChat(String email) {
        browser.open(base + "/chat");
        browser.type("#email", email);
        browser.find("#start").click();
        browser.await(d -> browser.find("#message").isEnabled());
        return browser.find("#chat-box").getAttribute("data-conversation");
    }

    private static void signIn(String agentId, String name) {
        browser.open(base + "/desk/sign-in");
        browser.type("#token", TOKEN);
        browser.type("#agentId", agentId);
        browser.type("#name", name);
        browser.find("#sign-in").click();
        browser.awaitText("#me", name + " (" + agentId + ")");
    }

    private static List<AgentAction> awaitActions(String conversationId, int count) {
        Supplier<List<AgentAction>> read = () -> CommittedRecords.read(app.bootstrapServers(),
                        deployment.topics().agentActions().name(), Topics.AGENT_ACTION).stream()
                .filter(record -> record.key().equals(conversationId)).map(CommittedRecords.KeyedValue::value)
                .toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<AgentAction> actions = read.get();
        while (actions.size() < count && System.nanoTime() < deadline) {
            sleep();
            actions = read.get();
        }
        return actions;
    }

    private static <V> void write(Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers()),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
