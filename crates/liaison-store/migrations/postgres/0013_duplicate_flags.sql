-- Possible duplicates (疑似重复) flagged after intake. Intake writes similar_checked = FALSE; the
-- background pass (liaison_store::duplicate_flags, every minute) checks each such item once, sets it
-- TRUE and points similar_to at the best earlier open item it resembles. Rows from before this
-- migration and generated benchmark rows keep NULL: never checked, so nothing is rewritten here.
ALTER TABLE opinion ADD COLUMN similar_checked BOOLEAN;
ALTER TABLE opinion ADD COLUMN similar_to BIGINT REFERENCES opinion (id);
-- the pass reads the unchecked items only (a minute's submissions), never the whole table
CREATE INDEX opinion_similar_pending ON opinion (id) WHERE similar_checked = FALSE;
-- the 疑似重复 filter and count read the open flagged items of a region (an item leaves when it closes)
CREATE INDEX opinion_similar_flag ON opinion (region_code, id)
    WHERE similar_to IS NOT NULL AND stage NOT IN ('closed', 'declined', 'published', 'merged');
