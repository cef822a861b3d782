package io.helpstream.tickets.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Objects;

/**
 * Cached values as JSON, instants as ISO-8601 text. Unknown fields are rejected, so a value in an older format reads
 * as unreadable rather than half-filled.
 */
final class CacheCodec {

    private final ObjectMapper mapper;

    CacheCodec() {
        this.mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    String encode(Object value) {
        Objects.requireNonNull(value, "value");
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The value read back; throws {@link IllegalArgumentException} when the JSON does not make a {@code type}. */
    <T> T decode(String json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the JSON it failed on, which may hold a customer's data: the cause keeps it.
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }
}
