package io.helpstream.harness;

import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.localstack.postgres.DatabaseUrl;
import java.util.HashMap;
import java.util.Map;

/**
 * What every processor of a harness run is configured with, as a deployment configures it (environment variables):
 * the run's broker, database and Redis key prefix, the sample customers, a history window that holds every message of
 * a conversation, and one message per turn — the ticket checks attribute every ticket, key and event to the one
 * message that asked for it. Delivery and state checks read every reply's answered ids, so they hold either way.
 */
final class ProcessorEnvironment {

    private ProcessorEnvironment() {
    }

    static Map<String, String> of(ThrowawayEnvironment env, String applicationId, int partitions, int historyWindow) {
        DatabaseUrl database = env.database().url();
        Map<String, String> vars = new HashMap<>();
        vars.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
        vars.put("HELPSTREAM_APPLICATION_ID", applicationId);
        vars.put("HELPSTREAM_PARTITIONS", String.valueOf(partitions));
        vars.put("DATABASE_URL", database.jdbcUrl());
        if (database.user() != null) {
            vars.put("DATABASE_USER", database.user());
        }
        if (database.password() != null) {
            vars.put("DATABASE_PASSWORD", database.password());
        }
        vars.put("HELPSTREAM_SAMPLE_DATA", "true");
        vars.put("REDIS_URL", env.redis().url());
        vars.put("HELPSTREAM_CACHE_PREFIX", env.redis().prefix());
        vars.put("HELPSTREAM_HISTORY_WINDOW", String.valueOf(historyWindow));
        vars.put("HELPSTREAM_MAX_MESSAGES_PER_TURN", "1");
        return vars;
    }
}
