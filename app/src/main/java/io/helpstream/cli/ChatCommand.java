package io.helpstream.cli;

import io.helpstream.client.GatewayClient;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.SafeText;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An interactive terminal gateway: each line typed is a customer message through Kafka; the agent's reply is read
 * back from the replies topic. With {@code KAFKA_BOOTSTRAP_SERVERS} set it talks to running processors; without, it
 * starts helpstream in this process first.
 */
@Command(name = "chat", description = "Chat with the agent as a customer, through Kafka.")
final class ChatCommand implements Callable<Integer> {

    @Option(names = "--email", description = "Sign in as this customer (as a gateway would assert).")
    String email;

    @Option(names = "--conversation", description = "Conversation id (default: a new one).")
    String conversationId = "chat-" + UUID.randomUUID();

    @Override
    public Integer call() throws IOException {
        Env env = Env.system();
        HelpstreamConfig config = HelpstreamConfig.fromEnvironment(env);
        PrintStream out = System.out;
        Instance instance = null;
        String bootstrap = config.streams().bootstrapServers().orElse(null);
        if (bootstrap == null) {
            instance = Instance.start(Instance.atWorkstation(config, env).withSampleData());
            bootstrap = instance.app().bootstrapServers();
            instance.address().ifPresent(address -> out.println("helpstream's HTTP endpoint is at " + address));
        }
        try (GatewayClient gateway = new GatewayClient(bootstrap, config.topics())) {
            out.println("Conversation " + conversationId + (email == null ? " (anonymous)" : " as " + email)
                    + ". Type a message; an empty line or Ctrl-D ends.");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while (prompt(out) && (line = in.readLine()) != null && !line.isBlank()) {
                CustomerMessage sent = gateway.send(conversationId, email, line);
                AgentReply reply = gateway.awaitReply(sent.getMessageId(), Duration.ofSeconds(120));
                print(out, reply);
            }
            return 0;
        } finally {
            if (instance != null) {
                instance.close();
            }
        }
    }

    static void print(PrintStream out, AgentReply reply) {
        // Cleaned again here: the processor that wrote the reply may be older, or not helpstream at all.
        out.println("agent> " + SafeText.clean(reply.getText()).replace("\n", "\n       "));
        if (reply.getDegraded()) {
            out.println("       " + Replies.DEGRADED_NOTE);
        }
    }

    private static boolean prompt(PrintStream out) {
        out.print("you> ");
        out.flush();
        return true;
    }
}
