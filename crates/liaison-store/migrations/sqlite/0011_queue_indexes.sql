-- The 重点督办 count and list over a wide region read the few flagged items through their own index.
CREATE INDEX opinion_key ON opinion (key_supervision, due_at);
