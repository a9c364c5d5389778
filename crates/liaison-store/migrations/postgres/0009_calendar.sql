-- The working-day calendar's yearly public-holiday arrangements (放假调休) entered by an administrator.
-- A row overrides the built-in arrangement of the same year. The text columns hold the form's
-- normalised text (one range or date per line), read back through YearArrangement::parse_text.
CREATE TABLE calendar_year (
    year       INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    off_text   TEXT NOT NULL,
    work_text  TEXT NOT NULL,
    updated_by BIGINT NULL REFERENCES account (id),
    updated_at TIMESTAMPTZ NOT NULL
);
