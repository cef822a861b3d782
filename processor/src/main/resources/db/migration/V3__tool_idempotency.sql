-- One row per tool call that wrote a ticket. The key is claimed first, inside the write's transaction, so a replayed
-- or concurrent call with the same key waits on this primary key and then returns the recorded result.

CREATE TABLE tool_idempotency (
    key        text        PRIMARY KEY,
    ticket_id  text        REFERENCES tickets (id),
    changed    boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
