-- Answers to frequently asked questions. A question finds an entry when it mentions the topic or any keyword.

CREATE TABLE faq_entries (
    topic    text   PRIMARY KEY CONSTRAINT faq_entries_topic_lowercase CHECK (topic = lower(topic)),
    answer   text   NOT NULL,
    keywords text[] NOT NULL DEFAULT '{}'
);

INSERT INTO faq_entries (topic, answer, keywords) VALUES
    ('return policy', 'You can return items within 30 days of purchase for a full refund.',
     ARRAY['return', 'refund', 'send back', 'money back']),
    ('shipping time', 'Standard shipping takes 3-5 business days. Express shipping takes 1-2 days.',
     ARRAY['shipping', 'delivery', 'deliver', 'arrive']),
    ('warranty', 'All products come with a 1-year manufacturer warranty.',
     ARRAY['guarantee', 'broken', 'defective']),
    ('payment methods', 'We accept credit cards, PayPal, and Apple Pay.',
     ARRAY['payment', 'pay with', 'credit card', 'paypal', 'apple pay']),
    ('contact hours', 'Customer service is available Monday-Friday 9AM-6PM EST.',
     ARRAY['contact', 'opening hours', 'business hours', 'open hours', 'reach you']);
