package io.helpstream.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.helpstream.journal.JournalEntry;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEvent;
import io.helpstream.tools.TurnContext.Tally;
import io.helpstream.turn.TurnOutcome.HandoffRequest;
import io.helpstream.turn.TurnOutcome.CodeAttempt;
import io.helpstream.turn.TurnOutcome.VerificationStart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * How the steps of a turn are written into its journal, as JSON: a model response with the messages the turn answers,
 * and a tool result with the turn's {@link Tally} after the call, the ticket events, audit records, verification codes
 * and one-time code request the call reported. A step that
 * cannot be read back (written by another version) is not replayed: the rerun asks again from there. Avro records
 * (the customer binding, ticket events) are kept in Avro's JSON encoding, so that every field travels.
 */
final class JournalCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A recorded tool call: what it returned, how it left the turn and the events of the writes it made. */
    record ToolStep(String result, boolean error, Tally tally, List<TicketEvent> events, Effects effects) {
    }

    /**
     * What else a tool call reported to the turn's outcome: its audit records, the verification codes it tried and
     * the one-time code it asked for (null when none), the handoff it asked for (null when none), which a replay
     * reports again as the call did.
     */
    record Effects(List<AuditRecord> audit, List<CodeAttempt> codes, VerificationStart verification,
                   HandoffRequest handoff) {
        static final Effects NONE = new Effects(List.of(), List.of(), null, null);

        Effects(List<AuditRecord> audit, List<CodeAttempt> codes, VerificationStart verification) {
            this(audit, codes, verification, null);
        }

        Effects {
            audit = List.copyOf(audit);
            codes = List.copyOf(codes);
        }
    }

    private JournalCodec() {
    }

    static String model(ChatResponse response, List<String> answers) {
        ObjectNode node = JSON.createObjectNode();
        node.putPOJO("answers", answers);
        node.put("message", ChatMessageSerializer.messageToJson(response.aiMessage()));
        node.put("model", response.modelName());
        TokenUsage usage = response.tokenUsage();
        if (usage != null) {
            node.put("input", usage.inputTokenCount());
            node.put("output", usage.outputTokenCount());
        }
        if (response.finishReason() != null) {
            node.put("finish", response.finishReason().name());
        }
        return write(node);
    }

    /**
     * The recorded response, when it can be replayed for a run answering {@code answers}: an answer to the customer
     * is replayed only for the same messages (a rerun that answers more must answer them all), tool calls always,
     * since what they wrote was done.
     */
    static Optional<ChatResponse> response(JournalEntry entry, List<String> answers) {
        try {
            JsonNode node = JSON.readTree(entry.payload());
            ChatMessage message = ChatMessageDeserializer.messageFromJson(node.get("message").asText());
            if (!(message instanceof AiMessage ai)) {
                return Optional.empty();
            }
            if (!ai.hasToolExecutionRequests() && !answers.equals(strings(node.get("answers")))) {
                return Optional.empty();
            }
            ChatResponse.Builder response = ChatResponse.builder().aiMessage(ai)
                    .modelName(node.hasNonNull("model") ? node.get("model").asText() : null);
            if (node.has("input") || node.has("output")) {
                response.tokenUsage(new TokenUsage(integer(node, "input"), integer(node, "output")));
            }
            if (node.hasNonNull("finish")) {
                response.finishReason(FinishReason.valueOf(node.get("finish").asText()));
            }
            return Optional.of(response.build());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String tool(ToolExecutionRequest request, String result, boolean error, Tally tally,
                       List<TicketEvent> events) {
        return tool(request, result, error, tally, events, Effects.NONE);
    }

    static String tool(ToolExecutionRequest request, String result, boolean error, Tally tally,
                       List<TicketEvent> events, Effects effects) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", request.id());
        node.put("tool", request.name());
        node.put("result", result);
        node.put("error", error);
        ObjectNode counts = node.putObject("tally");
        counts.put("calls", tally.calls());
        counts.put("writes", tally.writes());
        counts.putPOJO("keys", tally.keys());
        counts.put("customer", tally.customer() == null ? null : avro(tally.customer(),
                CustomerBinding.getClassSchema(), CustomerBinding.class));
        counts.putPOJO("context", tally.context());
        counts.put("audits", tally.audits());
        counts.put("wrongCodes", tally.wrongCodes());
        counts.put("codeRequested", tally.codeRequested());
        node.putPOJO("events", events.stream().map(event -> avro(event, TicketEvent.getClassSchema(),
                TicketEvent.class)).toList());
        node.putPOJO("audit", effects.audit().stream().map(record -> avro(record, AuditRecord.getClassSchema(),
                AuditRecord.class)).toList());
        ArrayNode codes = node.putArray("codes");
        effects.codes().forEach(code -> codes.addObject().put("code", code.code()).put("at", code.at().toString()));
        if (effects.verification() != null) {
            node.putObject("verification").put("email", effects.verification().email())
                    .put("customerId", effects.verification().customerId());
        }
        if (effects.handoff() != null) {
            node.putObject("handoff").put("reason", effects.handoff().reason())
                    .put("summary", effects.handoff().summary());
        }
        return write(node);
    }

    /** The recorded result of this very call (same id, same tool), when it can be read. */
    static Optional<ToolStep> toolStep(JournalEntry entry, ToolExecutionRequest request) {
        try {
            JsonNode node = JSON.readTree(entry.payload());
            if (!node.path("tool").asText().equals(request.name())
                    || !node.path("id").asText().equals(String.valueOf(request.id()))) {
                return Optional.empty();
            }
            JsonNode counts = node.get("tally");
            Map<String, Integer> keys = new LinkedHashMap<>();
            counts.get("keys").properties().forEach(key -> keys.put(key.getKey(), key.getValue().asInt()));
            Map<String, String> context = new LinkedHashMap<>();
            counts.get("context").properties().forEach(fact -> context.put(fact.getKey(), fact.getValue().asText()));
            CustomerBinding customer = counts.hasNonNull("customer") ? fromAvro(counts.get("customer").asText(),
                    CustomerBinding.getClassSchema(), CustomerBinding.class) : null;
            List<TicketEvent> events = new ArrayList<>();
            for (String event : strings(node.get("events"))) {
                events.add(fromAvro(event, TicketEvent.getClassSchema(), TicketEvent.class));
            }
            List<AuditRecord> audit = new ArrayList<>();
            for (String record : strings(node.get("audit"))) {
                audit.add(fromAvro(record, AuditRecord.getClassSchema(), AuditRecord.class));
            }
            List<CodeAttempt> codes = new ArrayList<>();
            node.path("codes").forEach(code -> codes.add(new CodeAttempt(code.get("code").asText(),
                    Instant.parse(code.get("at").asText()))));
            JsonNode verification = node.get("verification");
            VerificationStart start = verification == null ? null : new VerificationStart(
                    verification.get("email").asText(),
                    verification.hasNonNull("customerId") ? verification.get("customerId").asText() : null);
            JsonNode handoff = node.get("handoff");
            HandoffRequest handoffRequest = handoff == null ? null : new HandoffRequest(
                    handoff.get("reason").asText(), handoff.get("summary").asText());
            return Optional.of(new ToolStep(node.get("result").asText(), node.path("error").asBoolean(),
                    new Tally(counts.get("calls").asInt(), counts.get("writes").asInt(), keys, customer, context,
                            counts.path("audits").asInt(), counts.path("wrongCodes").asInt(),
                            counts.path("codeRequested").asBoolean()),
                    events, new Effects(audit, codes, start, handoffRequest)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static Integer integer(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }

    private static <T> String avro(T record, Schema schema, Class<T> type) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Encoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            new SpecificDatumWriter<>(type).write(record, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T fromAvro(String json, Schema schema, Class<T> type) throws IOException {
        return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().jsonDecoder(schema, json));
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a journal step could not be written as JSON", e);
        }
    }
}
