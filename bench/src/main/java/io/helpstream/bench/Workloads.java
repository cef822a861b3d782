package io.helpstream.bench;

import java.util.ArrayList;
import java.util.List;

/** The message sequences the benchmarks send. */
final class Workloads {

    private Workloads() {
    }

    /**
     * Message k of every conversation before message k+1 of any, so each conversation's order is testable; the
     * customer of conversation c is customer c mod {@code customers}.
     */
    static List<LoadDriver.Message> rounds(String prefix, int conversations, int perConversation, int customers) {
        List<LoadDriver.Message> all = new ArrayList<>(conversations * perConversation);
        for (int k = 0; k < perConversation; k++) {
            for (int c = 0; c < conversations; c++) {
                all.add(new LoadDriver.Message(prefix + "-conv-" + c, Customers.email(c % customers)));
            }
        }
        return all;
    }
}
