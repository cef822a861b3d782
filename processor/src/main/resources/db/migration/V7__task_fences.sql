-- The owner of each stream task, by epoch (scope: '<application id>/<task id>'). A task's new owner claims the next
-- epoch before it starts any turn; every write made for a turn first takes a shared lock on its task's row and compares
-- the epoch with the one its turn was started under, so the claim waits for the writes still running under the old
-- epoch and every write of an earlier owner after it is refused.
CREATE TABLE task_fences (
    scope      text        PRIMARY KEY,
    epoch      bigint      NOT NULL CHECK (epoch >= 1),
    claimed_at timestamptz NOT NULL DEFAULT now()
);
