-- Notifications and 督办单 about any subject (kind + id), not only opinions: `opinion_id` becomes
-- (`subject_kind`, `subject_id`), with no foreign key (the id names a row of the kind's own table).

ALTER TABLE notification DROP CONSTRAINT notification_opinion_id_fkey;
ALTER TABLE notification RENAME COLUMN opinion_id TO subject_id;
ALTER TABLE notification ADD COLUMN subject_kind TEXT;
UPDATE notification SET subject_kind = 'opinion' WHERE subject_id IS NOT NULL;
CREATE INDEX notification_subject ON notification (subject_kind, subject_id, id);

ALTER TABLE supervision_notice DROP CONSTRAINT supervision_notice_opinion_id_fkey;
ALTER TABLE supervision_notice RENAME COLUMN opinion_id TO subject_id;
ALTER TABLE supervision_notice ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'opinion';
ALTER TABLE supervision_notice ALTER COLUMN subject_kind DROP DEFAULT;
DROP INDEX supervision_notice_opinion;
CREATE INDEX supervision_notice_subject ON supervision_notice (subject_kind, subject_id, id);
