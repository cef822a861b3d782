-- The journal of turns: each model response and each tool result of a turn, recorded before the turn acts on it, so
-- that a rerun of the message replays them instead of asking the model again and makes the same tool calls. Keyed by
-- the turn's conversation and first message; a step's owner (fence) is kept for audit. Marked answered when the
-- message's reply is published, and removed a retention later.
CREATE TABLE turn_journal (
    conversation_id text        NOT NULL,
    message_id      text        NOT NULL,
    step            integer     NOT NULL CHECK (step >= 1),
    kind            text        NOT NULL CHECK (kind IN ('model', 'tool')),
    payload         text        NOT NULL,
    fence_scope     text,
    fence_epoch     bigint,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    answered_at     timestamptz,
    PRIMARY KEY (conversation_id, message_id, step)
);

CREATE INDEX turn_journal_answered_at ON turn_journal (answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX turn_journal_recorded_at ON turn_journal (recorded_at);
