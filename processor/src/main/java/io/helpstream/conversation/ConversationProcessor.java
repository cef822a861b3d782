package io.helpstream.conversation;

import io.helpstream.contract.ConversationKeys;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ConversationStore.Loaded;
import io.helpstream.conversation.ConversationStore.Pending;
import io.helpstream.conversation.ConversationStore.Unreadable;
import io.helpstream.conversation.InvalidMessageException.Reason;
import io.helpstream.protection.DataProtection;
import io.helpstream.protection.Redaction;
import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.security.AuditRecords;
import io.helpstream.security.Budgets;
import io.helpstream.security.ConversationBudgets;
import io.helpstream.security.IdentityRules;
import io.helpstream.telemetry.Tracing;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.turn.TurnCompletion;
import io.helpstream.turn.TurnExecutor;
import io.helpstream.turn.TurnFailedException;
import io.helpstream.turn.TurnHandle;
import io.helpstream.turn.TurnLogContext;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.helpstream.turn.TurnTimeoutException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the conversations of one stream task. Messages enter a conversation's inbox in the store; turns run on the
 * {@link TurnExecutor}, one per conversation at a time, each answering every message that waits (up to
 * {@link InboxLimits#maxMessagesPerTurn()}); finished turns come back through a queue and are applied here, on the
 * stream thread, by a wall-clock punctuator, so every store write and every output record belongs to the task's
 * exactly-once transaction.
 *
 * <p>Every step prepares all it will write (each record encoded and checked against the record limit) before it
 * writes anything, so a bad outcome or record is found while nothing is written yet: the message is then answered
 * with the apology and dead-lettered with the reason. A failure while writing fails the task (see
 * {@link ConversationExceptionHandler}): its transaction aborts and the turn is applied again by the recreated task,
 * at most {@link ApplyFailures#ALLOWED} times.
 *
 * <p>The apply punctuator is scheduled only while turns are running, retrying or waiting: a punctuation marks the
 * task for commit, and an idle processor must not make its stream thread commit a transaction at every interval.
 * Idle conversations are found through the expiry index, a bounded batch at a time, never by reading every
 * conversation.
 *
 * <p>The human agents' actions come in on the same processor ({@link AgentActions}), and the handoff's steps outside
 * turns are {@link HandoffSteps}': a conversation handed off to a human gets no turn until it is back with the bot.
 */
final class ConversationProcessor implements Processor<String, Object, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(ConversationProcessor.class);
    static final String APOLOGY = "I'm sorry, I could not process your message just now. "
            + "A member of our support team will follow up with you.";
    static final String INBOX_FULL = "You have sent several messages we have not answered yet, so this one was not "
            + "read. Please wait for our reply, then send it again.";
    static final String IDENTITY_MISMATCH = "This conversation belongs to another signed-in account, so this message "
            + "was not read. Please start a new conversation.";

    private final ConversationSettings settings;
    private final TurnExecutor turns;
    private final ApplyFailures applyFailures;
    private final DataProtection protection;
    private final DeadLetters deadLetters;
    private final TurnTraces traces;
    private final ControlTopic control;
    private final AuditTrail audit;
    private final AgentActions actions;
    private final HandoffSteps handoffs;
    private final Counter duplicates;
    private final Counter abandoned;
    private final Counter deadLettered;
    private final Counter inboxFull;
    private final PunctuationTimer applyStep;
    private final PunctuationTimer migrationStep;
    private final Counter ended;
    private final PunctuationTimer expiryStep;
    /** The task's id, as the punctuation events name it. */
    private String task;
    private final DistributionSummary inboxDepth;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, Retry> retries = new HashMap<>();
    /** Conversations with a message to answer, waiting for a free turn slot, in the order of their tickets. */
    private WaitingTurns<Start> waiting;
    /**
     * Messages that were unanswered when this life of the task began: an earlier owner may have run tools for any of
     * them, so each turn that answers one is started as resumed.
     */
    private final Set<String> unansweredAtStart = new HashSet<>();
    /** Conversations whose full inbox was reported, until a turn of theirs is applied. */
    private final Set<String> fullInboxes = new HashSet<>();
    /** Ticket events that failed attempts of a turn reported, by event id, for its apology should all fail. */
    private final Map<String, Map<String, TicketEvent>> writtenByFailedAttempts = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private ConversationStore store;
    private Epoch epoch = new Epoch();
    /** The fence this life's turns write under; no turn starts before it is held. */
    private Ownership ownership;
    /** The apply punctuator, while there is anything to apply; null otherwise. */
    private Cancellable applying;
    private ExpiryScan expiry;
    /** The punctuator that moves version-1 conversations into the split stores; null once none is left. */
    private Cancellable migrating;

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

    /** A failed turn to try again: the same messages, no more, so that one bad message drags no later one along. */
    private record Retry(int attempt, long dueAt, int messages) {
    }

    /** How the next turn of a conversation is to be started, and how many waiting messages it may answer at most. */
    private record Start(int attempt, boolean resumed, int maxMessages) {
        static Start first(boolean resumed) {
            return new Start(1, resumed, Integer.MAX_VALUE);
        }
    }

    /** Everything one applied turn writes, prepared before any of it is written. */
    private record Prepared(ConversationMeta conversation, byte[] encodedMeta, byte[] encodedTurn,
                            List<Pending> answered, AgentReply reply, List<TicketEvent> events,
                            List<AuditRecord> audit, Optional<VerificationRequested> verification,
                            List<HandoffEvent> handoffs) {
    }

    /** Why a message is answered with the apology; it is dead-lettered with this reason. */
    private record Poison(DeadLetterReason code, String reason, Throwable cause) {
    }

    ConversationProcessor(ConversationSettings settings, Topics topics, TurnExecutor turns, MeterRegistry registry,
                          ApplyFailures applyFailures, DataProtection protection, Tracing tracing,
                          ControlTopic control, Optional<SupportRepository> tickets) {
        this.settings = settings;
        this.turns = turns;
        this.applyFailures = applyFailures;
        this.protection = protection;
        this.deadLetters = new DeadLetters(topics.customerMessages().name(), protection.deadLetterPolicy(), registry);
        this.audit = new AuditTrail(registry);
        this.traces = new TurnTraces(tracing, topics.customerMessages().name());
        this.control = control;
        this.handoffs = new HandoffSteps(settings, tickets.map(repository -> HandoffTickets.of(repository, registry))
                .orElseGet(() -> HandoffTickets.none(registry)), registry);
        this.duplicates = registry.counter("helpstream.messages.duplicate");
        this.abandoned = registry.counter("helpstream.turns.abandoned");
        this.deadLettered = registry.counter("helpstream.messages.dead.lettered");
        this.inboxFull = registry.counter("helpstream.messages.inbox.full");
        this.ended = registry.counter("helpstream.conversations.ended");
        this.expiryStep = PunctuationTimer.register(registry, "expiry");
        this.inboxDepth = DistributionSummary.builder("helpstream.inbox.depth")
                .description("Unanswered messages of a conversation, counted as a message joins them")
                .publishPercentiles(0.5, 0.99).register(registry);
        // How long each punctuator holds the stream thread, apart: Kafka Streams keeps only one maximum per task.
        this.applyStep = PunctuationTimer.register(registry, "apply");
        this.migrationStep = PunctuationTimer.register(registry, "migration");
        // Released: the bot answers what waited. Ended: the conversation's records are gone, so is any turn of it.
        this.actions = new AgentActions(settings, (id, conversation) -> {
            if (conversation.getPendingCount() > 0 && !busy(id)) {
                startOrQueue(id, conversation, Start.first(false));
            }
        }, id -> {
            forget(id);
            ended.increment();
        }, registry);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.task = context.taskId().toString();
        this.store = ConversationStore.of(context, settings.maxRecordBytes(), protection.cipher());
        this.epoch = new Epoch();
        this.ownership = new Ownership(turns, context.applicationId() + "/" + context.taskId());
        ownership.claim();
        this.applying = null;
        this.expiry = new ExpiryScan(settings, store, context, new ExpiryOwner(), handoffs, ended, expiryStep,
                System::nanoTime);
        this.migrating = null;
        inFlight.clear();
        retries.clear();
        writtenByFailedAttempts.clear();
        fullInboxes.clear();
        waiting = new WaitingTurns<>(turns, settings.applyInterval());
        context.schedule(settings.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME,
                now -> scan());
        if (!store.legacyEmpty()) {
            log.info("Task {} holds conversations of the version-1 store; moving them into the split stores",
                    context.taskId());
            migrating = context.schedule(settings.applyInterval(), PunctuationType.WALL_CLOCK_TIME,
                    now -> migrationStep.record(task, this::migrateBatch));
        }
        resumePendingConversations();
        applyWhilePending();
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        if (migrating != null) {
            migrate(record.key(), now);
        }
        if (record.value() instanceof AgentAction action) {
            actions.apply(context, store, record.key(), action, now);
            applyWhilePending();
            return;
        }
        accept(record.withValue((CustomerMessage) record.value()), now);
    }

    private void accept(Record<String, CustomerMessage> record, long now) {
        String id = record.key();
        CustomerMessage message = record.value();
        if (store.seen(id, message.getMessageId())) {
            duplicates.increment();
            log.debug("Dropped redelivered message {} of conversation {}", message.getMessageId(), id);
            return;
        }
        Loaded loaded = store.load(id);
        if (loaded.unreadable() != null) {
            restart(id, loaded.unreadable(), now);
            loaded = Loaded.MISSING;
        }
        boolean fresh = loaded.missing();
        ConversationMeta conversation = fresh ? Conversations.start(id, now) : loaded.meta();
        IdentityRules.Gateway gateway = IdentityRules.assertedByGateway(conversation, message.getCustomerEmail());
        if (gateway == IdentityRules.Gateway.MISMATCH) {
            refuseIdentityMismatch(conversation, message, now);
            return;
        }
        Optional<Budgets.Kind> overBudget = ConversationBudgets.admit(conversation, now, settings.budgets());
        if (overBudget.isPresent()) {
            refuseOverBudget(conversation, message, overBudget.get(), now);
            return;
        }
        byte[] encodedMessage;
        byte[] encodedMeta;
        long sequence;
        try {
            encodedMessage = store.encode("message", Topics.PENDING_MESSAGE,
                    new PendingMessage(message, Instant.ofEpochMilli(now),
                            Tracing.traceparent(record.headers()).orElse(null),
                            Replays.replayOf(record, context, control)));
            if (Conversations.inboxFull(conversation, encodedMessage.length, settings.inboxLimits())) {
                refuseInboxFull(conversation, message, encodedMessage.length, now);
                return;
            }
            sequence = Conversations.accept(conversation, encodedMessage.length, now);
            inboxDepth.record(conversation.getPendingCount());
            encodedMeta = store.encode("conversation", Topics.CONVERSATION_META, conversation);
        } catch (RuntimeException e) {
            refuse(message, new Poison(DeadLetterReason.MESSAGE_NOT_STORED, "conversation " + id
                    + " cannot take this message: " + Redaction.message(e), e),
                    now);
            return;
        }
        store.putPending(id, sequence, encodedMessage);
        store.putMeta(id, encodedMeta);
        store.remember(id, message.getMessageId(), now);
        if (fresh) {
            store.index(Conversations.idleDeadline(conversation, settings.idleTimeout()), id);
        }
        if (gateway != IdentityRules.Gateway.UNCHANGED) {
            audit.write(context, List.of(AuditRecords.identity(id, message.getMessageId(), "gateway",
                    IdentityRules.verifiedCustomerId(conversation), gateway == IdentityRules.Gateway.BOUND
                            ? AuditRecords.Identity.BOUND : AuditRecords.Identity.CLAIM_REPLACED,
                    AuditOutcome.ALLOWED, "asserted by the gateway", Instant.ofEpochMilli(now))), now);
        }
        InFlight running = inFlight.get(id);
        int inTurn = running == null ? 0 : running.handle().request().messages().size();
        if (!handoffs.accepted(context, store, conversation, message, sequence, busy(id), inTurn, now) && !busy(id)) {
            startOrQueue(id, conversation, Start.first(false));
        }
        applyWhilePending();
    }

    /**
     * The conversation's meta cannot be read: it is dead-lettered, each of its pending messages is answered with the
     * apology and dead-lettered, and the conversation is removed, so that the next message starts it afresh.
     */
    private void restart(String id, Unreadable unreadable, long now) {
        String reason = "unreadable conversation state: " + Redaction.message(unreadable.error());
        log.error("Conversation {} has an unreadable stored state ({} bytes): dead-lettering it and its pending "
                + "messages and starting it afresh", id, unreadable.bytes().length, unreadable.error());
        context.forward(deadLetters.stored(id, unreadable.store(), unreadable.bytes(), reason, unreadable.error(),
                now), ConversationTopology.DEAD_LETTERS);
        List<byte[]> pending = new ArrayList<>();
        store.forEachPendingOf(id, pending::add);
        for (byte[] bytes : pending) {
            try {
                CustomerMessage message = Topics.PENDING_MESSAGE.decode(bytes).getMessage();
                context.forward(new Record<>(id, TurnReplies.reply(id, List.of(message), TurnReplies.apology(), now,
                        now), now), ConversationTopology.REPLIES);
                context.forward(deadLetters.message(message, DeadLetterReason.UNREADABLE_STATE.name(), reason,
                        unreadable.error(), now),
                        ConversationTopology.DEAD_LETTERS);
            } catch (RuntimeException e) {
                context.forward(deadLetters.stored(id, ConversationStores.PENDING, bytes, reason, e, now),
                        ConversationTopology.DEAD_LETTERS);
            }
            deadLettered.increment();
        }
        store.deleteUnknown(id);
        forget(id);
    }

    /** Answers a message that cannot join its conversation with the apology, leaving the conversation as it is. */
    private void refuse(CustomerMessage message, Poison poison, long now) {
        log.error("Message {} of conversation {} is answered with the apology and dead-lettered: {}",
                message.getMessageId(), message.getConversationId(), poison.reason());
        answerAlone(message, TurnReplies.apology(), deadLetters.message(message, poison.code().name(), poison.reason(),
                poison.cause(), now), now);
    }

    /** Answers a message that found its conversation's inbox full with the fixed reply, leaving it unread. */
    private void refuseInboxFull(ConversationMeta conversation, CustomerMessage message, int bytes, long now) {
        InvalidMessageException full = new InvalidMessageException(Reason.INBOX_FULL, "conversation "
                + conversation.getConversationId() + " has " + conversation.getPendingCount() + " unanswered messages ("
                + conversation.getPendingBytes() + " bytes); a message of " + bytes + " bytes would pass the caps of "
                + settings.inboxLimits().maxPendingMessages() + " messages and "
                + settings.inboxLimits().maxPendingBytes() + " bytes");
        // A flood refuses thousands: one warning when a conversation's inbox fills, each refusal at DEBUG.
        if (fullInboxes.add(conversation.getConversationId())) {
            log.warn("Conversation {}'s inbox is full; refusing its messages until a turn answers some: {}",
                    conversation.getConversationId(), full.getMessage());
        }
        log.debug("Message {} refused: {}", message.getMessageId(), full.getMessage());
        answerAlone(message, TurnReplies.fixed(INBOX_FULL), deadLetters.message(message, Reason.INBOX_FULL.name(),
                full.getMessage(), full, now), now);
        inboxFull.increment();
    }

    /**
     * Answers a message whose gateway asserts another email than the one the conversation is bound to (verified) with
     * a fixed reply, audits and dead-letters it; the conversation stays as it is.
     */
    private void refuseIdentityMismatch(ConversationMeta conversation, CustomerMessage message, long now) {
        InvalidMessageException mismatch = new InvalidMessageException(Reason.IDENTITY_MISMATCH, "conversation "
                + conversation.getConversationId() + " belongs to another customer");
        log.warn("Message {} of conversation {} asserts another customer than the conversation's; refused",
                message.getMessageId(), conversation.getConversationId());
        answerAlone(message, TurnReplies.fixed(IDENTITY_MISMATCH), deadLetters.message(message,
                Reason.IDENTITY_MISMATCH.name(), mismatch.getMessage(), mismatch, now), now);
        audit.write(context, List.of(AuditRecords.identity(conversation.getConversationId(), message.getMessageId(),
                "gateway", IdentityRules.verifiedCustomerId(conversation), AuditRecords.Identity.MISMATCH,
                AuditOutcome.REFUSED, "the gateway asserted another email", Instant.ofEpochMilli(now))), now);
    }

    /** Answers a message over one of the conversation's budgets with the fixed reply; no model sees it. */
    private void refuseOverBudget(ConversationMeta conversation, CustomerMessage message, Budgets.Kind kind,
                                  long now) {
        log.debug("Message {} of conversation {} refused: over the budget {}", message.getMessageId(),
                conversation.getConversationId(), kind);
        String id = conversation.getConversationId();
        String text = handoffs.refused(context, store, conversation, kind, message.getMessageId(), now)
                ? Budgets.REPLY + "\n\n" + Handoffs.REQUESTED : Budgets.REPLY;
        context.forward(new Record<>(id, TurnReplies.reply(id, List.of(message), TurnReplies.fixed(text), now, now),
                now), ConversationTopology.REPLIES);
        audit.write(context, List.of(AuditRecords.budget(id, message.getMessageId(),
                IdentityRules.verifiedCustomerId(conversation), kind, Instant.ofEpochMilli(now))), now);
        store.remember(id, message.getMessageId(), now);
    }

    /** Answers a message outside its conversation's turns, dead-letters it and remembers its id. */
    private void answerAlone(CustomerMessage message, TurnOutcome outcome, Record<String, Object> deadLetter,
                             long now) {
        AgentReply reply = TurnReplies.reply(message.getConversationId(), List.of(message), outcome, now, now);
        context.forward(new Record<>(message.getConversationId(), reply, now), ConversationTopology.REPLIES);
        context.forward(deadLetter, ConversationTopology.DEAD_LETTERS);
        store.remember(message.getConversationId(), message.getMessageId(), now);
        deadLettered.increment();
    }

    /**
     * Starts the conversation's turn at once when nobody waits, here or in any other task of the instance, and a slot
     * is free (with the meta in hand, no second read), else queues it behind the conversations already waiting.
     */
    private void startOrQueue(String id, ConversationMeta conversation, Start start) {
        Optional<Fence> fence = ownership.fence(context.currentSystemTimeMs());
        long ticket = turns.ticket();
        if (waiting.isEmpty() && fence.isPresent() && turns.mayStart(waiting.place(), ticket)) {
            TurnRequest request = turnFor(id, conversation, start, fence.get());
            if (request == null) {
                return;
            }
            Optional<TurnHandle> handle = submit(request, ticket);
            if (handle.isPresent()) {
                inFlight.put(id, new InFlight(handle.get(), context.currentSystemTimeMs()));
                return;
            }
        }
        waiting.put(id, start, ticket);
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
                    now -> applyStep.record(task, this::applyFinishedTurns));
        }
    }

    /**
     * After a (re)assignment the store holds every accepted message; conversations with unanswered ones get their
     * turn again. Reads the pending-message store, which holds only unanswered messages, not every conversation.
     */
    private void resumePendingConversations() {
        Set<String> resumed = new LinkedHashSet<>();
        unansweredAtStart.clear();
        store.forEachPending((id, bytes) -> {
            resumed.add(id);
            try {
                unansweredAtStart.add(messageKey(id, Topics.PENDING_MESSAGE.decode(bytes).getMessage()
                        .getMessageId()));
            } catch (RuntimeException e) {
                // Dead-lettered when its conversation's turn reads it.
            }
        });
        resumed.forEach(id -> waiting.put(id, Start.first(true)));
        if (!resumed.isEmpty()) {
            log.info("Task {} resumed {} conversations with unanswered messages", context.taskId(), resumed.size());
        }
        // Started by the first apply punctuation, not here: starting one reads its records, and one that cannot be
        // read is dead-lettered, which init may not do (forwarding there fails the task's initialisation, again and
        // again).
    }

    /**
     * Starts turns for waiting conversations, oldest first, while slots are free and no other task of the instance
     * has a conversation waiting for longer; then tells the instance's line how long the oldest one left here waits.
     * A conversation that loses a slot to another task keeps its place.
     */
    private void startWaitingTurns() {
        Optional<Fence> fence = ownership.fence(context.currentSystemTimeMs());
        if (fence.isEmpty()) {
            waiting.report(false);
            return;
        }
        Iterator<Map.Entry<String, WaitingTurns.Waiting<Start>>> next = waiting.oldestFirst();
        while (next.hasNext()) {
            Map.Entry<String, WaitingTurns.Waiting<Start>> entry = next.next();
            long ticket = entry.getValue().ticket();
            if (!turns.mayStart(waiting.place(), ticket)) {
                break;
            }
            TurnRequest request = turnFor(entry.getKey(), null, entry.getValue().start(), fence.get());
            if (request == null) {
                next.remove();
                continue;
            }
            Optional<TurnHandle> handle = submit(request, ticket);
            if (handle.isEmpty()) {
                break;
            }
            next.remove();
            inFlight.put(entry.getKey(), new InFlight(handle.get(), context.currentSystemTimeMs()));
        }
        waiting.report(true);
    }

    /**
     * The turn that answers what waits in the conversation: its oldest pending messages (as many as one turn
     * answers), the history window and the rest of the conversation, read now, under an attempt of the task's fence.
     * Null when nothing waits. Records that cannot be read are dead-lettered and removed on the way.
     */
    private TurnRequest turnFor(String id, ConversationMeta known, Start start, Fence fence) {
        long now = context.currentSystemTimeMs();
        ConversationMeta conversation = known;
        if (conversation == null) {
            Loaded loaded = store.load(id);
            if (loaded.unreadable() != null) {
                restart(id, loaded.unreadable(), now);
                return null;
            }
            conversation = loaded.meta();
        }
        if (conversation == null || conversation.getPendingCount() == 0 || Handoffs.handedOff(conversation)) {
            return null;
        }
        // Messages answered together are kept as one history turn: their texts must fit a record with room to spare.
        ConversationStore.PendingRead read = store.pending(conversation,
                Math.min(start.maxMessages(), settings.inboxLimits().maxMessagesPerTurn()),
                settings.maxRecordBytes() / 2);
        if (!read.unreadable().isEmpty()) {
            conversation = ConversationMeta.newBuilder(conversation).build();
            for (Unreadable unreadable : read.unreadable()) {
                dropUnreadable(id, unreadable, now);
                store.deletePending(id, ConversationKeys.sequenceOf(unreadable.key()));
                conversation.setPendingCount(conversation.getPendingCount() - 1);
                conversation.setPendingBytes(Math.max(0, conversation.getPendingBytes() - unreadable.bytes().length));
            }
            store.putMeta(id, store.encode("conversation", Topics.CONVERSATION_META, conversation));
            return turnFor(id, conversation, start, fence);
        }
        if (read.messages().isEmpty()) {
            log.warn("Conversation {} counts {} pending messages but holds none; resetting its count", id,
                    conversation.getPendingCount());
            ConversationMeta reset = ConversationMeta.newBuilder(conversation).setPendingCount(0).setPendingBytes(0)
                    .setFirstPending(conversation.getNextPending()).build();
            store.putMeta(id, store.encode("conversation", Topics.CONVERSATION_META, reset));
            return null;
        }
        ConversationStore.HistoryRead history = store.history(conversation, settings.historyWindow());
        history.unreadable().forEach(unreadable -> {
            dropUnreadable(id, unreadable, now);
            store.deleteTurn(id, ConversationKeys.sequenceOf(unreadable.key()));
        });
        List<CustomerMessage> messages = read.messages().stream().map(pending -> pending.message().getMessage())
                .toList();
        boolean resumed = start.resumed();
        for (CustomerMessage message : messages) {
            resumed |= unansweredAtStart.remove(messageKey(id, message.getMessageId()));
        }
        ConversationState view = Conversations.view(conversation, history.turns(), read.messages());
        TurnRequest request = new TurnRequest(messages, view, start.attempt(), resumed, fence.attempt());
        traces.starting(request, read.messages());
        return request;
    }

    private void dropUnreadable(String id, Unreadable unreadable, long now) {
        log.error("Conversation {} has an unreadable record in {} ({} bytes); dead-lettering and removing it", id,
                unreadable.store(), unreadable.bytes().length, unreadable.error());
        context.forward(deadLetters.stored(id, unreadable.store(), unreadable.bytes(), "unreadable record in "
                + unreadable.store() + ": " + Redaction.message(unreadable.error()), unreadable.error(), now),
                ConversationTopology.DEAD_LETTERS);
        deadLettered.increment();
    }

    private Optional<TurnHandle> submit(TurnRequest request, long ticket) {
        Epoch current = epoch;
        try {
            return traces.submitting(request.conversationId(), () -> turns.trySubmit(request, waiting.place(), ticket,
                    completion -> {
                if (!current.closed) {
                    current.finished.add(completion);
                } else {
                    turns.settled();
                }
            }));
        } catch (RejectedExecutionException e) {
            // The executor is shutting down with the application; the message stays in the inbox for the next start.
            return Optional.empty();
        }
    }

    private void applyFinishedTurns() {
        TurnCompletion completion;
        while ((completion = epoch.finished.poll()) != null) {
            try {
                applyCounted(completion);
            } finally {
                turns.settled();
            }
        }
        startDueRetries();
        startWaitingTurns();
        if (applying != null && !pending()) {
            applying.cancel();
            applying = null;
        }
    }

    /**
     * Applies a finished turn; a failure fails the task and, unless the task was taken away from this instance, is
     * counted against its message.
     */
    private void applyCounted(TurnCompletion completion) {
        TurnRequest turn = completion.request();
        try (TurnLogContext ignored = TurnLogContext.of(turn, traces.traceId(turn.conversationId()))) {
            apply(completion);
        } catch (RuntimeException | Error e) {
            if (ApplyFailures.migrated(e)) {
                throw e;
            }
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
        Headers trace = traces.finished(completion);
        if (completion.outcome() == null && FencedException.in(completion.failure())) {
            refused(request);
            return;
        }
        ConversationMeta conversation = store.load(id).meta();
        List<Pending> answered = conversation == null ? List.of()
                : store.pending(conversation, request.messages().size()).messages();
        List<String> awaited = answered.stream().map(pending -> pending.message().getMessage().getMessageId())
                .toList();
        if (!awaited.equals(request.messages().stream().map(CustomerMessage::getMessageId).toList())) {
            log.warn("Discarded a turn for message {} that conversation {} no longer awaits", request.messageId(), id);
            // The conversation was removed (an erasure) while the turn ran; messages that came since wait for one.
            if (conversation != null && conversation.getPendingCount() > 0 && !busy(id)) {
                startOrQueue(id, conversation, Start.first(false));
            }
            return;
        }
        long now = context.currentSystemTimeMs();
        TurnOutcome outcome = completion.outcome();
        Poison poison = null;
        Optional<ApplyFailures.Failures> failed = applyFailures.of(id, request.messageId());
        if (failed.isPresent() && failed.get().count() >= ApplyFailures.ALLOWED) {
            poison = new Poison(DeadLetterReason.APPLY_FAILED, "applying its turn failed " + failed.get().count()
                    + " times, last: " + failed.get().lastReason(),
                    new IllegalStateException(failed.get().lastReason()));
        } else if (outcome == null) {
            TurnFailedException.eventsIn(completion.failure()).forEach(event -> writtenByFailedAttempts
                    .computeIfAbsent(messageKey(id, request.messageId()), key -> new LinkedHashMap<>())
                    .putIfAbsent(event.getEventId(), event));
            if (request.attempt() < settings.maxTurnAttempts()) {
                long dueAt = now + settings.backoffBefore(request.attempt() + 1).toMillis();
                retries.put(id, new Retry(request.attempt() + 1, dueAt, request.messages().size()));
                return;
            }
            abandoned.increment();
            poison = new Poison(DeadLetterReason.TURN_FAILED, "its turn failed " + request.attempt()
                    + " times, last: " + Redaction.describe(completion.failure()), completion.failure());
        }
        Prepared prepared = null;
        if (poison == null) {
            try {
                prepared = prepare(conversation, answered, request.userText(), outcome, now);
            } catch (RuntimeException e) {
                poison = new Poison(DeadLetterReason.OUTCOME_TOO_LARGE, "its turn's outcome could not be written: "
                        + Redaction.message(e), e);
            }
        }
        List<Record<String, Object>> dead = List.of();
        if (poison != null) {
            log.error("Message {} of conversation {} is answered with the apology and dead-lettered: {}",
                    request.messageId(), id, poison.reason(), poison.cause());
            Map<String, TicketEvent> written = writtenByFailedAttempts.getOrDefault(messageKey(id,
                    request.messageId()), Map.of());
            prepared = prepareApology(conversation, answered, request.userText(), List.copyOf(written.values()), now);
            Poison cause = poison;
            dead = request.messages().stream()
                    .map(message -> deadLetters.message(message, cause.code().name(), cause.reason(), cause.cause(),
                            now)).toList();
        }
        write(id, prepared, dead, trace);
        turns.answered(request);
        dead.forEach(record -> deadLettered.increment());
        applyFailures.forget(id, request.messageId());
        writtenByFailedAttempts.remove(messageKey(id, request.messageId()));
        fullInboxes.remove(id);
        if (prepared.conversation().getPendingCount() > 0) {
            startOrQueue(id, prepared.conversation(), Start.first(false));
        }
    }

    /**
     * The conversation after {@code outcome} answered the {@code answered} messages, and what goes out; throws when
     * any of it cannot be written.
     */
    private Prepared prepare(ConversationMeta conversation, List<Pending> answered, String userText,
                             TurnOutcome outcome, long now) {
        ConversationMeta next = ConversationMeta.newBuilder(conversation).build();
        HistoryTurn turn = Conversations.complete(next, answered, outcome, userText, now);
        String id = conversation.getConversationId();
        IdentityRules.Applied identity = IdentityRules.applyTurn(next, outcome, turn.getMessageId(),
                Instant.ofEpochMilli(now), settings.verification());
        ConversationBudgets.spent(next, (long) outcome.usage().getInputTokens() + outcome.usage().getOutputTokens());
        List<AuditRecord> audits = new ArrayList<>(outcome.audit());
        audits.addAll(identity.audit());
        List<CustomerMessage> messages = answered.stream().map(pending -> pending.message().getMessage()).toList();
        AgentReply reply = TurnReplies.reply(id, messages, outcome, now,
                answered.get(0).message().getReceivedAt().toEpochMilli());
        Replays.identify(reply, answered);
        List<HandoffEvent> handoff = Handoffs.afterTurn(next, outcome, identity.verificationFailed(), turn, reply,
                now, settings.handoff());
        RecordLimit.check("reply", Topics.AGENT_REPLY.encode(reply), settings.maxRecordBytes());
        List<TicketEvent> events = Replays.published(outcome.ticketEvents(), answered);
        for (TicketEvent event : events) {
            RecordLimit.check("ticket event", Topics.TICKET_EVENT.encode(event), settings.maxRecordBytes());
        }
        return new Prepared(next, store.encode("conversation", Topics.CONVERSATION_META, next),
                store.encode("history turn", Topics.HISTORY_TURN, turn), answered, reply, events, audits,
                identity.request(), handoff);
    }

    /**
     * The apology, with the events of the writes earlier attempts made; should even that not fit the record limit,
     * the turn is kept without the customer's text and the conversation without its context.
     */
    private Prepared prepareApology(ConversationMeta conversation, List<Pending> answered, String userText,
                                    List<TicketEvent> written, long now) {
        try {
            return prepare(conversation, answered, userText, TurnReplies.apology(written), now);
        } catch (RuntimeException e) {
            log.error("Conversation {} cannot be stored even with the apology ({}); keeping the turn without its text "
                    + "and the conversation without its context", conversation.getConversationId(),
                    Redaction.message(e));
            ConversationMeta trimmed = ConversationMeta.newBuilder(conversation).build();
            trimmed.getContext().clear();
            return prepare(trimmed, answered, "[not kept: too large]", TurnReplies.apology(written), now);
        }
    }

    /** Writes a prepared step: its records first (the reply and events with the turn's trace), then the store. */
    private void write(String id, Prepared prepared, List<Record<String, Object>> dead, Headers trace) {
        long now = prepared.reply().getCreatedAt().toEpochMilli();
        context.forward(new Record<>(id, prepared.reply(), now, trace), ConversationTopology.REPLIES);
        for (TicketEvent event : prepared.events()) {
            context.forward(new Record<>(event.getTicketId(), event, now, trace), ConversationTopology.TICKET_EVENTS);
        }
        for (Record<String, Object> record : dead) {
            context.forward(record, ConversationTopology.DEAD_LETTERS);
        }
        audit.write(context, prepared.audit(), now);
        prepared.verification().ifPresent(request -> audit.write(context, request, now));
        for (HandoffEvent event : prepared.handoffs()) {
            // Asked of the database here, once per written step (prepare may run again for the apology).
            AgentActions.forward(context, handoffs.withOpenTickets(event, prepared.conversation(), now), now);
            store.index(prepared.conversation().getHandoffDeadline(), id);
            handoffs.requestedByTurn();
        }
        prepared.answered().forEach(pending -> store.deletePending(id, pending.sequence()));
        if (!prepared.handoffs().isEmpty()) {
            // What came while the turn ran now waits for the human: the desk sees it.
            handoffs.announceWaiting(context, store, prepared.conversation(), 0, null, now);
        }
        int number = prepared.conversation().getTurnCount();
        store.putTurn(id, number, prepared.encodedTurn());
        if (number - settings.historyWindow() >= 1) {
            store.deleteTurn(id, number - settings.historyWindow());
        }
        store.putMeta(id, prepared.encodedMeta());
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
            waiting.put(entry.getKey(), new Start(entry.getValue().attempt(), false, entry.getValue().messages()));
        }
    }

    /**
     * Every expiry scan interval: a turn that never reported back within {@link ConversationSettings#lostTurnAfter()}
     * is failed; then the conversations due in the expiry index are looked at (which also gives a conversation with
     * a pending message and no turn its turn).
     */
    private void scan() {
        failLostTurns(context.currentSystemTimeMs());
        expiry.step();
    }

    /** Moves up to an expiry batch of version-1 conversations into the split stores; stops once none is left. */
    private void migrateBatch() {
        long now = context.currentSystemTimeMs();
        List<KeyValue<String, byte[]>> batch = store.legacyBatch(settings.expiryBatch());
        batch.forEach(entry -> migrate(entry.key, now));
        if (batch.size() < settings.expiryBatch() && migrating != null) {
            migrating.cancel();
            migrating = null;
            log.info("Task {} moved every version-1 conversation into the split stores", context.taskId());
        }
        startWaitingTurns();
        applyWhilePending();
    }

    /** Moves one version-1 conversation, if the old store holds it, into the split stores. */
    private void migrate(String id, long now) {
        byte[] bytes = store.legacy(id);
        if (bytes == null) {
            return;
        }
        store.deleteLegacy(id);
        ConversationState old;
        try {
            old = ConversationStore.decodeLegacy(bytes);
        } catch (RuntimeException e) {
            log.error("Conversation {} has an unreadable version-1 state ({} bytes); dead-lettering it", id,
                    bytes.length, e);
            context.forward(deadLetters.stored(id, ConversationStores.LEGACY, bytes,
                    "unreadable conversation state: " + Redaction.message(e), e, now),
                    ConversationTopology.DEAD_LETTERS);
            deadLettered.increment();
            return;
        }
        Migration.Split split = Migration.split(old, settings.historyWindow());
        split.pending().forEach((sequence, message) -> store.putPending(id, sequence,
                Topics.PENDING_MESSAGE.encode(message)));
        split.history().forEach((number, turn) -> store.putTurn(id, number, Topics.HISTORY_TURN.encode(turn)));
        old.getRecentMessageIds().forEach(messageId -> store.remember(id, messageId, now));
        store.putMeta(id, Topics.CONVERSATION_META.encode(split.meta()));
        store.index(Conversations.idleDeadline(split.meta(), settings.idleTimeout()), id);
        if (split.meta().getPendingCount() > 0 && !busy(id)) {
            split.pending().values().forEach(message -> unansweredAtStart.add(messageKey(id,
                    message.getMessage().getMessageId())));
            waiting.put(id, Start.first(true));
        }
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

    /**
     * Drops the turn and retry this life of the task holds for a conversation that was removed; a place among the
     * waiting is left to lapse (its turn finds nothing to answer, or the conversation's next message).
     */
    private void forget(String id) {
        InFlight turn = inFlight.remove(id);
        if (turn != null) {
            turn.handle().cancel();
        }
        traces.forget(id);
        retries.remove(id);
    }

    /**
     * A turn whose writes were refused ends without a reply: its messages stay pending for whoever owns the task. When
     * this life did not revoke the turn's fence itself, a newer owner claimed the task.
     */
    private void refused(TurnRequest request) {
        if (!request.fence().revoked()) {
            ownership.superseded();
        }
        log.info("The turn for message {} of conversation {} was refused its writes ({}); it ends without a reply",
                request.messageId(), request.conversationId(), request.fence());
    }

    private static String messageKey(String conversationId, String messageId) {
        return conversationId + '\u0000' + messageId;
    }

    @Override
    public void close() {
        // The task is closing or moving to another instance: turns still running are discarded there and replayed
        // by whichever task owns the conversation next.
        epoch.closed = true;
        while (epoch.finished.poll() != null) {
            turns.settled();
        }
        ownership.release();
        inFlight.values().forEach(turn -> turn.handle().cancel());
        inFlight.clear();
        traces.close();
        retries.clear();
        writtenByFailedAttempts.clear();
        waiting.close();
        applying = null;
        migrating = null;
    }

    /** What the expiry scan asks of this processor. */
    private final class ExpiryOwner implements ExpiryScan.Owner {
        @Override
        public boolean busy(String id) {
            return ConversationProcessor.this.busy(id);
        }

        @Override
        public void restart(String id, Unreadable unreadable, long now) {
            ConversationProcessor.this.restart(id, unreadable, now);
        }

        @Override
        public void resume(String id) {
            waiting.put(id, Start.first(true));
        }

        @Override
        public void afterStep() {
            startWaitingTurns();
            applyWhilePending();
        }
    }
}
