package io.helpstream.cli;

import io.helpstream.admin.DeadLetter;
import io.helpstream.admin.DeadLetterReplayer;
import io.helpstream.admin.DeadLetterSelection;
import io.helpstream.admin.DeadLetterTopic;
import io.helpstream.config.ConfigException;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.SafeText;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.DeadLetterReplay;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code helpstream dlq list|show|replay}: the dead-letter topic of a running deployment, configured by the same
 * variables as its instances ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code HELPSTREAM_APPLICATION_ID}, the topic names,
 * the keyset).
 */
@Command(name = "dlq", description = "List, show and replay dead letters.",
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.ShowDeadLetter.class,
                DlqCommand.ReplayDeadLetters.class})
final class DlqCommand implements Runnable {

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** The criteria the listing and the replay share. */
    static final class Criteria {
        @Option(names = "--reason", description = "Only dead letters with this reason code (repeatable).")
        Set<String> reasons = Set.of();

        @Option(names = "--since", description = "Only those written at or after this time: an ISO-8601 instant "
                + "(2026-01-31T10:00:00Z) or a time ago (30m, 2h, 7d).")
        String since;

        @Option(names = "--until", description = "Only those written before this time (same forms as --since).")
        String until;

        @Option(names = "--offset", description = "Only the dead letter at partition/offset (repeatable).")
        Set<String> offsets = Set.of();

        DeadLetterSelection selection(Clock clock) {
            return new DeadLetterSelection(reasons, time("--since", since, clock), time("--until", until, clock),
                    offsets);
        }
    }

    @Command(name = "list", description = "List the dead letters by reason and time.")
    static final class ListDeadLetters implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Criteria criteria = new Criteria();

        @Override
        public Integer call() {
            HelpstreamConfig config = config();
            DeadLetterTopic topic = new DeadLetterTopic(bootstrap(config), config);
            ValueCipher cipher = config.protection().cipher();
            Map<String, DeadLetterReplay> replayed = topic.replayed();
            List<DeadLetter> selected = topic.all().stream().filter(criteria.selection(Clock.systemUTC())).toList();
            PrintStream out = System.out;
            out.println(config.topics().deadLetters().name() + ": " + selected.size() + " dead letters");
            out.printf("%-12s %-24s %-20s %-20s %-9s %s%n", "where", "time", "reason", "record", "payload",
                    "conversation / message");
            for (DeadLetter deadLetter : selected) {
                String state = replayed.containsKey(deadLetter.coordinates()) ? "replayed"
                        : deadLetter.notReplayable(cipher).map(why -> "not replayable").orElse("replayable");
                out.printf("%-12s %-24s %-20s %-20s %-9s %s / %s  %s%n",
                        deadLetter.partition() + "/" + deadLetter.offset(), deadLetter.time(),
                        deadLetter.reason(), deadLetter.kind(), deadLetter.payload(),
                        SafeText.clean(String.valueOf(deadLetter.conversationId())),
                        SafeText.clean(deadLetter.messageId(cipher).orElse("?")), state);
            }
            out.println("by reason: " + DeadLetterTopic.byReason(selected));
            return 0;
        }
    }

    @Command(name = "show", description = "Show one dead letter: its headers, and its payload only when asked.")
    static final class ShowDeadLetter implements Callable<Integer> {
        @Parameters(description = "partition/offset of the dead letter, as listed")
        String where;

        @Option(names = "--payload", description = "Show the message itself (text, email): customer data.")
        boolean payload;

        @Override
        public Integer call() {
            HelpstreamConfig config = config();
            DeadLetterTopic topic = new DeadLetterTopic(bootstrap(config), config);
            ValueCipher cipher = config.protection().cipher();
            Optional<DeadLetter> found = topic.all().stream()
                    .filter(deadLetter -> (deadLetter.partition() + "/" + deadLetter.offset()).equals(where))
                    .findFirst();
            PrintStream out = System.out;
            if (found.isEmpty()) {
                System.err.println("No dead letter at " + where + " of " + config.topics().deadLetters().name());
                return 1;
            }
            DeadLetter deadLetter = found.get();
            out.println(deadLetter.coordinates() + " at " + deadLetter.time() + ": " + deadLetter.reason());
            out.println("  conversation: " + SafeText.clean(String.valueOf(deadLetter.conversationId())));
            deadLetter.headers().forEach((name, value) -> out.println("  " + name + ": "
                    + SafeText.clean(String.valueOf(value)).replace("\n", "\n      ")));
            DeadLetterReplay replay = topic.replayed().get(deadLetter.coordinates());
            out.println("  replay: " + (replay != null ? "replayed at " + replay.getReplayedAt()
                    : deadLetter.notReplayable(cipher).map(why -> "not replayable: " + why).orElse("replayable")));
            out.println("  payload: " + payload(deadLetter, cipher));
            return 0;
        }

        private String payload(DeadLetter deadLetter, ValueCipher cipher) {
            if (deadLetter.value() == null) {
                return "none";
            }
            if (!deadLetter.kind().equals("customer-message") || deadLetter.notReplayable(cipher).isPresent()) {
                return deadLetter.value().length + " bytes (" + deadLetter.payload() + ")";
            }
            CustomerMessage message = deadLetter.message(cipher);
            if (!payload) {
                return "message " + SafeText.clean(message.getMessageId()) + ", " + message.getText().length()
                        + " characters of text, " + (message.getCustomerEmail() == null ? "no email" : "an email")
                        + " (--payload shows them)";
            }
            return "message " + SafeText.clean(message.getMessageId()) + " from "
                    + SafeText.clean(String.valueOf(message.getCustomerEmail())) + " on "
                    + SafeText.clean(message.getChannel()) + " at " + message.getSentAt() + ":\n    "
                    + SafeText.clean(message.getText()).replace("\n", "\n    ");
        }
    }

    @Command(name = "replay", description = "Replay selected dead letters to their conversations, each once ever.")
    static final class ReplayDeadLetters implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Criteria criteria = new Criteria();

        @Option(names = "--all", description = "Replay every replayable dead letter (no criterion needed).")
        boolean all;

        @Option(names = "--dry-run", description = "Say what would be replayed; write nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            HelpstreamConfig config = config();
            DeadLetterSelection selection = criteria.selection(Clock.systemUTC());
            if (selection.everything() && !all) {
                System.err.println("Say which dead letters to replay (--reason, --since, --until, --offset), or --all");
                return 2;
            }
            DeadLetterReplayer.Result result = new DeadLetterReplayer(bootstrap(config), config, Clock.systemUTC())
                    .replay(selection, dryRun);
            PrintStream out = System.out;
            result.replayed().forEach(deadLetter -> out.println((dryRun ? "would replay " : "replayed ")
                    + deadLetter.coordinates() + " (" + deadLetter.reason() + ", conversation "
                    + SafeText.clean(String.valueOf(deadLetter.conversationId())) + ")"));
            result.skipped().forEach((where, why) -> out.println("skipped " + where + ": " + why));
            out.println((dryRun ? "would replay " : "replayed ") + result.replayed().size() + " dead letters; "
                    + "skipped " + result.skipped().size() + " by: " + DeadLetterTopic.byReason(result.replayed()));
            return 0;
        }
    }

    static HelpstreamConfig config() {
        return HelpstreamConfig.fromEnvironment(Env.system());
    }

    /** The deployment's cluster: these commands never start a broker of their own. */
    static String bootstrap(HelpstreamConfig config) {
        return config.streams().bootstrapServers().orElseThrow(() -> new ConfigException("KAFKA_BOOTSTRAP_SERVERS",
                "must name the cluster of the deployment to work on"));
    }

    /** An ISO-8601 instant, or a time ago ({@code 30m}, {@code 2h}); empty when not given. */
    static Optional<Instant> time(String option, String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.trim()));
        } catch (DateTimeParseException notAnInstant) {
            Duration ago = Env.parseDuration(option, value.trim());
            return Optional.of(clock.instant().minus(ago));
        }
    }
}
