package io.helpstream.cli;

import io.helpstream.admin.CustomerErasure;
import io.helpstream.config.HelpstreamConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code helpstream forget --email X}: a customer's right to be forgotten, carried out on a running deployment
 * configured by the same variables as its instances. Prints what it did, never the email.
 */
@Command(name = "forget", description = "Erase a customer: their conversations from every store, their cache entries, "
        + "their personal data in PostgreSQL (tickets kept, anonymised); audited.")
final class ForgetCommand implements Callable<Integer> {

    @Option(names = "--email", required = true, description = "The customer's email.")
    String email;

    @Option(names = "--timeout", description = "Longest wait for the instances to erase the conversations "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "PT2M")
    Duration timeout;

    @Override
    public Integer call() {
        HelpstreamConfig config = DlqCommand.config();
        CustomerErasure.Result result = new CustomerErasure(DlqCommand.bootstrap(config), config, Clock.systemUTC())
                .forget(email, timeout);
        PrintStream out = System.out;
        out.println("erasure " + result.erasure() + ":");
        out.println("  conversations erased from the stores: " + (result.conversations().size()
                - result.stillStored().size()) + " of " + result.conversations().size());
        out.println("  customer in PostgreSQL: " + result.database().customerId().map(id -> id + " anonymised")
                .orElse("none with this email") + "; " + result.database().tickets() + " tickets and "
                + result.database().notes() + " notes anonymised, " + result.database().mentions()
                + " other mentions replaced, " + result.database().journalSteps() + " journal steps removed");
        out.println("  cache entries deleted: " + result.cacheEntries());
        if (!result.stillStored().isEmpty()) {
            System.err.println("Not erased within " + timeout + " (is every instance running?): "
                    + result.stillStored() + "; run forget again");
            return 1;
        }
        return 0;
    }
}
