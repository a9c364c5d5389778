-- The plain-language categories a citizen picks from (kept as data; 其他 always last), used by the
-- routing table now and by opinions later.
CREATE TABLE category (
    code     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    position INTEGER NOT NULL,
    active   BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO category (code, label, position) VALUES
    ('roads', '道路交通', 10),
    ('street_lights', '路灯照明', 20),
    ('sanitation', '环境卫生', 30),
    ('utilities', '供水供电供暖', 40),
    ('housing', '住房与物业', 50),
    ('education', '教育', 60),
    ('health', '医疗卫生', 70),
    ('welfare', '社会保障与救助', 80),
    ('farming', '农牧业生产', 90),
    ('jobs', '就业创业', 100),
    ('disputes', '邻里纠纷', 110),
    ('safety', '治安安全', 120),
    ('other', '其他', 1000);
