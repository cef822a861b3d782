package io.helpstream.admin;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which dead letters an operator means: by reason code, by time (from, until), by coordinates; each criterion given
 * narrows the selection, none given selects every one.
 *
 * @param reasons     reason codes (any case); empty: any
 * @param from        the earliest time, inclusive; empty: any
 * @param until       the latest time, exclusive; empty: any
 * @param coordinates {@code partition/offset} of the dead-letter topic; empty: any
 */
public record DeadLetterSelection(Set<String> reasons, Optional<Instant> from, Optional<Instant> until,
                                  Set<String> coordinates) implements Predicate<DeadLetter> {

    public DeadLetterSelection {
        reasons = Set.copyOf(Objects.requireNonNull(reasons, "reasons").stream()
                .map(reason -> reason.toUpperCase(Locale.ROOT)).toList());
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        coordinates = Set.copyOf(Objects.requireNonNull(coordinates, "coordinates"));
    }

    public static DeadLetterSelection all() {
        return new DeadLetterSelection(Set.of(), Optional.empty(), Optional.empty(), Set.of());
    }

    /** True when no criterion narrows it. */
    public boolean everything() {
        return reasons.isEmpty() && from.isEmpty() && until.isEmpty() && coordinates.isEmpty();
    }

    @Override
    public boolean test(DeadLetter deadLetter) {
        return (reasons.isEmpty() || reasons.contains(deadLetter.reason()))
                && from.map(start -> !deadLetter.time().isBefore(start)).orElse(true)
                && until.map(end -> deadLetter.time().isBefore(end)).orElse(true)
                && (coordinates.isEmpty() || coordinates.contains(deadLetter.partition() + "/" + deadLetter.offset()));
    }
}
