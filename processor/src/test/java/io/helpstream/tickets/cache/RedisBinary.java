package io.helpstream.tickets.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.core.ExecutableProvider;

/** The {@code redis-server} executable: the machine's own if it has one, else the one shipped in a test jar. */
final class RedisBinary {

    private static String path;

    private RedisBinary() {
    }

    static synchronized String path() {
        if (path == null) {
            try {
                path = ExecutableProvider.newExecutableInPath("redis-server").get().getAbsolutePath();
            } catch (IOException notOnPath) {
                try {
                    path = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
                } catch (IOException e) {
                    throw new UncheckedIOException("no redis-server on PATH and the bundled one cannot be used", e);
                }
            }
        }
        return path;
    }
}
