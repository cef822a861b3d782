package io.helpstream.harness;

import io.helpstream.localstack.process.HelpstreamProcess;
import java.time.Duration;

/**
 * One SIGKILL of the processor.
 *
 * @param at         time since sending began
 * @param pid        the process killed
 * @param uptime     how long that process had lived
 * @param wasRunning whether it had reached RUNNING (else it was killed while starting or restoring)
 * @param exitValue  {@value HelpstreamProcess#SIGKILL_EXIT} when the signal was SIGKILL
 */
record Kill(Duration at, long pid, Duration uptime, boolean wasRunning, int exitValue) {

    boolean bySigkill() {
        return exitValue == HelpstreamProcess.SIGKILL_EXIT;
    }
}
