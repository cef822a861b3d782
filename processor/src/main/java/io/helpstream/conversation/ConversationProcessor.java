package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.conversation.ConversationStore.Loaded;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnCompletion;
import io.helpstream.turn.TurnExecutor;
import io.helpstream.turn.TurnFailedException;
import io.helpstream.turn.TurnHandle;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.helpstream.turn.TurnTimeoutException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the conversations of one stream task. Messages enter a conversation's inbox in the store; turns run on the
 * {@link TurnExecutor}, one per conversation at a time; finished turns come back through a queue and are applied
 * here, on the stream thread, by a wall-clock punctuator, so every store write and every output record belongs to
 * the task's exactly-once transaction.
 *
 * <p>Every step prepares all it will write (the new state encoded, the reply and ticket events checked to encode
 * within the record limit) before it writes anything, so a bad outcome or state is found while nothing is written
 * yet: the message is then answered with the apology and dead-lettered with the reason. A failure while writing
 * fails the task (see {@link ConversationExceptionHandler}): its transaction aborts and the turn is applied again by
 * the recreated task, at most {@link ApplyFailures#ALLOWED} times.
 *
 * <p>The apply punctuator is scheduled only while turns are running, retrying or waiting: a punctuation marks the
 * task for commit, and an idle processor must not make its stream thread commit a transaction at every interval.
 */
final class ConversationProcessor implements Processor<String, CustomerMessage, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(ConversationProcessor.class);
    static final String APOLOGY = "I'm sorry, I could not process your message just now. "
            + "A member of our support team will follow up with you.";

    private final ConversationSettings settings;
    private final TurnExecutor turns;
    private final ApplyFailures applyFailures;
    private final DeadLetters deadLetters;
    private final Counter duplicates;
    private final Counter abandoned;
    private final Counter deadLettered;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, Retry> retries = new HashMap<>();
    /** Conversations with a message to answer, waiting for a free turn slot, in arrival order. */
    private final Map<String, Start> waiting = new LinkedHashMap<>();
    /**
     * Messages that were unanswered when this life of the task began: an earlier owner may have run tools for any of
     * them, not only for the head of each inbox, so each one's turn is started as resumed.
     */
    private final Set<String> unansweredAtStart = new HashSet<>();
    /** Ticket events that failed attempts of a message reported, by event id, for its apology should all fail. */
    private final Map<String, Map<String, TicketEvent>> writtenByFailedAttempts = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private ConversationStore store;
    private Epoch epoch = new Epoch();
    /** The apply punctuator, while there is anything to apply; null otherwise. */
    private Cancellable applying;

    /**
     * One life of the task between {@code init} and {@code close}; Kafka Streams may initialise the same processor
     * again after closing it (a revived or resumed task). A turn reports back only to the life that started it.
     */
    private static final class Epoch {
        final Queue<TurnCompletion> finished = new ConcurrentLinkedQueue<>();
        volatile boolean closed;
    }

    private record InFlight(TurnHandle handle, long startedAt) {
    }

    private record Retry(int attempt, long dueAt) {
    }

    /** How the next turn of a conversation is to be started. */
    private record Start(int attempt, boolean resumed) {
    }

    /** Everything one answered message writes, prepared before any of it is written. */
    private record Prepared(ConversationState state, byte[] encodedState, AgentReply reply, List<TicketEvent> events) {
    }

    /** Why a message is answered with the apology; it is dead-lettered with this reason. */
    private record Poison(String reason, Throwable cause) {
    }

    ConversationProcessor(ConversationSettings settings, Topics topics, TurnExecutor turns, MeterRegistry registry,
                          ApplyFailures applyFailures) {
        this.settings = settings;
        this.turns = turns;
        this.applyFailures = applyFailures;
        this.deadLetters = new DeadLetters(topics.customerMessages().name());
        this.duplicates = registry.counter("helpstream.messages.duplicate");
        this.abandoned = registry.counter("helpstream.turns.abandoned");
        this.deadLettered = registry.counter("helpstream.messages.dead.lettered");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new ConversationStore(context.getStateStore(ConversationTopology.STORE),
                settings.maxRecordBytes());
        this.epoch = new Epoch();
        this.applying = null;
        inFlight.clear();
        retries.clear();
        writtenByFailedAttempts.clear();
        waiting.clear();
        context.schedule(settings.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME, this::scan);
        resumePendingConversations();
        applyWhilePending();
    }

    @Override
    public void process(Record<String, CustomerMessage> record) {
        String id = record.key();
        CustomerMessage message = record.value();
        long now = context.currentSystemTimeMs();
        Loaded loaded = store.load(id);
        if (loaded.unreadable() != null) {
            answerAfresh(id, message, loaded, now);
            return;
        }
        ConversationState state = loaded.missing() ? Conversations.start(id, now) : loaded.state();
        if (Conversations.alreadySeen(state, message.getMessageId())) {
            duplicates.increment();
            log.debug("Dropped redelivered message {} of conversation {}", message.getMessageId(), id);
            return;
        }
        Conversations.accept(state, message, now, settings.recentMessageIds());
        byte[] encoded;
        try {
            encoded = store.encode(state);
        } catch (RuntimeException e) {
            refuse(message, new Poison("conversation " + id + " cannot take this message: " + e.getMessage(), e),
                    now);
            return;
        }
        store.put(id, encoded);
        if (!busy(id)) {
            startOrQueue(state, new Start(1, false));
        }
        applyWhilePending();
    }

    /** The stored state cannot be read: it is dead-lettered and replaced by a new conversation of this message. */
    private void answerAfresh(String id, CustomerMessage message, Loaded unreadable, long now) {
        Poison poison = new Poison("unreadable conversation state: " + unreadable.error().getMessage(),
                unreadable.error());
        log.error("Conversation {} has an unreadable stored state ({} bytes): dead-lettering it, answering message "
                + "{} with the apology and starting the conversation afresh", id, unreadable.unreadable().length,
                message.getMessageId(), unreadable.error());
        ConversationState fresh = Conversations.start(id, now);
        Conversations.accept(fresh, message, now, settings.recentMessageIds());
        Prepared prepared = prepareApology(fresh, message, List.of(), now);
        write(id, prepared, List.of(
                deadLetters.state(id, unreadable.unreadable(), poison.reason(), poison.cause(), now),
                deadLetters.message(message, poison.reason(), poison.cause(), now)), now);
        deadLettered.increment();
    }

    /** Answers a message that cannot join its conversation with the apology, leaving the conversation as it is. */
    private void refuse(CustomerMessage message, Poison poison, long now) {
        log.error("Message {} of conversation {} is answered with the apology and dead-lettered: {}",
                message.getMessageId(), message.getConversationId(), poison.reason());
        AgentReply reply = reply(message.getConversationId(), message, apology(), now, now);
        context.forward(new Record<>(message.getConversationId(), reply, now), ConversationTopology.REPLIES);
        context.forward(deadLetters.message(message, poison.reason(), poison.cause(), now),
                ConversationTopology.DEAD_LETTERS);
        deadLettered.increment();
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
                inFlight.put(id, new InFlight(handle.get(), context.currentSystemTimeMs()));
                return;
            }
        }
        waiting.put(id, start);
        startWaitingTurns();
    }

    private boolean busy(String id) {
        return inFlight.containsKey(id) || retries.containsKey(id) || waiting.containsKey(id);
    }

    private boolean pending() {
        return !inFlight.isEmpty() || !retries.isEmpty() || !waiting.isEmpty() || !epoch.finished.isEmpty();
    }

    private void applyWhilePending() {
        if (applying == null && pending()) {
            applying = context.schedule(settings.applyInterval(), PunctuationType.WALL_CLOCK_TIME,
                    now -> applyFinishedTurns());
        }
    }

    /** After a (re)assignment the store holds every accepted message; unanswered ones get their turn again. */
    private void resumePendingConversations() {
        List<String> resumed = new ArrayList<>();
        unansweredAtStart.clear();
        store.forEach((id, loaded) -> {
            if (loaded.state() != null && !loaded.state().getInbox().isEmpty()) {
                resumed.add(id);
                loaded.state().getInbox().forEach(message -> unansweredAtStart.add(messageKey(id,
                        message.getMessageId())));
            }
        });
        resumed.forEach(id -> waiting.put(id, new Start(1, true)));
        if (!resumed.isEmpty()) {
            log.info("Task {} resumed {} conversations with unanswered messages", context.taskId(), resumed.size());
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
            ConversationState state = store.load(entry.getKey()).state();
            if (state == null || Conversations.head(state) == null) {
                next.remove();
                continue;
            }
            Optional<TurnHandle> handle = submit(state, entry.getValue());
            if (handle.isEmpty()) {
                return;
            }
            next.remove();
            inFlight.put(entry.getKey(), new InFlight(handle.get(), context.currentSystemTimeMs()));
        }
    }

    private Optional<TurnHandle> submit(ConversationState state, Start start) {
        Epoch current = epoch;
        CustomerMessage head = Conversations.head(state);
        boolean resumed = unansweredAtStart.remove(messageKey(state.getConversationId(), head.getMessageId()))
                || start.resumed();
        TurnRequest request = new TurnRequest(head, Conversations.snapshot(state), start.attempt(), resumed);
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
            applyCounted(completion);
        }
        startDueRetries();
        startWaitingTurns();
        if (applying != null && !pending()) {
            applying.cancel();
            applying = null;
        }
    }

    /** Applies a finished turn; a failure is counted against its message and fails the task. */
    private void applyCounted(TurnCompletion completion) {
        try {
            apply(completion);
        } catch (RuntimeException | Error e) {
            TurnRequest request = completion.request();
            ApplyFailures.Failures failures = applyFailures.record(request.conversationId(), request.messageId(), e);
            log.error("Applying the turn for message {} of conversation {} failed ({} of {} allowed); failing the "
                    + "task so that its transaction aborts", request.messageId(), request.conversationId(),
                    failures.count(), ApplyFailures.ALLOWED, e);
            throw e;
        }
    }

    private void apply(TurnCompletion completion) {
        TurnRequest request = completion.request();
        String id = request.conversationId();
        InFlight current = inFlight.get(id);
        if (current == null || current.handle().request() != request) {
            return;
        }
        inFlight.remove(id);
        ConversationState state = store.load(id).state();
        CustomerMessage head = state == null ? null : Conversations.head(state);
        if (head == null || !head.getMessageId().equals(request.messageId())) {
            log.warn("Discarded a turn for message {} that conversation {} no longer awaits", request.messageId(), id);
            return;
        }
        long now = context.currentSystemTimeMs();
        TurnOutcome outcome = completion.outcome();
        Poison poison = null;
        Optional<ApplyFailures.Failures> failed = applyFailures.of(id, request.messageId());
        if (failed.isPresent() && failed.get().count() >= ApplyFailures.ALLOWED) {
            poison = new Poison("applying its turn failed " + failed.get().count() + " times, last: "
                    + failed.get().lastReason(), new IllegalStateException(failed.get().lastReason()));
        } else if (outcome == null) {
            TurnFailedException.eventsIn(completion.failure()).forEach(event -> writtenByFailedAttempts
                    .computeIfAbsent(messageKey(id, request.messageId()), key -> new LinkedHashMap<>())
                    .putIfAbsent(event.getEventId(), event));
            if (request.attempt() < settings.maxTurnAttempts()) {
                long dueAt = now + settings.backoffBefore(request.attempt() + 1).toMillis();
                retries.put(id, new Retry(request.attempt() + 1, dueAt));
                return;
            }
            abandoned.increment();
            poison = new Poison("its turn failed " + request.attempt() + " times, last: " + completion.failure(),
                    completion.failure());
        }
        Prepared prepared = null;
        if (poison == null) {
            try {
                prepared = prepare(state, head, outcome, now);
            } catch (RuntimeException e) {
                poison = new Poison("its turn's outcome could not be written: " + e.getMessage(), e);
            }
        }
        List<Record<String, Object>> dead = List.of();
        if (poison != null) {
            log.error("Message {} of conversation {} is answered with the apology and dead-lettered: {}",
                    head.getMessageId(), id, poison.reason(), poison.cause());
            Map<String, TicketEvent> written = writtenByFailedAttempts.getOrDefault(messageKey(id,
                    request.messageId()), Map.of());
            prepared = prepareApology(state, head, List.copyOf(written.values()), now);
            dead = List.of(deadLetters.message(head, poison.reason(), poison.cause(), now));
        }
        write(id, prepared, dead, now);
        if (!dead.isEmpty()) {
            deadLettered.increment();
        }
        applyFailures.forget(id, request.messageId());
        writtenByFailedAttempts.remove(messageKey(id, request.messageId()));
        if (Conversations.head(prepared.state()) != null) {
            startOrQueue(prepared.state(), new Start(1, false));
        }
    }

    /** The conversation after {@code outcome} answered its head, and what goes out; throws when any of it can't. */
    private Prepared prepare(ConversationState state, CustomerMessage head, TurnOutcome outcome, long now) {
        ConversationState next = Conversations.snapshot(state);
        Conversations.complete(next, outcome, now, settings.historyWindow());
        AgentReply reply = reply(state.getConversationId(), head, outcome, now, Conversations.headReceivedAt(state));
        RecordLimit.check("reply", Topics.AGENT_REPLY.encode(reply), settings.maxRecordBytes());
        for (TicketEvent event : outcome.ticketEvents()) {
            RecordLimit.check("ticket event", Topics.TICKET_EVENT.encode(event), settings.maxRecordBytes());
        }
        return new Prepared(next, store.encode(next), reply, outcome.ticketEvents());
    }

    /**
     * The apology, with the events of the writes earlier attempts made; should even that not fit the record limit, it
     * goes into a conversation without its history.
     */
    private Prepared prepareApology(ConversationState state, CustomerMessage head, List<TicketEvent> written,
                                    long now) {
        try {
            return prepare(state, head, apology(written), now);
        } catch (RuntimeException e) {
            log.error("Conversation {} cannot be stored even with the apology ({}); dropping its history and context",
                    state.getConversationId(), e.getMessage());
            ConversationState trimmed = Conversations.snapshot(state);
            trimmed.getHistory().clear();
            trimmed.getContext().clear();
            return prepare(trimmed, head, apology(written), now);
        }
    }

    /** Writes a prepared step: its records first, the state last. */
    private void write(String id, Prepared prepared, List<Record<String, Object>> dead, long now) {
        context.forward(new Record<>(id, prepared.reply(), now), ConversationTopology.REPLIES);
        for (TicketEvent event : prepared.events()) {
            context.forward(new Record<>(event.getTicketId(), event, now), ConversationTopology.TICKET_EVENTS);
        }
        for (Record<String, Object> record : dead) {
            context.forward(record, ConversationTopology.DEAD_LETTERS);
        }
        store.put(id, prepared.encodedState());
    }

    private static AgentReply reply(String id, CustomerMessage answered, TurnOutcome outcome, long now,
                                    long receivedAt) {
        return AgentReply.newBuilder()
                .setReplyId(UUID.nameUUIDFromBytes(("reply:" + answered.getMessageId())
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setConversationId(id)
                .setInReplyTo(answered.getMessageId())
                .setText(outcome.replyText())
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setModel(outcome.model())
                .setUsage(outcome.usage())
                .setToolsUsed(outcome.toolCalls().stream().map(call -> call.getName()).toList())
                .setLatencyMs(Math.max(0, now - receivedAt))
                .setDegraded(outcome.degraded())
                .build();
    }

    private static TurnOutcome apology() {
        return apology(List.of());
    }

    private static TurnOutcome apology(List<TicketEvent> written) {
        TurnOutcome.Builder apology = TurnOutcome.builder().replyText(APOLOGY).model("none")
                .usage(new TokenUsage(0, 0, 0)).degraded(true);
        written.forEach(apology::ticketEvent);
        return apology.build();
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
            waiting.put(entry.getKey(), new Start(entry.getValue().attempt(), false));
        }
    }

    /**
     * The safety net, every expiry scan interval: a turn that never reported back within
     * {@link ConversationSettings#lostTurnAfter()} is failed; a conversation with a message and no turn gets one; an
     * idle conversation ends; an unreadable state is dead-lettered and removed.
     */
    private void scan(long wallClock) {
        long now = context.currentSystemTimeMs();
        failLostTurns(now);
        List<String> idle = new ArrayList<>();
        Map<String, Loaded> unreadable = new LinkedHashMap<>();
        Map<String, ConversationState> idleStates = new HashMap<>();
        store.forEach((id, loaded) -> {
            if (loaded.unreadable() != null) {
                unreadable.put(id, loaded);
            } else if (busy(id)) {
                return;
            } else if (Conversations.idle(loaded.state(), now, settings.idleTimeout())) {
                idle.add(id);
                idleStates.put(id, loaded.state());
            } else if (!loaded.state().getInbox().isEmpty()) {
                log.warn("Conversation {} had an unanswered message and no turn; starting one", id);
                waiting.put(id, new Start(1, true));
            }
        });
        for (String id : idle) {
            context.forward(new Record<>(id, Conversations.ended(idleStates.get(id), now), now),
                    ConversationTopology.CONVERSATION_EVENTS);
            store.delete(id);
        }
        if (!idle.isEmpty()) {
            log.info("Ended {} idle conversations", idle.size());
        }
        unreadable.forEach((id, loaded) -> {
            log.error("Conversation {} has an unreadable stored state ({} bytes); dead-lettering and removing it", id,
                    loaded.unreadable().length, loaded.error());
            context.forward(deadLetters.state(id, loaded.unreadable(), "unreadable conversation state: "
                    + loaded.error().getMessage(), loaded.error(), now), ConversationTopology.DEAD_LETTERS);
            store.delete(id);
        });
        startWaitingTurns();
        applyWhilePending();
    }

    private void failLostTurns(long now) {
        List<InFlight> lost = inFlight.values().stream()
                .filter(turn -> now - turn.startedAt() >= settings.lostTurnAfter().toMillis()).toList();
        for (InFlight turn : lost) {
            TurnRequest request = turn.handle().request();
            log.warn("Turn for message {} of conversation {} did not report back within {}; taking it for lost",
                    request.messageId(), request.conversationId(), settings.lostTurnAfter());
            turn.handle().cancel();
            applyCounted(new TurnCompletion(request, null,
                    new TurnTimeoutException(request, settings.lostTurnAfter())));
        }
    }

    private static String messageKey(String conversationId, String messageId) {
        return conversationId + '\u0000' + messageId;
    }

    @Override
    public void close() {
        // The task is closing or moving to another instance: turns still running are discarded there and replayed
        // by whichever task owns the conversation next.
        epoch.closed = true;
        epoch.finished.clear();
        inFlight.values().forEach(turn -> turn.handle().cancel());
        inFlight.clear();
        retries.clear();
        writtenByFailedAttempts.clear();
        waiting.clear();
        applying = null;
    }
}
