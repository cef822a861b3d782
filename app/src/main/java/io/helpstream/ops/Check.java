package io.helpstream.ops;

import java.util.Objects;

/** One line of a health answer: a component, whether it is up, and why (never a customer's data). */
record Check(Status status, String detail) {

    enum Status { UP, DOWN }

    Check {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    static Check up(String detail) {
        return new Check(Status.UP, detail);
    }

    static Check down(String detail) {
        return new Check(Status.DOWN, detail);
    }

    boolean ok() {
        return status == Status.UP;
    }
}
