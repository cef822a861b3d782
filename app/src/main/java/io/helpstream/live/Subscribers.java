package io.helpstream.live;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Whoever wants to be told of each new item (a page's event stream): each subscriber with a filter of what it wants.
 * A subscriber must not block (a stream queues the item and writes it on a thread of its own).
 *
 * @param <T> what is told
 */
public final class Subscribers<T> {

    /** Compared by identity: two pages with the same filter are two subscribers. */
    private static final class Subscriber<T> {
        private final Predicate<? super T> wants;
        private final Consumer<? super T> told;

        Subscriber(Predicate<? super T> wants, Consumer<? super T> told) {
            this.wants = wants;
            this.told = told;
        }
    }

    private final Set<Subscriber<T>> subscribers = new CopyOnWriteArraySet<>();

    /** Tells {@code told} of every item {@code wants} accepts, until the returned handle is closed. */
    public AutoCloseable subscribe(Predicate<? super T> wants, Consumer<? super T> told) {
        Subscriber<T> subscriber = new Subscriber<>(Objects.requireNonNull(wants, "wants"),
                Objects.requireNonNull(told, "told"));
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void tell(T item) {
        for (Subscriber<T> subscriber : subscribers) {
            if (subscriber.wants.test(item)) {
                subscriber.told.accept(item);
            }
        }
    }

    public int count() {
        return subscribers.size();
    }
}
