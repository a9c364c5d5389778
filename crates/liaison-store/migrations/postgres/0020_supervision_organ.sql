-- 督办单落款: the organ that issues a region's 督办单 (签发机关, printed as the head and the signatory)
-- and the prefix of their numbers (某人大督〔2026〕第0001号), set by the region's staff. A region without
-- a row uses its congress's standing committee (region name + 人大常委会) and "督".
CREATE TABLE supervision_organ (
    region_code TEXT PRIMARY KEY REFERENCES region (code),
    organ       TEXT NOT NULL,             -- e.g. 某某县人大常委会代表工作委员会 (at most 60 characters)
    prefix      TEXT NOT NULL,             -- e.g. 某人大督 (at most 12 characters, no digits)
    updated_by  BIGINT REFERENCES account (id),
    updated_at  TIMESTAMPTZ NOT NULL
);

-- The region whose organ issued a notice (the issuer's region); NULL for notices issued before this
-- migration, which take their issuer's account region. The number stays the text written at issue.
ALTER TABLE supervision_notice ADD COLUMN region_code TEXT REFERENCES region (code);
