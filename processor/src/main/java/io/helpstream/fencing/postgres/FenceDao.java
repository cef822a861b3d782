package io.helpstream.fencing.postgres;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The epochs of {@code task_fences}. */
interface FenceDao {

    /**
     * Raises the scope's epoch (1 for a scope never claimed) and returns it. The row lock waits for every write
     * transaction that holds the row's shared lock, i.e. every write still running under the old epoch.
     */
    @SqlQuery("""
            INSERT INTO task_fences (scope, epoch) VALUES (:scope, 1)
            ON CONFLICT (scope) DO UPDATE SET epoch = task_fences.epoch + 1, claimed_at = now()
            RETURNING epoch""")
    long claim(@Bind("scope") String scope);

    /** The scope's epoch, with a shared lock held until the calling transaction ends: no claim passes meanwhile. */
    @SqlQuery("SELECT epoch FROM task_fences WHERE scope = :scope FOR SHARE")
    Optional<Long> lockEpoch(@Bind("scope") String scope);
}
