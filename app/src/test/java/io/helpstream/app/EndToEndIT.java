package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.app.CommittedRecords.KeyedValue;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * helpstream as a chat gateway sees it: messages produced to Kafka, replies and ticket events read back with
 * {@code read_committed}, tickets checked in PostgreSQL and look-ups in Redis. One running instance serves the class;
 * every test has conversations of its own.
 */
class EndToEndIT {

    private static final String CACHE_KEY_SECRET = "end-to-end-cache-key-secret-of-32-chars";

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Application app;
    private GatewayClient gateway;

    @BeforeAll
    static void startHelpstream() {
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_CACHE_KEY_SECRET", CACHE_KEY_SECRET));
        app = deployment.start();
    }

    @BeforeEach
    void connectGateway() {
        gateway = new GatewayClient(app.bootstrapServers(), deployment.topics());
    }

    @AfterEach
    void disconnectGateway() {
        gateway.close();
    }

    @Test
    void should_create_a_ticket_and_escalate_the_existing_one_in_the_database_scenario() {
        String conversation = conversationId("3.1");

        List<Exchange> exchanges = Exchange.play(gateway, conversation, SeedScenarios.EMAIL, SeedScenarios.DATABASE);

        assertAnsweredOnceInOrder(conversation, exchanges);
        String created = ticketCreatedBy(exchanges.get(0).messageId());
        Map<String, Object> row = ticketRow(created);
        assertThat(row).containsEntry("customer_id", "CUST001").containsEntry("subject", "Help with my laptop")
                .containsEntry("status", "open").containsEntry("priority", "medium")
                .containsEntry("description", SeedScenarios.DATABASE.get(0));
        assertThat(exchanges.get(0).replyText()).contains("Support ticket " + created + " created");
        assertThat(exchanges.get(1).replyText()).contains(created).contains("TICK001");

        List<KeyedValue<TicketEvent>> events = ticketEvents();
        assertThat(eventsFor(events, exchanges.get(0).messageId())).singleElement().satisfies(event -> {
            assertThat(event.key()).isEqualTo(created);
            assertThat(event.value().getType()).isEqualTo(TicketEventType.CREATED);
            assertThat(event.value().getTicketId()).isEqualTo(created);
            assertThat(event.value().getCustomerId()).isEqualTo("CUST001");
            assertThat(event.value().getConversationId()).isEqualTo(conversation);
        });

        assertThat(ticketRow("TICK001")).containsEntry("priority", "urgent");
        assertThat(notes("TICK001", "escalation")).contains(SeedScenarios.DATABASE.get(2));
        assertThat(eventsFor(events, exchanges.get(2).messageId())).singleElement().satisfies(event -> {
            assertThat(event.key()).isEqualTo("TICK001");
            assertThat(event.value().getType()).isEqualTo(TicketEventType.PRIORITY_CHANGED);
            assertThat(event.value().getPriority()).isEqualTo(TicketPriority.URGENT);
        });
        assertThat(exchanges.get(2).reply().getToolsUsed()).containsExactly("escalateTicket");
    }

    @Test
    void should_serve_the_repeated_look_up_from_redis_in_the_caching_scenario() throws Exception {
        String conversation = conversationId("3.2");
        List<String> texts = SeedScenarios.CACHING;

        Exchange first = Exchange.say(gateway, conversation, SeedScenarios.EMAIL, texts.get(0));
        double hitsBefore = cacheRequests("hit");
        Exchange second = Exchange.say(gateway, conversation, SeedScenarios.EMAIL, texts.get(1));
        double hitsAfter = cacheRequests("hit");
        Exchange policy = Exchange.say(gateway, conversation, SeedScenarios.EMAIL, texts.get(2));

        assertAnsweredOnceInOrder(conversation, List.of(first, second, policy));
        assertThat(second.reply().getToolsUsed()).containsExactly("lookupCustomer");
        assertThat(hitsAfter).as("cache hits during the second look-up").isGreaterThan(hitsBefore);
        assertThat(second.replyText()).isEqualTo(first.replyText()).contains("premium tier");
        String key = HELPSTREAM.redis().prefix() + "customer:" + hmac(SeedScenarios.EMAIL);
        assertThat(HELPSTREAM.redis().redis().ttl(key)).as("TTL of " + key).isBetween(1L, 3600L);
        assertThat(policy.replyText()).contains(SeedScenarios.RETURN_POLICY);
        assertThat(policy.reply().getToolsUsed()).containsExactly("answerFaq");
    }

    @Test
    void should_remember_the_order_number_and_summarize_the_topics_in_the_session_scenario() {
        String conversation = conversationId("3.3");

        List<Exchange> exchanges = Exchange.play(gateway, conversation, SeedScenarios.EMAIL, SeedScenarios.SESSION);

        assertAnsweredOnceInOrder(conversation, exchanges);
        assertThat(exchanges.get(1).replyText()).contains("#12345");
        ConversationState state = storedState(conversation);
        assertThat(state.getContext()).containsEntry("order_number", "#12345");
        assertThat(state.getMessageCount()).isEqualTo(5);
        assertThat(state.getTurnCount()).isEqualTo(5);
        assertThat(state.getCustomer().getCustomerId()).isEqualTo("CUST001");
        String summary = exchanges.get(4).replyText();
        assertThat(summary).contains("User messages: 5").contains("Topics discussed:");
        assertThat(summary.lines().filter(line -> line.contains("Topics discussed:")).findFirst().orElseThrow())
                .contains("order").contains("refund");
        assertThat(exchanges.get(3).replyText()).contains(SeedScenarios.RETURN_POLICY);
    }

    @Test
    void should_not_answer_a_redelivered_message_twice() {
        String conversation = conversationId("redelivery");
        double duplicatesBefore = counter("helpstream.messages.duplicate");
        Exchange question = Exchange.say(gateway, conversation, SeedScenarios.EMAIL, "What's your return policy?");

        gateway.send(question.sent());
        Exchange thanks = Exchange.say(gateway, conversation, SeedScenarios.EMAIL, "Thanks, that is all");

        // Replies of one conversation share a partition: a second answer to the question would come before this one.
        assertAnsweredOnceInOrder(conversation, List.of(question, thanks));
        assertThat(counter("helpstream.messages.duplicate") - duplicatesBefore).isEqualTo(1.0);
        assertThat(storedState(conversation).getMessageCount()).isEqualTo(2);
    }

    @Test
    void should_send_an_unreadable_message_to_the_dead_letter_topic_and_answer_the_next_one() {
        String conversation = conversationId("garbage");
        byte[] garbage = ("not an avro message " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

        gateway.sendRaw(conversation.getBytes(StandardCharsets.UTF_8), garbage);
        Exchange next = Exchange.say(gateway, conversation, SeedScenarios.EMAIL, "What's your return policy?");

        assertThat(next.replyText()).contains(SeedScenarios.RETURN_POLICY);
        Topics topics = deployment.topics();
        List<ConsumerRecord<String, byte[]>> deadLetters = CommittedRecords.read(app.bootstrapServers(),
                topics.deadLetters().name()).stream().filter(record -> Arrays.equals(record.value(), garbage))
                .toList();
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(conversation);
            assertThat(header(record, "__streams.errors.exception")).isNotBlank();
            assertThat(header(record, "__streams.errors.message")).isNotBlank();
            assertThat(header(record, "__streams.errors.topic")).isEqualTo(topics.customerMessages().name());
        });
        assertAnsweredOnceInOrder(conversation, List.of(next));
    }

    @Test
    void should_resolve_a_ticket_with_notes_in_the_database() {
        String conversation = conversationId("resolve");
        String text = "Please resolve ticket TICK002, the refund has arrived";

        Exchange exchange = Exchange.say(gateway, conversation, "jane@example.com", text);

        String agent = app.config().agentName();
        assertThat(exchange.replyText()).contains("Ticket TICK002 updated to 'resolved'");
        assertThat(ticketRow("TICK002")).containsEntry("status", "resolved").containsEntry("assigned_agent", agent);
        assertThat(notes("TICK002", "status_update")).containsExactly(text);
        assertThat(eventsFor(ticketEvents(), exchange.messageId())).singleElement().satisfies(event -> {
            assertThat(event.key()).isEqualTo("TICK002");
            assertThat(event.value().getType()).isEqualTo(TicketEventType.STATUS_CHANGED);
        });
    }

    @Test
    void should_answer_from_the_faq_table() {
        String answer = "Every product is covered for two years (" + UUID.randomUUID() + ").";
        HELPSTREAM.jdbi().useHandle(h -> h.createUpdate("UPDATE faq_entries SET answer = :answer "
                + "WHERE topic = 'warranty'").bind("answer", answer).execute());

        Exchange exchange = Exchange.say(gateway, conversationId("faq"), SeedScenarios.EMAIL,
                "What does the warranty cover?");

        assertThat(exchange.replyText()).contains(answer);
        assertThat(exchange.reply().getToolsUsed()).containsExactly("answerFaq");
    }

    @Test
    void should_refuse_to_look_up_another_customer_in_a_conversation_bound_to_john() {
        Exchange exchange = Exchange.say(gateway, conversationId("other-customer"), SeedScenarios.EMAIL,
                "Look up customer jane@example.com");

        assertThat(exchange.replyText())
                .contains("I can only look up the account of the customer in this conversation (john@example.com)")
                .doesNotContain("Jane Smith").doesNotContain("TICK002").doesNotContain("+1234567891");
    }

    private static String conversationId(String name) {
        return name + "-" + UUID.randomUUID();
    }

    /** Every message of the conversation has exactly one committed reply, and the replies come in message order. */
    private static void assertAnsweredOnceInOrder(String conversation, List<Exchange> exchanges) {
        List<String> answered = CommittedRecords.read(app.bootstrapServers(), deployment.topics().agentReplies().name(),
                        Topics.AGENT_REPLY).stream()
                .map(KeyedValue::value)
                .filter(reply -> reply.getConversationId().equals(conversation))
                .map(AgentReply::getInReplyTo)
                .toList();
        assertThat(answered).containsExactlyElementsOf(exchanges.stream().map(Exchange::sent)
                .map(CustomerMessage::getMessageId).toList());
        assertThat(exchanges).allSatisfy(exchange -> {
            assertThat(exchange.reply().getDegraded()).isFalse();
            assertThat(exchange.reply().getModel()).isEqualTo(OfflineChatModel.MODEL_NAME);
        });
    }

    private static List<KeyedValue<TicketEvent>> ticketEvents() {
        return CommittedRecords.read(app.bootstrapServers(), deployment.topics().ticketEvents().name(), Topics.TICKET_EVENT);
    }

    private static List<KeyedValue<TicketEvent>> eventsFor(List<KeyedValue<TicketEvent>> events, String messageId) {
        return events.stream().filter(event -> event.value().getMessageId().equals(messageId)).toList();
    }

    private static ConversationState storedState(String conversation) {
        ConversationState state = deployment.storedConversations(app.bootstrapServers()).get(conversation);
        assertThat(state).as("stored state of " + conversation).isNotNull();
        return state;
    }

    /** The ticket the message's first createTicket call wrote, found through its idempotency key. */
    private static String ticketCreatedBy(String messageId) {
        return HELPSTREAM.jdbi().withHandle(h -> h.createQuery(
                        "SELECT ticket_id FROM tool_idempotency WHERE key LIKE :key")
                .bind("key", messageId + "/%/createTicket/1").mapTo(String.class).one());
    }

    private static Map<String, Object> ticketRow(String ticketId) {
        return HELPSTREAM.jdbi().withHandle(h -> h.createQuery("SELECT * FROM tickets WHERE id = :id")
                .bind("id", ticketId).mapToMap().one());
    }

    private static List<String> notes(String ticketId, String kind) {
        return HELPSTREAM.jdbi().withHandle(h -> h.createQuery(
                        "SELECT note FROM ticket_notes WHERE ticket_id = :id AND kind = :kind ORDER BY id")
                .bind("id", ticketId).bind("kind", kind).mapTo(String.class).list());
    }

    private static double cacheRequests(String result) {
        return app.registry().find("helpstream.cache.requests").tag("result", result).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static double counter(String name) {
        return app.registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The cache key of an email: an HMAC-SHA256 with the deployment's secret, as README says. */
    private static String hmac(String text) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(CACHE_KEY_SECRET.getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
