-- Who wrote a note and for which customer message: the idempotency key of the write that added it
-- (<messageId>/c<conversation tag>/<tool>/<n>) names the message and its conversation.
ALTER TABLE ticket_notes ADD COLUMN written_for text;
