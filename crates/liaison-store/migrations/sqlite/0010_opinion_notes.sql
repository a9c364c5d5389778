-- Internal notes on an item: for the people handling it (staff, the deputy, the unit), never shown to the
-- citizen or the public. Not events: they change nothing in the item's state.
CREATE TABLE opinion_note (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id  BIGINT NOT NULL REFERENCES opinion (id),
    account_id  BIGINT REFERENCES account (id),
    body        TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX opinion_note_opinion ON opinion_note (opinion_id, id);
