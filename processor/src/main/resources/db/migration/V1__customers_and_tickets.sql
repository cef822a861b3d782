-- Customers and their support tickets. Status and priority are the lowercase names of the Avro enums.

CREATE TABLE customers (
    id            text        PRIMARY KEY,
    name          text        NOT NULL,
    email         text        NOT NULL,
    phone         text,
    tier          text        NOT NULL DEFAULT 'basic',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_activity timestamptz
);

-- Look-ups are by email whatever its case, and two customers may not share one.
CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email));

-- Ticket ids come from a sequence so concurrent writers never collide; six digits, more once they run out.
CREATE SEQUENCE ticket_number_seq;

CREATE FUNCTION next_ticket_id() RETURNS text
    LANGUAGE sql VOLATILE
AS $$
    SELECT 'TICK-' || lpad(n::text, greatest(6, length(n::text)), '0')
    FROM (SELECT nextval('ticket_number_seq') AS n) AS next
$$;

CREATE TABLE tickets (
    id             text        PRIMARY KEY DEFAULT next_ticket_id(),
    customer_id    text        NOT NULL REFERENCES customers (id),
    subject        text        NOT NULL,
    description    text        NOT NULL DEFAULT '',
    status         text        NOT NULL DEFAULT 'open'
        CONSTRAINT tickets_status_check CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
    priority       text        NOT NULL DEFAULT 'medium'
        CONSTRAINT tickets_priority_check CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    assigned_agent text
);

-- A customer's profile shows their newest tickets first.
CREATE INDEX tickets_customer_created_idx ON tickets (customer_id, created_at DESC, id DESC);

-- What an agent wrote when changing a ticket: status-update notes and escalation reasons.
CREATE TABLE ticket_notes (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  text        NOT NULL REFERENCES tickets (id),
    kind       text        NOT NULL CONSTRAINT ticket_notes_kind_check CHECK (kind IN ('status_update', 'escalation')),
    author     text,
    note       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ticket_notes_ticket_idx ON ticket_notes (ticket_id, created_at);
