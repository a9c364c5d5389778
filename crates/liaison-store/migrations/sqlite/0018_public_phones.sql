-- 公开电话: numbers the staff mark as public (a hotline, an office the units' and stations' own phone
-- fields do not hold). Masking of free text leaves these, and the units' and stations' phones, intact.
CREATE TABLE public_phone (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT NOT NULL REFERENCES region (code),
    number      TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_by  BIGINT REFERENCES account (id),
    created_at  TEXT NOT NULL,
    UNIQUE (region_code, number)
);
