package io.helpstream.fencing.postgres;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.LocalFences;
import io.helpstream.fencing.TaskFences;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link TaskFences} in {@code task_fences}: a claim raises the task's epoch in the database, which every process
 * writing for the task sees, and revokes the fence this process held for it before.
 */
public final class PostgresTaskFences implements TaskFences {

    private final LocalFences local;

    public PostgresTaskFences(Jdbi jdbi) {
        Objects.requireNonNull(jdbi, "jdbi");
        this.local = new LocalFences(scope -> jdbi.withExtension(FenceDao.class, dao -> dao.claim(scope)));
    }

    @Override
    public Fence claim(String scope) {
        return local.claim(scope);
    }
}
