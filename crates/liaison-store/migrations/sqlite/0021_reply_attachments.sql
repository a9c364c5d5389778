-- 答复附件: files a handling unit sends with its reply (photos re-encoded without metadata, the scanned
-- reply letter as a PDF), kept with the reply event they came with: after 不满意 and a second reply, the
-- first reply's files stay with the first. `public`: shown to the citizen on the tracking page.
CREATE TABLE opinion_attachment (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id  BIGINT NOT NULL REFERENCES opinion (id),
    seq         BIGINT NOT NULL,           -- opinion_event.seq of the reply
    kind        TEXT NOT NULL,             -- photo | letter
    blob        TEXT NOT NULL,             -- content address in the file store
    name        TEXT NOT NULL,             -- the file name shown (cleaned)
    public      BOOLEAN NOT NULL,
    unit_id     BIGINT REFERENCES handling_unit (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX opinion_attachment_opinion ON opinion_attachment (opinion_id, seq, id);
CREATE INDEX opinion_attachment_blob ON opinion_attachment (blob);
