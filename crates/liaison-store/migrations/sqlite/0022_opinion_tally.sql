-- 计数 (tallies): the work queue's counts kept per (village-level region, station, lead unit), so the
-- region queue's unfiltered counts, the home page's tallies and the overdue summary sum a few counter
-- rows instead of counting items. Triggers on `opinion` append signed deltas (`opinion_tally_delta`)
-- in the same transaction as the change to the item: concurrent submissions to one station never wait
-- on one counter row. `Store::compact_tally` (every 10 s in `liaison serve`, and `liaison sweep`)
-- folds the deltas into `opinion_tally`; a read sums both. `liaison recount` rebuilds both from
-- `opinion`. Station and lead unit 0 = none. What counts (the same text as `open_sql`):
--   all_n every item (merged ones too, like the queue's total with no filter)
--   open_n stage NOT IN ('closed', 'declined', 'published', 'merged')
--   key_n open AND key_supervision; overdue_n open AND alerted = 2; soon_n open AND alerted = 1
-- (`alerted` is set by the deadline sweep, so overdue and due-soon move when the sweep marks an item).
CREATE TABLE opinion_tally (
    region_code  TEXT NOT NULL,
    station_id   BIGINT NOT NULL DEFAULT 0,
    lead_unit_id BIGINT NOT NULL DEFAULT 0,
    all_n        BIGINT NOT NULL DEFAULT 0,
    open_n       BIGINT NOT NULL DEFAULT 0,
    key_n        BIGINT NOT NULL DEFAULT 0,
    overdue_n    BIGINT NOT NULL DEFAULT 0,
    soon_n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, station_id, lead_unit_id)
);

-- append-only between compactions; ids only grow (compaction folds those up to the largest it saw)
CREATE TABLE opinion_tally_delta (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code  TEXT NOT NULL,
    station_id   BIGINT NOT NULL DEFAULT 0,
    lead_unit_id BIGINT NOT NULL DEFAULT 0,
    all_d        BIGINT NOT NULL DEFAULT 0,
    open_d       BIGINT NOT NULL DEFAULT 0,
    key_d        BIGINT NOT NULL DEFAULT 0,
    overdue_d    BIGINT NOT NULL DEFAULT 0,
    soon_d       BIGINT NOT NULL DEFAULT 0
);
-- a township's read finds its few deltas without reading the province's
CREATE INDEX opinion_tally_delta_region ON opinion_tally_delta (region_code, station_id);

CREATE TRIGGER opinion_tally_insert AFTER INSERT ON opinion
BEGIN
    INSERT INTO opinion_tally_delta (region_code, station_id, lead_unit_id, all_d, open_d, key_d, overdue_d, soon_d)
    VALUES (NEW.region_code, COALESCE(NEW.station_id, 0), COALESCE(NEW.lead_unit_id, 0), 1,
        CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') THEN 1 ELSE 0 END,
        CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') AND NEW.key_supervision THEN 1 ELSE 0 END,
        CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') AND NEW.alerted = 2 THEN 1 ELSE 0 END,
        CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') AND NEW.alerted = 1 THEN 1 ELSE 0 END);
END;

-- only when something counted changes; one delta row when the item stays in its bucket, two (the old
-- bucket's negative, the new one's positive) when it moves
CREATE TRIGGER opinion_tally_update AFTER UPDATE OF stage, alerted, key_supervision, region_code, station_id, lead_unit_id ON opinion
WHEN OLD.region_code <> NEW.region_code
    OR COALESCE(OLD.station_id, 0) <> COALESCE(NEW.station_id, 0)
    OR COALESCE(OLD.lead_unit_id, 0) <> COALESCE(NEW.lead_unit_id, 0)
    OR (OLD.stage NOT IN ('closed', 'declined', 'published', 'merged')) <> (NEW.stage NOT IN ('closed', 'declined', 'published', 'merged'))
    OR (NEW.stage NOT IN ('closed', 'declined', 'published', 'merged')
        AND (OLD.key_supervision <> NEW.key_supervision OR OLD.alerted <> NEW.alerted))
BEGIN
    INSERT INTO opinion_tally_delta (region_code, station_id, lead_unit_id, all_d, open_d, key_d, overdue_d, soon_d)
    SELECT r, s, u, SUM(a), SUM(o), SUM(k), SUM(d), SUM(n) FROM (
        SELECT OLD.region_code AS r, COALESCE(OLD.station_id, 0) AS s, COALESCE(OLD.lead_unit_id, 0) AS u, -1 AS a,
            CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') THEN -1 ELSE 0 END AS o,
            CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') AND OLD.key_supervision THEN -1 ELSE 0 END AS k,
            CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') AND OLD.alerted = 2 THEN -1 ELSE 0 END AS d,
            CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') AND OLD.alerted = 1 THEN -1 ELSE 0 END AS n
        UNION ALL
        SELECT NEW.region_code, COALESCE(NEW.station_id, 0), COALESCE(NEW.lead_unit_id, 0), 1,
            CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') THEN 1 ELSE 0 END,
            CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') AND NEW.key_supervision THEN 1 ELSE 0 END,
            CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') AND NEW.alerted = 2 THEN 1 ELSE 0 END,
            CASE WHEN NEW.stage NOT IN ('closed', 'declined', 'published', 'merged') AND NEW.alerted = 1 THEN 1 ELSE 0 END
    ) t GROUP BY r, s, u;
END;

CREATE TRIGGER opinion_tally_delete AFTER DELETE ON opinion
BEGIN
    INSERT INTO opinion_tally_delta (region_code, station_id, lead_unit_id, all_d, open_d, key_d, overdue_d, soon_d)
    VALUES (OLD.region_code, COALESCE(OLD.station_id, 0), COALESCE(OLD.lead_unit_id, 0), -1,
        CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') THEN -1 ELSE 0 END,
        CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') AND OLD.key_supervision THEN -1 ELSE 0 END,
        CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') AND OLD.alerted = 2 THEN -1 ELSE 0 END,
        CASE WHEN OLD.stage NOT IN ('closed', 'declined', 'published', 'merged') AND OLD.alerted = 1 THEN -1 ELSE 0 END);
END;

-- the items there are now
INSERT INTO opinion_tally (region_code, station_id, lead_unit_id, all_n, open_n, key_n, overdue_n, soon_n)
SELECT region_code, COALESCE(station_id, 0), COALESCE(lead_unit_id, 0), COUNT(*),
    SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') THEN 1 ELSE 0 END),
    SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') AND key_supervision THEN 1 ELSE 0 END),
    SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') AND alerted = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') AND alerted = 1 THEN 1 ELSE 0 END)
FROM opinion GROUP BY region_code, COALESCE(station_id, 0), COALESCE(lead_unit_id, 0);
