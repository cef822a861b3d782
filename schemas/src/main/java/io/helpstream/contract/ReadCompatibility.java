package io.helpstream.contract;

import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility;

/**
 * Whether a reader schema reads every record a writer schema wrote, by Avro's resolution rules, and if not, why.
 * Avro's own description of a failed check only prints both schemas; the incompatibilities it found say what is
 * wrong and where.
 */
final class ReadCompatibility {

    private ReadCompatibility() {
    }

    /**
     * Empty when {@code reader} reads what {@code writer} wrote; otherwise each incompatibility Avro found, as its kind,
     * its location in the reader schema and Avro's message, e.g. {@code READER_FIELD_MISSING_DEFAULT_VALUE at
     * /fields/10: turnCount}.
     */
    static Optional<String> problem(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        return Optional.of(result.getIncompatibilities().stream()
                .map(found -> found.getType() + " at " + found.getLocation() + ": " + found.getMessage())
                .collect(Collectors.joining("; ")));
    }
}
