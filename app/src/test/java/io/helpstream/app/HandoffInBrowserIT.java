package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Topics;
import io.helpstream.ops.HttpProbe;
import io.helpstream.ops.Operations;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.ReplyAuthor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The whole handoff, as two people see it in two browsers: a customer on the chat page asks for a person, the
 * conversation appears on the desk, an agent accepts and replies, the reply appears on the customer's page as a
 * person's, the agent releases, and the bot answers the customer's next message. The real processor on the
 * in-process broker does the rest; the topics are read back at the end.
 */
class HandoffInBrowserIT {

    private static final String TOKEN = "handoff-in-browser-admin-token-0123456789";

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Operations operations;
    private static Application app;
    private static Browser customer;
    private static Browser agent;
    private static String base;

    @BeforeAll
    static void start() {
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_ADMIN_TOKEN", TOKEN, "HELPSTREAM_CHAT_PAGE", "true"));
        HelpstreamConfig config = deployment.instanceConfig(Map.of(
                "HELPSTREAM_HTTP_PORT", String.valueOf(HttpProbe.freePort()), "HELPSTREAM_HTTP_BIND", "127.0.0.1"));
        PrometheusMeterRegistry registry = Metrics.prometheus();
        operations = Operations.start(config.http(), registry);
        app = Application.builder(config).registry(registry).build();
        operations.serve(app);
        app.start();
        base = operations.address().toString();
        customer = new Browser();
        agent = new Browser();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {customer, agent, app, operations}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Closing the rest matters more.
                }
            }
        }
    }

    @Test
    void should_hand_a_customer_to_a_person_and_back_to_the_bot() {
        customer.open(base + "/chat");
        customer.type("#email", SeedScenarios.EMAIL);
        customer.find("#start").click();
        customer.await(d -> customer.find("#message").isEnabled());
        String conversationId = customer.find("#chat-box").getAttribute("data-conversation");
        say("Hi, my order #12345 has not arrived. Can I talk to a human, please?");
        customer.await(d -> customer.all(".bubble.bot").size() == 1);

        agent.open(base + "/desk/sign-in");
        agent.type("#token", TOKEN);
        agent.type("#agentId", "maria.k");
        agent.type("#name", "Maria");
        agent.find("#sign-in").click();
        WebElement row = agent.await(d -> agent.all("#handoffs tbody tr").stream()
                .filter(r -> conversationId.equals(r.getAttribute("data-conversation"))).findFirst().orElse(null));
        assertThat(row.getText()).contains("CUSTOMER_ASKED").contains("WAITING_FOR_HUMAN").contains("VERIFIED");
        agent.screenshot("desk-list");
        row.findElement(By.cssSelector("a")).click();
        agent.awaitText("#history .turn, #history", "order #12345");
        agent.find("#accept").click();
        agent.awaitText("#state", "HUMAN · maria.k");

        agent.type("#reply-text", "Hi John, this is Maria. I am checking with the carrier now.");
        agent.find("#send-reply").click();
        WebElement human = customer.awaitText(".bubble.human", "this is Maria");
        assertThat(human.findElement(By.cssSelector(".author")).getText()).contains("maria.k").contains("a person");
        customer.screenshot("chat-page");

        say("Thank you, Maria!");
        agent.awaitText("#timeline li", "Thank you, Maria!");
        agent.screenshot("desk-conversation");
        int botReplies = customer.all(".bubble.bot").size();
        agent.find("#release").click();
        agent.awaitText("#timeline li", "RELEASED");

        say("What's your return policy?");
        WebElement bot = customer.awaitText(".bubble.bot", "30 days");
        assertThat(bot.getAttribute("data-author")).isEqualTo("BOT");
        assertThat(customer.all(".bubble.bot").size()).isGreaterThan(botReplies);

        List<HandoffEventType> events = CommittedRecords.read(app.bootstrapServers(),
                        deployment.topics().handoffs().name(), Topics.HANDOFF_EVENT).stream()
                .filter(r -> r.key().equals(conversationId)).map(CommittedRecords.KeyedValue::value)
                .map(HandoffEvent::getType).toList();
        assertThat(events).containsSubsequence(HandoffEventType.REQUESTED, HandoffEventType.ACCEPTED,
                HandoffEventType.HUMAN_REPLY, HandoffEventType.CUSTOMER_MESSAGE, HandoffEventType.RELEASED);
        assertThat(events).doesNotContain(HandoffEventType.ACTION_REJECTED);
        List<AgentReply> humanReplies = CommittedRecords.read(app.bootstrapServers(),
                        deployment.topics().agentReplies().name(), Topics.AGENT_REPLY).stream()
                .filter(r -> r.key().equals(conversationId)).map(CommittedRecords.KeyedValue::value)
                .filter(reply -> reply.getAuthor() == ReplyAuthor.HUMAN).toList();
        assertThat(humanReplies).singleElement().satisfies(reply -> {
            assertThat(reply.getAgentId()).isEqualTo("maria.k");
            assertThat(reply.getText()).isEqualTo("Hi John, this is Maria. I am checking with the carrier now.");
        });
    }

    private static void say(String text) {
        customer.type("#message", text);
        customer.find("#send").click();
        customer.awaitText(".bubble.customer", text);
    }
}
