package io.helpstream.contract;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic bound to the serdes of its keys and values: whoever reads or writes it gets both from here, so a record
 * can only be written to a topic in that topic's format.
 *
 * @param name       the topic's name
 * @param keySerde   how its keys are written
 * @param valueSerde how its values are written
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic name must not be blank");
        }
    }
}
