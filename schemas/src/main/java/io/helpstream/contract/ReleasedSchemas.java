package io.helpstream.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every released version of helpstream's schemas, frozen in {@code src/main/avro-released/vN} and packaged in the
 * jar under {@code avro/released/}. Records on the topics and in the changelogs carry the fingerprint of the schema
 * they were written with; a serde that knows every released version reads them all after the schema changed.
 *
 * <p>{@code releases.txt} names the versions, oldest first. Each version's {@code parse-order.txt} names its files so
 * that each refers only to named types defined above it: one {@link Schema.Parser} per release then resolves them
 * (the schemas refer to each other's types by name, as the avro-maven-plugin {@code imports} do).
 */
public final class ReleasedSchemas {

    /** Where the jar holds the released versions. */
    static final String PACKAGED_ROOT = "avro/released/";

    private static final ReleasedSchemas PACKAGED = load(PACKAGED_ROOT);

    private final List<Release> releases;

    private ReleasedSchemas(List<Release> releases) {
        this.releases = List.copyOf(releases);
    }

    /** The released versions in this jar. */
    public static ReleasedSchemas packaged() {
        return PACKAGED;
    }

    /** The released versions under a class-path folder laid out like {@code avro/released/}. */
    static ReleasedSchemas load(String root) {
        List<Release> releases = new ArrayList<>();
        for (String version : lines(root + "releases.txt")) {
            Schema.Parser parser = new Schema.Parser();
            for (String file : lines(root + version + "/parse-order.txt")) {
                String resource = root + version + "/" + file;
                try (InputStream in = open(resource)) {
                    parser.parse(in);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("cannot parse released schema " + resource + ": " + e.getMessage(),
                            e);
                }
            }
            releases.add(new Release(version, parser.getTypes()));
        }
        return new ReleasedSchemas(releases);
    }

    /** The versions, oldest first. */
    public List<Release> releases() {
        return releases;
    }

    /** Every released version of the schema of {@code type}, oldest first; empty if it was never released. */
    public List<Schema> of(Class<? extends SpecificRecord> type) {
        String name = SpecificData.getForClass(type).getSchema(type).getFullName();
        return releases.stream().flatMap(release -> release.schema(name).stream()).toList();
    }

    /**
     * The serde of {@code type} that writes the current schema and reads records written with it or with any released
     * version (a release equal to the current schema has the same fingerprint and adds nothing).
     */
    public <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type) {
        return AvroSerde.of(type, of(type));
    }

    private static List<String> lines(String resource) {
        try (InputStream in = open(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing released schema resource " + resource);
        }
        return in;
    }

    /** One released version: every named type its schemas define, by full name. */
    public record Release(String version, Map<String, Schema> schemas) {

        public Release {
            Objects.requireNonNull(version, "version");
            schemas = Map.copyOf(schemas);
        }

        public Optional<Schema> schema(String fullName) {
            return Optional.ofNullable(schemas.get(fullName));
        }
    }
}
