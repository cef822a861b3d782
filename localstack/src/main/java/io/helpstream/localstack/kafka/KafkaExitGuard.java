package io.helpstream.localstack.kafka;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Kafka broker from ending the JVM. On a fatal fault (a failed log directory, a metadata error) the broker
 * calls {@link Exit#exit} or {@link Exit#halt}, which would kill a whole test run or an application that only embeds
 * the broker. Once {@link #preventJvmExit()} is called those calls throw {@link EmbeddedKafkaException} in the
 * faulting thread instead and are logged as errors.
 *
 * <p>The procedures are global to the JVM: integration tests call {@code preventJvmExit()} before starting a broker
 * and {@link #restoreJvmExit()} when done.
 */
public final class KafkaExitGuard {

    private static final Logger log = LoggerFactory.getLogger(KafkaExitGuard.class);

    private KafkaExitGuard() {
    }

    public static void preventJvmExit() {
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
    }

    public static void restoreJvmExit() {
        Exit.resetExitProcedure();
        Exit.resetHaltProcedure();
    }

    private static void refuse(String kind, int status, String message) {
        String text = "Kafka asked to " + kind + " the JVM with status " + status + ": " + message;
        log.error("{} (refused)", text);
        throw new EmbeddedKafkaException(text);
    }
}
