package io.helpstream.cli;

import io.helpstream.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code helpstream} command: run the processor, play the demo, chat in the terminal, work on dead letters, or
 * forget a customer.
 */
@Command(name = "helpstream", mixinStandardHelpOptions = true, version = "helpstream 0.1.0",
        description = "A Kafka-native AI customer-service agent. Configuration comes from environment variables "
                + "(see README.md).",
        subcommands = {RunCommand.class, DemoCommand.class, ChatCommand.class, DlqCommand.class,
                ForgetCommand.class})
public final class Helpstream implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Helpstream()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("Invalid configuration: " + e.getMessage());
                return 2;
            }
            throw e;
        });
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
