package io.helpstream.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How tasks move between instances, and what waits ready to take them over.
 *
 * @param standbyReplicas        warm copies of each task's stores kept on other instances
 *                               ({@code num.standby.replicas}): an instance that takes over a task with a standby
 *                               resumes it without restoring
 * @param acceptableRecoveryLag  changelog records an instance may lag behind and still be given a task at once
 *                               ({@code acceptable.recovery.lag}); one further behind warms up first
 * @param maxWarmupReplicas      tasks being warmed up on their future owner at once ({@code max.warmup.replicas})
 * @param probingRebalanceInterval how often warming instances are checked, and tasks moved once caught up
 *                               ({@code probing.rebalance.interval.ms})
 * @param leaveGroupOnShutdown   whether a stopping instance leaves the consumer group, so that its tasks move at
 *                               once; a static member that stays keeps them for the session timeout, to take them
 *                               back without a rebalance when it restarts
 */
public record Rebalancing(int standbyReplicas, long acceptableRecoveryLag, int maxWarmupReplicas,
                          Duration probingRebalanceInterval, boolean leaveGroupOnShutdown) {

    public static final int DEFAULT_STANDBY_REPLICAS = 0;
    /** Kafka Streams' defaults. */
    public static final long DEFAULT_ACCEPTABLE_RECOVERY_LAG = 10_000;
    public static final int DEFAULT_MAX_WARMUP_REPLICAS = 2;
    public static final Duration DEFAULT_PROBING_REBALANCE_INTERVAL = Duration.ofMinutes(10);
    /** Kafka Streams refuses a shorter probing interval. */
    public static final Duration MIN_PROBING_REBALANCE_INTERVAL = Duration.ofMinutes(1);

    public Rebalancing {
        Objects.requireNonNull(probingRebalanceInterval, "probingRebalanceInterval");
        if (standbyReplicas < 0 || acceptableRecoveryLag < 0 || maxWarmupReplicas < 1) {
            throw new IllegalArgumentException("standbyReplicas and acceptableRecoveryLag must be >= 0 and "
                    + "maxWarmupReplicas >= 1");
        }
        if (probingRebalanceInterval.compareTo(MIN_PROBING_REBALANCE_INTERVAL) < 0) {
            throw new IllegalArgumentException("probingRebalanceInterval must be at least "
                    + MIN_PROBING_REBALANCE_INTERVAL);
        }
    }

    /** Kafka Streams' defaults, no standby, and an instance that leaves the group when it stops. */
    public static Rebalancing defaults() {
        return new Rebalancing(DEFAULT_STANDBY_REPLICAS, DEFAULT_ACCEPTABLE_RECOVERY_LAG, DEFAULT_MAX_WARMUP_REPLICAS,
                DEFAULT_PROBING_REBALANCE_INTERVAL, true);
    }
}
