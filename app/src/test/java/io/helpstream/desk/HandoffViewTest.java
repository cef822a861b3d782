package io.helpstream.desk;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HandoffTrigger;
import io.helpstream.schema.TrustLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HandoffViewTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private final HandoffView view = new HandoffView(3, 4);

    @Test
    void should_list_open_handoffs_oldest_request_first() {
        view.apply(requested("c-new", T0.plusSeconds(120)));
        view.apply(requested("c-old", T0));
        view.apply(requested("c-mid", T0.plusSeconds(60)));

        assertThat(view.cases()).extracting(HandoffCase::conversationId).containsExactly("c-old", "c-mid", "c-new");
        assertThat(view.cases().get(0)).satisfies(c -> {
            assertThat(c.mode()).isEqualTo("WAITING_FOR_HUMAN");
            assertThat(c.trigger()).isEqualTo("CUSTOMER_ASKED");
            assertThat(c.reason()).isEqualTo("asked for a person");
            assertThat(c.summary()).isEqualTo("summary of c-old");
            assertThat(c.trust()).isEqualTo("VERIFIED");
            assertThat(c.openTickets()).containsExactly("TICK-1");
            assertThat(c.timeline()).isEmpty();
        });
    }

    @Test
    void should_show_who_holds_an_accepted_handoff_and_its_timeline() {
        HandoffEvent requested = requested("c1", T0);
        view.apply(requested);
        view.apply(next(requested, HandoffEventType.ACCEPTED, ConversationMode.HUMAN, "maria", null));
        view.apply(next(requested, HandoffEventType.CUSTOMER_MESSAGE, ConversationMode.HUMAN, null, "hello?"));
        view.apply(next(requested, HandoffEventType.ACTION_REJECTED, ConversationMode.HUMAN, "bob", null));

        HandoffCase found = view.find("c1").orElseThrow();
        assertThat(found.mode()).isEqualTo("HUMAN");
        assertThat(found.agentId()).isEqualTo("maria");
        assertThat(found.requestedAt()).isEqualTo(T0);
        assertThat(found.timeline()).extracting(HandoffCase.Entry::type)
                .containsExactly("REQUESTED", "ACCEPTED", "CUSTOMER_MESSAGE", "ACTION_REJECTED");
        assertThat(found.timeline().get(2).text()).isEqualTo("hello?");
    }

    @Test
    void should_drop_a_handoff_given_back_to_the_bot_or_ended() {
        HandoffEvent first = requested("released", T0);
        HandoffEvent second = requested("ended", T0);
        HandoffEvent third = requested("timed-out", T0);
        List.of(first, second, third).forEach(view::apply);

        view.apply(next(first, HandoffEventType.RELEASED, ConversationMode.BOT, "maria", null));
        view.apply(next(second, HandoffEventType.ENDED, ConversationMode.HUMAN, "maria", null));
        view.apply(next(third, HandoffEventType.TIMED_OUT, ConversationMode.BOT, null, null));

        assertThat(view.cases()).isEmpty();
        assertThat(view.find("released")).isEmpty();
    }

    @Test
    void should_keep_a_handoff_that_timed_out_but_still_waits() {
        HandoffEvent requested = requested("c1", T0);
        view.apply(requested);
        view.apply(next(requested, HandoffEventType.TIMED_OUT, ConversationMode.WAITING_FOR_HUMAN, null, null));

        assertThat(view.find("c1").orElseThrow().timeline()).extracting(HandoffCase.Entry::type)
                .containsExactly("REQUESTED", "TIMED_OUT");
    }

    @Test
    void should_keep_those_waiting_longest_and_count_the_handoffs_left_out_when_full() {
        for (int i = 0; i < 5; i++) {
            view.apply(requested("c" + i, T0.plusSeconds(i)));
        }

        assertThat(view.cases()).extracting(HandoffCase::conversationId).containsExactly("c0", "c1", "c2");
        assertThat(view.leftOut()).isEqualTo(2);

        view.apply(next(requested("c0", T0), HandoffEventType.RELEASED, ConversationMode.BOT, "m", null));
        view.apply(requested("c9", T0.plusSeconds(9)));
        assertThat(view.cases()).extracting(HandoffCase::conversationId).containsExactly("c1", "c2", "c9");
    }

    @Test
    void should_keep_only_the_newest_timeline_entries_and_count_the_dropped() {
        HandoffEvent requested = requested("c1", T0);
        view.apply(requested);
        for (int i = 0; i < 5; i++) {
            view.apply(next(requested, HandoffEventType.CUSTOMER_MESSAGE, ConversationMode.WAITING_FOR_HUMAN, null,
                    "message " + i));
        }

        HandoffCase found = view.find("c1").orElseThrow();
        assertThat(found.timeline()).extracting(HandoffCase.Entry::text)
                .containsExactly("message 1", "message 2", "message 3", "message 4");
        assertThat(found.dropped()).isEqualTo(2);
        assertThat(found.reason()).isEqualTo("asked for a person");
    }

    @Test
    void should_open_a_case_from_a_later_event_when_the_request_was_not_seen() {
        HandoffEvent requested = requested("c1", T0);
        view.apply(next(requested, HandoffEventType.CUSTOMER_MESSAGE, ConversationMode.WAITING_FOR_HUMAN, null, "hi"));

        assertThat(view.find("c1").orElseThrow()).satisfies(c -> {
            assertThat(c.requestedAt()).isEqualTo(T0);
            assertThat(c.trigger()).isEqualTo("CUSTOMER_ASKED");
        });
    }

    @Test
    void should_tell_subscribers_every_event_even_of_a_conversation_not_handed_off() throws Exception {
        List<HandoffEvent> told = new ArrayList<>();
        try (AutoCloseable subscription = view.subscribers().subscribe(e -> e.getConversationId().equals("c1"),
                told::add)) {
            HandoffEvent rejected = next(requested("c1", T0), HandoffEventType.ACTION_REJECTED, ConversationMode.BOT,
                    "maria", null);
            view.apply(rejected);
            view.apply(requested("c2", T0));
            assertThat(told).containsExactly(rejected);
            assertThat(view.find("c1")).isEmpty();
        }
        view.apply(requested("c1", T0));
        assertThat(told).hasSize(1);
    }

    static HandoffEvent requested(String conversationId, Instant at) {
        return HandoffEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setConversationId(conversationId)
                .setType(HandoffEventType.REQUESTED)
                .setAt(at)
                .setMode(ConversationMode.WAITING_FOR_HUMAN)
                .setRequestedAt(at)
                .setTrigger(HandoffTrigger.CUSTOMER_ASKED)
                .setReason("asked for a person")
                .setSummary("summary of " + conversationId)
                .setTrust(TrustLevel.VERIFIED)
                .setOpenTickets(List.of("TICK-1"))
                .build();
    }

    static HandoffEvent next(HandoffEvent requested, HandoffEventType type, ConversationMode mode, String agentId,
                             String text) {
        return HandoffEvent.newBuilder(requested)
                .setEventId(UUID.randomUUID().toString())
                .setType(type)
                .setMode(mode)
                .setAt(requested.getAt().plusSeconds(1))
                .setReason(null)
                .setSummary(null)
                .setAgentId(agentId)
                .setText(text)
                .build();
    }
}
