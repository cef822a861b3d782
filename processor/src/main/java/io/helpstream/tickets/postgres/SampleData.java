package io.helpstream.tickets.postgres;

import io.helpstream.tickets.SupportRepositoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's demo customers (CUST001-CUST003) and tickets (TICK001-TICK003). Not a migration: production
 * databases must not get them. Loading twice changes nothing.
 */
public final class SampleData {

    private static final Logger LOG = LoggerFactory.getLogger(SampleData.class);
    private static final String SCRIPT = "/db/sample/sample-data.sql";

    private SampleData() {
    }

    public static void load(Jdbi jdbi) {
        Objects.requireNonNull(jdbi, "jdbi");
        String script = readScript();
        try {
            jdbi.useTransaction(h -> h.createScript(script).execute());
        } catch (JdbiException e) {
            throw new SupportRepositoryException("could not load the sample data", e);
        }
        LOG.info("Sample customers and tickets loaded");
    }

    private static String readScript() {
        try (InputStream in = SampleData.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + SCRIPT, e);
        }
    }
}
