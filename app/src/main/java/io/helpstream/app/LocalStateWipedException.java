package io.helpstream.app;

import java.nio.file.Path;

/**
 * A local store of the instance could not be opened when it started (its files were left unreadable, as by a
 * process killed while RocksDB created them), so the instance's local state was deleted. Nothing is lost: every store
 * is restored from its changelog by an application built again.
 */
public final class LocalStateWipedException extends RuntimeException {

    LocalStateWipedException(Path stateDir, Throwable cause) {
        super("a local store under " + stateDir + " could not be opened (" + cause.getMessage()
                + "); the instance's local state was deleted and is restored from the changelogs on the next start",
                cause);
    }
}
