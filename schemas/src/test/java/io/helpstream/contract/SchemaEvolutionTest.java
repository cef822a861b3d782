package io.helpstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.ReleasedSchemas.Release;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The build's schema evolution check: runs with the unit tests, so an incompatible change fails the build. */
class SchemaEvolutionTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("src/main/avro-released");

    /**
     * The types on helpstream's topics that other services read (CustomerMessage and AgentAction: gateways and desks
     * write them).
     */
    private static final Set<String> READ_BY_OTHERS = Set.of("io.helpstream.schema.AgentReply",
            "io.helpstream.schema.TicketEvent", "io.helpstream.schema.ConversationEnded",
            "io.helpstream.schema.CustomerMessage", "io.helpstream.schema.VerificationRequested",
            "io.helpstream.schema.AuditRecord", "io.helpstream.schema.HandoffEvent",
            "io.helpstream.schema.AgentAction");

    /** Full names of the types added since the last release; emptied when the next release ships. */
    private static final Set<String> NEW_SINCE_LAST_RELEASE = Set.of("io.helpstream.schema.PendingVerification",
            "io.helpstream.schema.VerificationRequested", "io.helpstream.schema.AuditRecord",
            "io.helpstream.schema.DeadLetterReplay", "io.helpstream.schema.HandoffEvent",
            "io.helpstream.schema.AgentAction", "io.helpstream.schema.ConversationMode",
            "io.helpstream.schema.TrustLevel");

    /**
     * SHA-256 of each release directory as it shipped (see {@link #digest}): a released schema is what records on the
     * topics and in the changelogs were written with, so it never changes. A new release adds its line here.
     */
    private static final Map<String, String> FROZEN = Map.of(
            "v1", "4651074c6c3c3a8316d2b2ec92bfa0654b0e3cb6d8aeba65a2135c10f6128b55",
            "v2", "b4d4ea1cf71d052834fa581bd1d3073421c19b18c729daf0881a191896b3eb4e");

    private static final SchemaEvolution RULES = new SchemaEvolution(READ_BY_OTHERS, NEW_SINCE_LAST_RELEASE);

    @Test
    void should_read_every_released_version_with_the_current_schemas_and_the_current_records_with_released_readers()
            throws IOException {
        List<String> violations = RULES.violations(currentSchemas(), releases());

        assertThat(violations).withFailMessage(() -> "incompatible schema change:\n  "
                + String.join("\n  ", violations)).isEmpty();
    }

    @Test
    void should_reject_a_new_field_without_a_default() throws IOException {
        Map<String, Schema> changed = changing("io.helpstream.schema.ConversationState", fields -> {
            fields.add(new Field("language", Schema.create(Schema.Type.STRING)));
            return fields;
        });

        assertThat(RULES.violations(changed, releases())).as("one violation per release").hasSize(2).first()
                .asString()
                .startsWith("io.helpstream.schema.ConversationState: the current schema cannot read records written"
                        + " with release v1: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/")
                .endsWith(": language");
    }

    @Test
    void should_reject_a_changed_field_type() throws IOException {
        Map<String, Schema> changed = changing("io.helpstream.schema.ConversationState",
                fields -> replace(fields, "messageCount", Schema.create(Schema.Type.STRING)));

        assertThat(RULES.violations(changed, releases())).as("one violation per release").hasSize(2).first()
                .asString()
                .startsWith("io.helpstream.schema.ConversationState: the current schema cannot read records written"
                        + " with release v1: TYPE_MISMATCH at /fields/")
                .contains("reader type: STRING not compatible with writer type: INT");
    }

    @Test
    void should_reject_removing_a_field_without_a_default_that_other_services_read() throws IOException {
        Map<String, Schema> changed = changing("io.helpstream.schema.AgentReply", fields -> {
            fields.removeIf(field -> field.name().equals("text"));
            return fields;
        });

        assertThat(RULES.violations(changed, releases())).as("one violation per release").hasSize(2).first()
                .asString()
                .isEqualTo("io.helpstream.schema.AgentReply: readers of release v1 cannot read records written with"
                        + " the current schema: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/3: text");
    }

    @Test
    void should_accept_a_new_field_with_a_default() throws IOException {
        Map<String, Schema> changed = changing("io.helpstream.schema.AgentReply", fields -> {
            fields.add(new Field("language", Schema.create(Schema.Type.STRING), "reply language", "en"));
            return fields;
        });

        assertThat(RULES.violations(changed, releases())).isEmpty();
    }

    @Test
    void should_reject_an_unreleased_type_unless_it_is_listed_as_new() throws IOException {
        Schema added = Schema.createRecord("Feedback", null, "io.helpstream.schema", false,
                List.of(new Field("rating", Schema.create(Schema.Type.INT))));
        Map<String, Schema> withAdded = new TreeMap<>(currentSchemas());
        withAdded.put(added.getFullName(), added);

        assertThat(RULES.violations(withAdded, releases())).containsExactly("io.helpstream.schema.Feedback: release v2"
                + " has no schema of it; list it as new since the last release");
        Set<String> listed = new java.util.HashSet<>(NEW_SINCE_LAST_RELEASE);
        listed.add(added.getFullName());
        assertThat(new SchemaEvolution(READ_BY_OTHERS, listed).violations(withAdded, releases())).isEmpty();
        Set<String> wronglyListed = new java.util.HashSet<>(NEW_SINCE_LAST_RELEASE);
        wronglyListed.add("io.helpstream.schema.AgentReply");
        assertThat(new SchemaEvolution(READ_BY_OTHERS, wronglyListed).violations(currentSchemas(), releases()))
                .containsExactly("io.helpstream.schema.AgentReply: listed as new, but release v2 has it");
    }

    @Test
    void should_package_every_release_directory_and_only_those() throws IOException {
        List<String> directories;
        try (Stream<Path> entries = Files.list(RELEASED)) {
            directories = entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        }

        assertThat(releases()).extracting(Release::version).containsExactlyInAnyOrderElementsOf(directories);
    }

    @Test
    void should_keep_every_released_schema_as_it_shipped() throws IOException {
        Map<String, String> digests = new TreeMap<>();
        for (Release release : releases()) {
            digests.put(release.version(), digest(RELEASED.resolve(release.version())));
        }

        assertThat(digests).withFailMessage(() -> "a released schema directory changed or is not frozen yet: "
                + digests + " but shipped as " + FROZEN + "; a released schema never changes: change "
                + CURRENT + ", ship it as a new release and add its digest").isEqualTo(FROZEN);
    }

    /** The current schema of every type in {@code src/main/avro}: the generated classes, which the serdes use. */
    private static Map<String, Schema> currentSchemas() throws IOException {
        Map<String, Schema> current = new TreeMap<>();
        try (Stream<Path> files = Files.list(CURRENT)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".avsc")).toList()) {
                String type = "io.helpstream.schema." + file.getFileName().toString().replace(".avsc", "");
                Schema schema = SpecificData.get().getSchema(classOf(type));
                current.put(schema.getFullName(), schema);
            }
        }
        return current;
    }

    private static Class<?> classOf(String type) {
        try {
            return Class.forName(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated class for " + type, e);
        }
    }

    private static List<Release> releases() {
        return ReleasedSchemas.packaged().releases();
    }

    /** The current schemas with one record's fields edited. */
    private static Map<String, Schema> changing(String type, UnaryOperator<List<Field>> edit) throws IOException {
        Map<String, Schema> schemas = new TreeMap<>(currentSchemas());
        Schema record = schemas.get(type);
        List<Field> fields = new ArrayList<>(record.getFields().stream().map(field -> new Field(field, field.schema()))
                .toList());
        schemas.put(type, Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false,
                edit.apply(fields)));
        return schemas;
    }

    private static List<Field> replace(List<Field> fields, String name, Schema type) {
        return fields.stream().map(field -> field.name().equals(name) ? new Field(name, type, field.doc()) : field).toList();
    }

    /** Every file of a release directory, by name, with line endings normalised so a checkout cannot change it. */
    private static String digest(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files.sorted().toList()) {
                sha.update((file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readString(file).replace("\r", "").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
