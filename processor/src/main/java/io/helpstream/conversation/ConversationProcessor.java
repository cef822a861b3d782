package io.helpstream.conversation;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnCompletion;
import io.helpstream.turn.TurnExecutor;
import io.helpstream.turn.TurnHandle;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the conversations of one stream task. Messages enter a conversation's inbox in the store; turns run on the
 * {@link TurnExecutor}, one per conversation at a time; finished turns come back through a queue and are applied
 * here, on the stream thread, by a wall-clock punctuator, so every store write and every output record belongs to
 * the task's exactly-once transaction.
 */
final class ConversationProcessor implements Processor<String, CustomerMessage, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(ConversationProcessor.class);
    static final String APOLOGY = "I'm sorry, I could not process your message just now. "
            + "A member of our support team will follow up with you.";

    private final ConversationSettings settings;
    private final TurnExecutor turns;
    private final Counter duplicates;
    private final Counter abandoned;
    private final Queue<TurnCompletion> finished = new ConcurrentLinkedQueue<>();
    private final Map<String, TurnHandle> inFlight = new HashMap<>();
    private final Map<String, Retry> retries = new HashMap<>();
    /** Conversations with a message to answer, waiting for a free turn slot, in arrival order. */
    private final Map<String, Start> waiting = new LinkedHashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ConversationState> store;
    private volatile boolean closed;

    private record Retry(int attempt, long dueAt) {
    }

    /** How the next turn of a conversation is to be started. */
    private record Start(int attempt, boolean resumed) {
    }

    ConversationProcessor(ConversationSettings settings, TurnExecutor turns, MeterRegistry registry) {
        this.settings = settings;
        this.turns = turns;
        this.duplicates = registry.counter("helpstream.messages.duplicate");
        this.abandoned = registry.counter("helpstream.turns.abandoned");
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(ConversationTopology.STORE);
        context.schedule(settings.applyInterval(), PunctuationType.WALL_CLOCK_TIME, now -> applyFinishedTurns());
        context.schedule(settings.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME, this::endIdleConversations);
        resumePendingConversations();
    }

    @Override
    public void process(Record<String, CustomerMessage> record) {
        String id = record.key();
        CustomerMessage message = record.value();
        long now = context.currentSystemTimeMs();
        ConversationState state = store.get(id);
        if (state == null) {
            state = Conversations.start(id, now);
        }
        if (Conversations.alreadySeen(state, message.getMessageId())) {
            duplicates.increment();
            log.debug("Dropped redelivered message {} of conversation {}", message.getMessageId(), id);
            return;
        }
        Conversations.accept(state, message, now, settings.recentMessageIds());
        store.put(id, state);
        if (!busy(id)) {
            startTurn(state, new Start(1, false));
        }
    }

    private boolean busy(String id) {
        return inFlight.containsKey(id) || retries.containsKey(id) || waiting.containsKey(id);
    }

    /** After a (re)assignment the store holds every accepted message; unanswered ones get their turn again. */
    private void resumePendingConversations() {
        List<ConversationState> pending = new ArrayList<>();
        try (KeyValueIterator<String, ConversationState> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (!entry.value.getInbox().isEmpty()) {
                    pending.add(entry.value);
                }
            });
        }
        pending.forEach(state -> startTurn(state, new Start(1, true)));
        if (!pending.isEmpty()) {
            log.info("Task {} resumed {} conversations with unanswered messages", context.taskId(), pending.size());
        }
    }

    /** Starts the conversation's next turn now if a slot is free, else queues it for one. */
    private void startTurn(ConversationState state, Start start) {
        String id = state.getConversationId();
        // The copy is taken only when a slot is free, so waiting conversations cost no memory beyond their id.
        Optional<TurnHandle> handle = turns.freeSlots() == 0 ? Optional.empty() : turns.trySubmit(
                new TurnRequest(Conversations.head(state), Conversations.snapshot(state), start.attempt(),
                        start.resumed()), completion -> {
                    if (!closed) {
                        finished.add(completion);
                    }
                });
        if (handle.isPresent()) {
            waiting.remove(id);
            inFlight.put(id, handle.get());
        } else {
            waiting.putIfAbsent(id, start);
        }
    }

    private void applyFinishedTurns() {
        TurnCompletion completion;
        while ((completion = finished.poll()) != null) {
            apply(completion);
        }
        startDueRetries();
        startWaitingTurns();
    }

    private void startWaitingTurns() {
        Iterator<Map.Entry<String, Start>> next = waiting.entrySet().iterator();
        while (next.hasNext() && turns.freeSlots() > 0) {
            Map.Entry<String, Start> entry = next.next();
            next.remove();
            ConversationState state = store.get(entry.getKey());
            if (state != null && Conversations.head(state) != null) {
                startTurn(state, entry.getValue());
                if (waiting.containsKey(entry.getKey())) {
                    return;
                }
            }
        }
    }

    private void apply(TurnCompletion completion) {
        TurnRequest request = completion.request();
        String id = request.conversationId();
        TurnHandle current = inFlight.get(id);
        if (current == null || current.request() != request) {
            return;
        }
        inFlight.remove(id);
        ConversationState state = store.get(id);
        CustomerMessage head = state == null ? null : Conversations.head(state);
        if (head == null || !head.getMessageId().equals(request.messageId())) {
            log.warn("Discarded a turn for message {} that conversation {} no longer awaits", request.messageId(), id);
            return;
        }
        long now = context.currentSystemTimeMs();
        TurnOutcome outcome = completion.outcome();
        if (outcome == null) {
            if (request.attempt() < settings.maxTurnAttempts()) {
                long dueAt = now + settings.backoffBefore(request.attempt() + 1).toMillis();
                retries.put(id, new Retry(request.attempt() + 1, dueAt));
                return;
            }
            abandoned.increment();
            log.error("Message {} of conversation {} failed {} times; answering with an apology",
                    request.messageId(), id, request.attempt(), completion.failure());
            outcome = apology();
        }
        publish(state, head, outcome, now);
        Conversations.complete(state, outcome, now, settings.historyWindow());
        store.put(id, state);
        if (Conversations.head(state) != null) {
            startTurn(state, new Start(1, false));
        }
    }

    private void publish(ConversationState state, CustomerMessage answered, TurnOutcome outcome, long now) {
        String id = state.getConversationId();
        AgentReply reply = AgentReply.newBuilder()
                .setReplyId(UUID.nameUUIDFromBytes(("reply:" + answered.getMessageId())
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setConversationId(id)
                .setInReplyTo(answered.getMessageId())
                .setText(outcome.replyText())
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setModel(outcome.model())
                .setUsage(outcome.usage())
                .setToolsUsed(outcome.toolCalls().stream().map(call -> call.getName()).toList())
                .setLatencyMs(Math.max(0, now - Conversations.headReceivedAt(state)))
                .setDegraded(outcome.degraded())
                .build();
        context.forward(new Record<>(id, reply, now));
        for (TicketEvent event : outcome.ticketEvents()) {
            context.forward(new Record<>(event.getTicketId(), event, now));
        }
    }

    private static TurnOutcome apology() {
        return TurnOutcome.builder().replyText(APOLOGY).model("none").usage(new TokenUsage(0, 0, 0))
                .degraded(true).build();
    }

    private void startDueRetries() {
        if (retries.isEmpty()) {
            return;
        }
        long now = context.currentSystemTimeMs();
        List<Map.Entry<String, Retry>> due = retries.entrySet().stream()
                .filter(entry -> entry.getValue().dueAt() <= now).toList();
        for (Map.Entry<String, Retry> entry : due) {
            retries.remove(entry.getKey());
            ConversationState state = store.get(entry.getKey());
            if (state != null && Conversations.head(state) != null) {
                startTurn(state, new Start(entry.getValue().attempt(), false));
            }
        }
    }

    private void endIdleConversations(long wallClock) {
        long now = context.currentSystemTimeMs();
        List<KeyValue<String, ConversationState>> idle = new ArrayList<>();
        try (KeyValueIterator<String, ConversationState> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (!busy(entry.key) && Conversations.idle(entry.value, now, settings.idleTimeout())) {
                    idle.add(entry);
                }
            });
        }
        for (KeyValue<String, ConversationState> entry : idle) {
            context.forward(new Record<>(entry.key, Conversations.ended(entry.value, now), now));
            store.delete(entry.key);
        }
        if (!idle.isEmpty()) {
            log.info("Ended {} idle conversations", idle.size());
        }
    }

    @Override
    public void close() {
        // The task is closing or moving to another instance: turns still running are discarded there and replayed
        // by whichever task owns the conversation next.
        closed = true;
        inFlight.values().forEach(TurnHandle::cancel);
        inFlight.clear();
        retries.clear();
        waiting.clear();
        finished.clear();
    }
}
