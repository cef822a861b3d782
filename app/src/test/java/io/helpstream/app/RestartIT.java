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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping helpstream in the middle of its work loses nothing and does nothing twice. Three hundred messages over
 * thirty conversations are produced at once; the application is closed twice while messages wait and a turn has
 * just written a ticket but not yet published its reply, and each time a new instance takes over on an empty state
 * directory (so the conversation store comes back from its changelog). Afterwards every message has exactly one
 * reply, in order, every reported problem exactly one ticket and one CREATED event, and every conversation its whole
 * history.
 */
class RestartIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final int CONVERSATIONS = 30;
    private static final int MESSAGES_EACH = 10;
    private static final int TOTAL = CONVERSATIONS * MESSAGES_EACH;
    private static final List<String> EMAILS = List.of("john@example.com", "jane@example.com", "bob@example.com");
    private static final String SUMMARY_REQUEST = "Thanks! Can you summarize what we discussed?";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void should_answer_every_message_once_and_open_each_ticket_once_across_two_restarts() {
        // One message per turn: every conversation has nine messages waiting, and the checks attribute each ticket
        // and event to the one message that asked for it (answering waiting messages together is InboxTopologyTest's).
        // No shutdown grace: each stop cuts the turns off where they are, as a crash would.
        Deployment deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_MAX_IN_FLIGHT_TURNS", "3",
                "HELPSTREAM_SHUTDOWN_GRACE", "0s", "HELPSTREAM_HISTORY_WINDOW", String.valueOf(MESSAGES_EACH),
                "HELPSTREAM_MAX_MESSAGES_PER_TURN", "1"));
        Map<String, List<CustomerMessage>> sent = new LinkedHashMap<>();
        Set<String> problems = new HashSet<>();
        SlowChatModel firstModel = slowModel();
        Application first = deployment.start(firstModel);
        try (GatewayClient gateway = new GatewayClient(first.bootstrapServers(), deployment.topics())) {
            produceAll(gateway, sent, problems);

            Set<String> cutFirst = stopWhileBusy(first, firstModel, gateway, 30);
            assertWrittenButUnanswered(deployment, cutFirst, sent);
            SlowChatModel secondModel = slowModel();
            Application second = deployment.start(secondModel);
            Set<String> cutSecond = stopWhileBusy(second, secondModel, gateway, 100);
            assertWrittenButUnanswered(deployment, cutSecond, sent);
            Application third = deployment.start();
            awaitAnswered(gateway, TOTAL);
            third.close();
        }

        List<AgentReply> replies = CommittedRecords.read(HELPSTREAM.bootstrapServers(),
                deployment.topics().agentReplies().name(), Topics.AGENT_REPLY).stream().map(KeyedValue::value).toList();
        assertEveryMessageAnsweredOnceInOrder(sent, replies);
        assertThat(replies).noneMatch(AgentReply::getDegraded);
        assertOneTicketAndOneEventPerProblem(deployment, sent, problems);
        assertHistoryKept(deployment, sent, replies);
    }

    private static SlowChatModel slowModel() {
        return new SlowChatModel(new OfflineChatModel(), Duration.ofMillis(50), Duration.ofMillis(150));
    }

    /** Round by round, message n of every conversation, so all conversations have work waiting all along. */
    private void produceAll(GatewayClient gateway, Map<String, List<CustomerMessage>> sent, Set<String> problems) {
        for (int index = 0; index < MESSAGES_EACH; index++) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                String conversation = "restart-" + run + "-" + c;
                boolean problem = reportsProblem(c) && index == 1 + c % 8;
                CustomerMessage message = gateway.send(conversation, EMAILS.get(c % EMAILS.size()),
                        text(c, index, problem));
                sent.computeIfAbsent(conversation, id -> new ArrayList<>()).add(message);
                if (problem) {
                    problems.add(message.getMessageId());
                }
            }
        }
    }

    /** A third of the conversations, spread over the three customers. */
    private static boolean reportsProblem(int conversation) {
        return conversation % 3 == (conversation / 3) % 3;
    }

    private String text(int conversation, int index, boolean problem) {
        if (index == MESSAGES_EACH - 1) {
            return SUMMARY_REQUEST;
        }
        if (problem) {
            return "My coffee machine " + run + "-" + conversation + " is broken, it only beeps";
        }
        return switch (index % 4) {
            case 0 -> "Hello, this is message " + index + " of conversation " + conversation;
            case 1 -> "Can you check the status of my tickets?";
            case 2 -> "Which payment methods do you accept?";
            default -> "What's your return policy?";
        };
    }

    /**
     * Waits for {@code replies} answered messages and then for a turn that has just created a ticket, and closes the
     * application while that turn is held in the model: the ticket is in the database, its reply and event are not
     * yet published. Returns the texts of the turns cut off like this.
     */
    private static Set<String> stopWhileBusy(Application app, SlowChatModel model, GatewayClient gateway,
                                             int replies) {
        awaitAnswered(gateway, replies);
        model.holdAfter("createTicket");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (model.held().isEmpty() && System.nanoTime() < deadline) {
            gateway.poll(Duration.ofMillis(10));
        }
        Set<String> cut = model.held();
        assertThat(cut).as("turns held after createTicket when stopping").isNotEmpty();
        app.close();
        assertThat(answered(gateway)).as("messages answered when stopping").isLessThan(TOTAL);
        return cut;
    }

    /** The cut-off turns wrote their ticket, and neither their reply nor their ticket event was published. */
    private static void assertWrittenButUnanswered(Deployment deployment, Set<String> texts,
                                                   Map<String, List<CustomerMessage>> sent) {
        String bootstrap = HELPSTREAM.bootstrapServers();
        Set<String> answered = CommittedRecords.read(bootstrap, deployment.topics().agentReplies().name(), Topics.AGENT_REPLY)
                .stream().map(reply -> reply.value().getInReplyTo()).collect(Collectors.toSet());
        Set<String> announced = CommittedRecords.read(bootstrap, deployment.topics().ticketEvents().name(),
                Topics.TICKET_EVENT).stream().map(event -> event.value().getMessageId()).collect(Collectors.toSet());
        List<String> cutMessageIds = sent.values().stream().flatMap(List::stream)
                .filter(message -> texts.contains(message.getText())).map(CustomerMessage::getMessageId).toList();
        assertThat(cutMessageIds).hasSameSizeAs(texts).noneMatch(answered::contains).noneMatch(announced::contains);
        assertThat(texts).allSatisfy(text -> assertThat(ticketsDescribedAs(text)).hasSize(1));
    }


    private static void awaitAnswered(GatewayClient gateway, int count) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (answered(gateway) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + answered(gateway) + " of " + count + " messages answered within "
                        + TIMEOUT);
            }
            gateway.poll(Duration.ofMillis(100));
        }
    }

    private static int answered(GatewayClient gateway) {
        return (int) gateway.replies().stream().map(AgentReply::getInReplyTo).distinct().count();
    }

    private static void assertEveryMessageAnsweredOnceInOrder(Map<String, List<CustomerMessage>> sent,
                                                              List<AgentReply> replies) {
        assertThat(replies).hasSize(TOTAL);
        Map<String, List<String>> answeredPerConversation = replies.stream().collect(Collectors.groupingBy(
                AgentReply::getConversationId, Collectors.mapping(AgentReply::getInReplyTo, Collectors.toList())));
        assertThat(answeredPerConversation.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        sent.forEach((conversation, messages) -> assertThat(answeredPerConversation.get(conversation))
                .as("replies of " + conversation)
                .containsExactlyElementsOf(messages.stream().map(CustomerMessage::getMessageId).toList()));
    }


    private static void assertOneTicketAndOneEventPerProblem(Deployment deployment,
                                                             Map<String, List<CustomerMessage>> sent,
                                                             Set<String> problems) {
        Map<String, CustomerMessage> byId = byId(sent);
        List<KeyedValue<TicketEvent>> created = CommittedRecords.read(HELPSTREAM.bootstrapServers(),
                        deployment.topics().ticketEvents().name(), Topics.TICKET_EVENT).stream()
                .filter(e -> e.value().getType() == TicketEventType.CREATED).toList();
        assertThat(created.stream().map(e -> e.value().getMessageId()))
                .as("one CREATED event per reported problem").containsExactlyInAnyOrderElementsOf(problems);
        assertThat(problems).hasSize(10).allSatisfy(messageId -> {
            KeyedValue<TicketEvent> event = created.stream()
                    .filter(e -> e.value().getMessageId().equals(messageId)).findFirst().orElseThrow();
            assertThat(event.key()).isEqualTo(event.value().getTicketId());
            assertThat(ticketsDescribedAs(byId.get(messageId).getText())).containsExactly(event.key());
            assertThat(ticketKeysOf(messageId)).containsExactly(event.key());
        });
    }

    /** Each conversation's state counts all its messages and turns, and its summary all its messages. */
    private static void assertHistoryKept(Deployment deployment, Map<String, List<CustomerMessage>> sent,
                                          List<AgentReply> replies) {
        Map<String, ConversationState> states = deployment.storedConversations(HELPSTREAM.bootstrapServers());
        assertThat(sent.keySet()).allSatisfy(conversation -> {
            ConversationState state = states.get(conversation);
            assertThat(state.getMessageCount()).isEqualTo(MESSAGES_EACH);
            assertThat(state.getTurnCount()).isEqualTo(MESSAGES_EACH);
            assertThat(state.getInbox()).isEmpty();
            assertThat(state.getHistory()).hasSize(MESSAGES_EACH);
        });
        Map<String, CustomerMessage> byId = byId(sent);
        assertThat(replies.stream().filter(reply -> byId.get(reply.getInReplyTo()).getText().equals(SUMMARY_REQUEST)))
                .hasSize(CONVERSATIONS)
                .allSatisfy(reply -> assertThat(reply.getText()).contains("User messages: " + MESSAGES_EACH));
    }

    private static Map<String, CustomerMessage> byId(Map<String, List<CustomerMessage>> sent) {
        return sent.values().stream().flatMap(List::stream)
                .collect(Collectors.toMap(CustomerMessage::getMessageId, Function.identity()));
    }

    private static List<String> ticketsDescribedAs(String description) {
        return HELPSTREAM.jdbi().withHandle(h -> h.createQuery("SELECT id FROM tickets WHERE description = :text")
                .bind("text", description).mapTo(String.class).list());
    }

    /** The tickets written under the message's createTicket idempotency keys. */
    private static List<String> ticketKeysOf(String messageId) {
        return HELPSTREAM.jdbi().withHandle(h -> h.createQuery(
                        "SELECT ticket_id FROM tool_idempotency WHERE key LIKE :prefix")
                .bind("prefix", messageId + "/%/createTicket/%").mapTo(String.class).list());
    }
}
