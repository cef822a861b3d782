package io.helpstream.bench;

import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The naive designs helpstream is compared with, each a complete Kafka Streams topology. */
final class ComparisonTopologies {

    static final String STORE = "records";

    private ComparisonTopologies() {
    }

    /** (a) Records copied from input to output: the floor cost of an exactly-once stream. */
    static Topology passThrough(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    /** (b) One read and one write of a persistent, changelogged store per record, then the record forwarded. */
    static Topology storeReadWrite(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(StoreReadWrite::new, STORE)
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    /**
     * The naive agent: the model is called inside {@code process()}, so the stream thread waits for every turn. Once
     * {@code stopped} is set, records are skipped so that the measurement can end without waiting out the backlog.
     */
    static Topology naiveAgent(String input, String output, ScriptedChatModel model, AtomicBoolean stopped) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()));
        builder.stream(input, Consumed.with(Serdes.String(), Topics.CUSTOMER_MESSAGE))
                .process(() -> new NaiveAgent(model, stopped), STORE)
                .to(output, Produced.with(Serdes.String(), Topics.AGENT_REPLY));
        return builder.build();
    }

    private static final class StoreReadWrite implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            byte[] previous = store.get(record.key());
            store.put(record.key(), previous == null || previous.length != record.value().length
                    ? record.value() : previous);
            context.forward(record);
        }
    }

    private static final class NaiveAgent implements Processor<String, CustomerMessage, String, AgentReply> {
        private final ScriptedChatModel model;
        private final AtomicBoolean stopped;
        private ProcessorContext<String, AgentReply> context;
        private KeyValueStore<String, byte[]> store;

        NaiveAgent(ScriptedChatModel model, AtomicBoolean stopped) {
            this.model = model;
            this.stopped = stopped;
        }

        @Override
        public void init(ProcessorContext<String, AgentReply> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, CustomerMessage> record) {
            if (stopped.get()) {
                return;
            }
            CustomerMessage message = record.value();
            byte[] history = store.get(record.key());
            String answer = model.answer(message.getText());
            store.put(record.key(), history == null ? new byte[]{1} : new byte[]{(byte) (history[0] + 1)});
            long now = context.currentSystemTimeMs();
            context.forward(new Record<>(record.key(), AgentReply.newBuilder()
                    .setReplyId("naive-" + message.getMessageId())
                    .setConversationId(message.getConversationId())
                    .setInReplyTo(message.getMessageId())
                    .setText(answer)
                    .setCreatedAt(Instant.ofEpochMilli(now))
                    .setModel(ScriptedChatModel.MODEL_NAME)
                    .setUsage(new TokenUsage(0, 0, 1))
                    .setToolsUsed(List.of())
                    .setLatencyMs(0L)
                    .setDegraded(false)
                    .build(), now));
        }
    }
}
