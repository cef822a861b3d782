-- Each ticket write records what it changed, so the ticket events of a message can be rebuilt from the database
-- whichever attempt of its turn made the write (an attempt may fail after its tools wrote, and the next attempt need
-- not repeat the same calls).

ALTER TABLE tool_idempotency
    ADD COLUMN event_type text CHECK (event_type IN ('created', 'status_changed', 'priority_changed')),
    ADD COLUMN status     text CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
    ADD COLUMN priority   text CHECK (priority IN ('low', 'medium', 'high', 'urgent'));

-- Keys begin with the message id; the look-up of a message's changes is a prefix scan of this index.
CREATE INDEX tool_idempotency_key_prefix ON tool_idempotency (key text_pattern_ops);
