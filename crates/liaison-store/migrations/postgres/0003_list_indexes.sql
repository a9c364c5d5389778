-- Lists filtered by level page in (constituency region, id) order: serve them from one index.
CREATE INDEX mandate_level_scope ON mandate (level, constituency_region, id);
-- Station lists filtered by kind, likewise.
CREATE INDEX station_kind_scope ON station (kind, region_code, id);
