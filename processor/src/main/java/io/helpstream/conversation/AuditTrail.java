package io.helpstream.conversation;

import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.VerificationRequested;
import io.helpstream.security.AuditRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the conversation processor writes the audit trail and the verification requests, through their named sinks
 * and so in the same transaction as the reply they belong to, and counts what was refused
 * ({@code helpstream.security.refusals{category}}) and which gateway identities clashed
 * ({@code helpstream.identity.mismatches}).
 */
final class AuditTrail {

    private final Map<AuditCategory, Counter> refusals = new EnumMap<>(AuditCategory.class);
    private final Counter mismatches;

    AuditTrail(MeterRegistry registry) {
        for (AuditCategory category : AuditCategory.values()) {
            refusals.put(category, Counter.builder("helpstream.security.refusals")
                    .tag("category", category.name().toLowerCase(Locale.ROOT))
                    .description("tool calls, identity steps and messages refused, by what refused them")
                    .register(registry));
        }
        this.mismatches = Counter.builder("helpstream.identity.mismatches")
                .description("messages whose gateway-asserted email differs from the conversation's verified one")
                .register(registry);
    }

    void write(ProcessorContext<String, Object> context, List<AuditRecord> records, long now) {
        for (AuditRecord record : records) {
            context.forward(new Record<>(record.getConversationId(), record, now), ConversationTopology.AUDIT);
            if (record.getOutcome() == AuditOutcome.REFUSED) {
                refusals.get(record.getCategory()).increment();
            }
            if (record.getCategory() == AuditCategory.IDENTITY
                    && record.getAction().equals(AuditRecords.Identity.MISMATCH.name())) {
                mismatches.increment();
            }
        }
    }

    void write(ProcessorContext<String, Object> context, VerificationRequested request, long now) {
        context.forward(new Record<>(request.getConversationId(), request, now),
                ConversationTopology.VERIFICATION_REQUESTS);
    }
}
