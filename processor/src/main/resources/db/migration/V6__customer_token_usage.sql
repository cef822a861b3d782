-- Model tokens each customer's conversations used per UTC day, for the tokens-per-customer-per-day budget: one row
-- per customer and day, shared by every instance and partition. Old days can be deleted at any time.
CREATE TABLE customer_token_usage (
    customer_id text   NOT NULL REFERENCES customers (id),
    day         date   NOT NULL,
    tokens      bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
    PRIMARY KEY (customer_id, day)
);
