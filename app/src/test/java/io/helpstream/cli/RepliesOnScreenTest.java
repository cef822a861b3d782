package io.helpstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RepliesOnScreenTest {

    @Test
    void should_mark_a_degraded_reply_in_the_demo() {
        String screen = printed(out -> DemoCommand.printExchange(out, "Hello", reply(true), List.of()));

        assertThat(screen).contains("Agent:    Sorry, I can't look that up right now.")
                .contains(Replies.DEGRADED_NOTE);
    }

    @Test
    void should_mark_a_degraded_reply_in_the_chat() {
        String screen = printed(out -> ChatCommand.print(out, reply(true)));

        assertThat(screen).startsWith("agent> Sorry, I can't look that up right now.").contains(Replies.DEGRADED_NOTE);
    }

    @Test
    void should_show_no_mark_on_a_reply_of_the_configured_model() {
        assertThat(printed(out -> DemoCommand.printExchange(out, "Hello", reply(false), List.of())))
                .doesNotContain("degraded");
        assertThat(printed(out -> ChatCommand.print(out, reply(false)))).doesNotContain("degraded");
    }

    private static AgentReply reply(boolean degraded) {
        return AgentReply.newBuilder().setReplyId("r1").setConversationId("c1").setInReplyTo("m1")
                .setText("Sorry, I can't look that up right now.").setCreatedAt(Instant.EPOCH).setModel("m")
                .setUsage(new TokenUsage(1, 1, 1)).setLatencyMs(5).setDegraded(degraded).build();
    }

    private static String printed(Consumer<PrintStream> printing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            printing.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
