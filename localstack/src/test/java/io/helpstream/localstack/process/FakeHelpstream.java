package io.helpstream.localstack.process;

/**
 * Stands in for {@code helpstream run} in the launcher's tests: prints its greeting from the environment, says it
 * is running unless {@code FAKE_EXIT} asks it to end with that exit value, and then waits to be stopped.
 */
public final class FakeHelpstream {

    private FakeHelpstream() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("command: " + String.join(" ", args));
        System.err.println("greeting: " + System.getenv("FAKE_GREETING"));
        String exit = System.getenv("FAKE_EXIT");
        if (exit != null) {
            System.exit(Integer.parseInt(exit));
        }
        // Before the running line: a caller may stop it as soon as it reads that.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopped by SIGTERM")));
        System.out.println(HelpstreamProcess.RUNNING_LINE + "; waiting to be stopped");
        Thread.sleep(Long.MAX_VALUE);
    }
}
