package io.helpstream.localstack.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log directory: formatted for a single KRaft node on first use, reused as it is afterwards, and deleted
 * on close when it was a temporary one. Metadata and topic data share the one directory.
 */
final class BrokerStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private final Path directory;
    private final boolean temporary;
    private final String clusterId;

    private BrokerStorage(Path directory, boolean temporary, String clusterId) {
        this.directory = directory;
        this.temporary = temporary;
        this.clusterId = clusterId;
    }

    /** Prepares {@code directory}, or a fresh temporary directory when empty, for node {@code nodeId}. */
    static BrokerStorage prepare(Optional<Path> directory, int nodeId, String controllerListener) {
        Path dir = directory.map(Path::toAbsolutePath).orElseGet(BrokerStorage::createTemporaryDirectory);
        boolean temporary = directory.isEmpty();
        try {
            Files.createDirectories(dir);
            String clusterId = isFormatted(dir) ? readClusterId(dir) : format(dir, nodeId, controllerListener);
            return new BrokerStorage(dir, temporary, clusterId);
        } catch (IOException | RuntimeException e) {
            if (temporary) {
                deleteQuietly(dir, e);
            }
            throw new EmbeddedKafkaException("Cannot prepare the Kafka log directory " + dir, e);
        }
    }

    Path directory() {
        return directory;
    }

    String clusterId() {
        return clusterId;
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                Utils.delete(directory.toFile());
            } catch (IOException e) {
                throw new EmbeddedKafkaException("Cannot delete the temporary Kafka log directory " + directory, e);
            }
        }
    }

    private static boolean isFormatted(Path dir) {
        return Files.isRegularFile(dir.resolve(META_PROPERTIES));
    }

    private static String readClusterId(Path dir) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(META_PROPERTIES))) {
            meta.load(in);
        }
        String clusterId = meta.getProperty("cluster.id");
        if (clusterId == null) {
            throw new EmbeddedKafkaException(dir.resolve(META_PROPERTIES) + " has no cluster.id");
        }
        log.info("Reusing Kafka log directory {} of cluster {}", dir, clusterId);
        return clusterId;
    }

    private static String format(Path dir, int nodeId, String controllerListener) {
        String clusterId = Uuid.randomUuid().toString();
        // The formatter reports on a print stream; keep that off stdout and in the log instead.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(controllerListener)
                    .run();
        } catch (Exception e) {
            throw new EmbeddedKafkaException("Cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
        log.debug("Kafka storage formatter: {}", report.toString(StandardCharsets.UTF_8).strip());
        log.info("Formatted Kafka log directory {} for cluster {} at metadata version {}",
                dir, clusterId, MetadataVersion.LATEST_PRODUCTION);
        return clusterId;
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory("helpstream-kafka-");
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot create a temporary Kafka log directory", e);
        }
    }

    private static void deleteQuietly(Path dir, Exception primary) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
