-- The tutorial's demo customers and tickets. Loaded on request only; running it again changes nothing.

INSERT INTO customers (id, name, email, phone, tier) VALUES
    ('CUST001', 'John Doe', 'john@example.com', '+1234567890', 'premium'),
    ('CUST002', 'Jane Smith', 'jane@example.com', '+1234567891', 'basic'),
    ('CUST003', 'Bob Johnson', 'bob@example.com', NULL, 'enterprise')
ON CONFLICT DO NOTHING;

-- Joined to customers so a sample customer skipped above (its email already taken) skips its ticket too.
INSERT INTO tickets (id, customer_id, subject, description, status, priority)
SELECT sample.*
FROM (VALUES
    ('TICK001', 'CUST001', 'Laptop not charging', 'My laptop battery won''t charge', 'open', 'high'),
    ('TICK002', 'CUST002', 'Refund request', 'Want to return my purchase', 'in_progress', 'medium'),
    ('TICK003', 'CUST003', 'Account access', 'Cannot log into my account', 'resolved', 'low')
) AS sample (id, customer_id, subject, description, status, priority)
JOIN customers ON customers.id = sample.customer_id
ON CONFLICT DO NOTHING;
