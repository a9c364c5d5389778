-- Work queues at 5 million items. Inside a county or a township the queue names its region by prefix
-- (substr(region_code, 1, 6) or 1, 9) as an equality, so one index yields the page already in deadline
-- order (or newest first) and the counts by stage and deadline without reading the rows: a range on
-- region_code could not give that order and made every page sort thousands of entries. The stage and
-- category (the common filters) and what the overdue summary groups by (township, lead unit) ride
-- along in the entries. The deadline indexes hold only items with a deadline (the open ones): a scan
-- for open items elsewhere never wades through the closed ones' empty deadlines.
CREATE INDEX opinion_town_due ON opinion (substr(region_code, 1, 9), due_at, id, stage, lead_unit_id, category)
    WHERE due_at IS NOT NULL;
CREATE INDEX opinion_town_new ON opinion (substr(region_code, 1, 9), id, stage, category);
CREATE INDEX opinion_county_due ON opinion (substr(region_code, 1, 6), due_at, id, stage, region_code, lead_unit_id, category)
    WHERE due_at IS NOT NULL;
CREATE INDEX opinion_county_new ON opinion (substr(region_code, 1, 6), id, stage, category);
-- Over a province or a city the deadline order is walked whole, the filters read from its entries.
CREATE INDEX opinion_due_scope ON opinion (due_at, id, region_code, stage, category)
    WHERE due_at IS NOT NULL;
DROP INDEX opinion_due;
DROP INDEX opinion_region_due;
-- 重点督办: only the few flagged items, by region.
CREATE INDEX opinion_key_region ON opinion (region_code, due_at, stage, category) WHERE key_supervision = TRUE;
DROP INDEX opinion_key;
-- the planner needs statistics on the new expressions
ANALYZE opinion;
