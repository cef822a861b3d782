package io.helpstream.tickets.postgres;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * Secrets every instance on the database shares ({@code shared_secrets}): the first instance that asks for one
 * generates it (256 random bits, in hex), every later one reads it. Used for the cache keys when
 * {@code HELPSTREAM_CACHE_KEY_SECRET} is not set, so that instances still compute the same keys and a write on one
 * evicts what the others read.
 */
public final class SharedSecrets {

    private SharedSecrets() {
    }

    /** The secret named {@code name}, generated now if no instance generated it before. */
    public static String get(Jdbi jdbi, String name) {
        Objects.requireNonNull(name, "name");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String candidate = HexFormat.of().formatHex(random);
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO shared_secrets (name, secret) VALUES (:name, :secret)"
                    + " ON CONFLICT (name) DO NOTHING").bind("name", name).bind("secret", candidate).execute();
            return h.createQuery("SELECT secret FROM shared_secrets WHERE name = :name").bind("name", name)
                    .mapTo(String.class).one();
        });
    }
}
