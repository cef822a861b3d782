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
import java.util.concurrent.RejectedExecutionException;
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
    private final Map<String, TurnHandle> inFlight = new HashMap<>();
    private final Map<String, Retry> retries = new HashMap<>();
    /** Conversations with a message to answer, waiting for a free turn slot, in arrival order. */
    private final Map<String, Start> waiting = new LinkedHashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ConversationState> store;
    private Epoch epoch = new Epoch();

    /**
     * One life of the task between {@code init} and {@code close}; Kafka Streams may initialise the same processor
     * again after closing it (a revived or resumed task). A turn reports back only to the life that started it.
     */
    private static final class Epoch {
        final Queue<TurnCompletion> finished = new ConcurrentLinkedQueue<>();
        volatile boolean closed;
    }

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
        this.epoch = new Epoch();
        inFlight.clear();
        retries.clear();
        waiting.clear();
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
            startOrQueue(state, new Start(1, false));
        }
    }

    /**
     * Starts the conversation's turn at once when nobody waits and a slot is free (with the state in hand, no
     * second read), else queues it behind the conversations already waiting.
     */
    private void startOrQueue(ConversationState state, Start start) {
        String id = state.getConversationId();
        if (waiting.isEmpty() && turns.freeSlots() > 0) {
            Optional<TurnHandle> handle = submit(state, start);
            if (handle.isPresent()) {
                inFlight.put(id, handle.get());
                return;
            }
        }
        waiting.put(id, start);
        startWaitingTurns();
    }

    private boolean busy(String id) {
        return inFlight.containsKey(id) || retries.containsKey(id) || waiting.containsKey(id);
    }

    /** After a (re)assignment the store holds every accepted message; unanswered ones get their turn again. */
    private void resumePendingConversations() {
        int resumed = 0;
        try (KeyValueIterator<String, ConversationState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ConversationState> entry = all.next();
                if (!entry.value.getInbox().isEmpty()) {
                    waiting.put(entry.key, new Start(1, true));
                    resumed++;
                }
            }
        }
        if (resumed > 0) {
            log.info("Task {} resumed {} conversations with unanswered messages", context.taskId(), resumed);
        }
        startWaitingTurns();
    }

    /**
     * Starts turns for waiting conversations, oldest first, while slots are free. A conversation's copy is taken only
     * when it gets a slot, so waiting conversations cost no memory beyond their id; one that loses a slot to another
     * task keeps its place.
     */
    private void startWaitingTurns() {
        Iterator<Map.Entry<String, Start>> next = waiting.entrySet().iterator();
        while (next.hasNext() && turns.freeSlots() > 0) {
            Map.Entry<String, Start> entry = next.next();
            ConversationState state = store.get(entry.getKey());
            if (state == null || Conversations.head(state) == null) {
                next.remove();
                continue;
            }
            Optional<TurnHandle> handle = submit(state, entry.getValue());
            if (handle.isEmpty()) {
                return;
            }
            next.remove();
            inFlight.put(entry.getKey(), handle.get());
        }
    }

    private Optional<TurnHandle> submit(ConversationState state, Start start) {
        Epoch current = epoch;
        TurnRequest request = new TurnRequest(Conversations.head(state), Conversations.snapshot(state),
                start.attempt(), start.resumed());
        try {
            return turns.trySubmit(request, completion -> {
                if (!current.closed) {
                    current.finished.add(completion);
                }
            });
        } catch (RejectedExecutionException e) {
            // The executor is shutting down with the application; the message stays in the inbox for the next start.
            return Optional.empty();
        }
    }

    private void applyFinishedTurns() {
        TurnCompletion completion;
        while ((completion = epoch.finished.poll()) != null) {
            apply(completion);
        }
        startDueRetries();
        startWaitingTurns();
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
            startOrQueue(state, new Start(1, false));
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
        context.forward(new Record<>(id, reply, now), ConversationTopology.REPLIES);
        for (TicketEvent event : outcome.ticketEvents()) {
            context.forward(new Record<>(event.getTicketId(), event, now), ConversationTopology.TICKET_EVENTS);
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
                waiting.put(entry.getKey(), new Start(entry.getValue().attempt(), false));
            }
        }
    }

    private void endIdleConversations(long wallClock) {
        long now = context.currentSystemTimeMs();
        List<KeyValue<String, ConversationState>> idle = new ArrayList<>();
        try (KeyValueIterator<String, ConversationState> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (busy(entry.key)) {
                    return;
                }
                if (Conversations.idle(entry.value, now, settings.idleTimeout())) {
                    idle.add(entry);
                } else if (!entry.value.getInbox().isEmpty()) {
                    // A message no turn is working on (a turn lost to an unexpected error): queue it again.
                    log.warn("Conversation {} had an unanswered message and no turn; starting one", entry.key);
                    waiting.put(entry.key, new Start(1, true));
                }
            });
        }
        for (KeyValue<String, ConversationState> entry : idle) {
            context.forward(new Record<>(entry.key, Conversations.ended(entry.value, now), now),
                    ConversationTopology.CONVERSATION_EVENTS);
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
        epoch.closed = true;
        epoch.finished.clear();
        inFlight.values().forEach(TurnHandle::cancel);
        inFlight.clear();
        retries.clear();
        waiting.clear();
    }
}
