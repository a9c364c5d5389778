-- Deadlines in working days, supervision (督办), reply templates, duplicates merged into one item.

-- How long the one expected to act has, per kind of item and stage, as data: '24h' (hours) or '7wd'
-- (working days, counted from the next day, due at the end of the last one).
CREATE TABLE deadline_rule (
    kind   TEXT NOT NULL,                 -- opinion (suggestions later)
    stage  TEXT NOT NULL,                 -- the stage whose holder the deadline is for; 'return' = the unit's window to return a wrong assignment
    span   TEXT NOT NULL,
    label  TEXT NOT NULL,
    PRIMARY KEY (kind, stage)
);
INSERT INTO deadline_rule (kind, stage, span, label) VALUES
    ('opinion', 'submitted', '24h', '代表或站点首次响应'),
    ('opinion', 'referred',  '2wd', '登记受理'),
    ('opinion', 'accepted',  '3wd', '交办或答复'),
    ('opinion', 'assigned',  '7wd', '承办单位答复'),
    ('opinion', 'return',    '3wd', '交办有误的退回'),
    ('opinion', 'replied',   '2wd', '反馈群众'),
    ('opinion', 'answered',  '5wd', '回访评价');

ALTER TABLE opinion ADD COLUMN stage_at TEXT;           -- when the current stage began (deadlines count from it)
ALTER TABLE opinion ADD COLUMN key_supervision BOOLEAN NOT NULL DEFAULT FALSE; -- 重点督办
ALTER TABLE opinion ADD COLUMN supervisor TEXT NOT NULL DEFAULT '';             -- the supervising leader (重点督办)
ALTER TABLE opinion ADD COLUMN merged_into BIGINT REFERENCES opinion (id);     -- a duplicate follows the survivor
ALTER TABLE opinion ADD COLUMN terms TEXT NOT NULL DEFAULT '';                 -- keywords of the description, for similar items
ALTER TABLE opinion ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;             -- deadline alerts sent for this stage: 0 none, 1 due soon, 2 overdue
CREATE INDEX opinion_due ON opinion (due_at, id);
CREATE INDEX opinion_region_due ON opinion (region_code, due_at);
CREATE INDEX opinion_alert ON opinion (alerted, due_at);
CREATE INDEX opinion_similar ON opinion (region_code, category, stage);

-- 督办单: a formal supervision notice to the lead unit, printed, with the unit's acknowledgement.
CREATE TABLE supervision_notice (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id       BIGINT NOT NULL REFERENCES opinion (id),
    number           TEXT NOT NULL UNIQUE,     -- e.g. 督〔2026〕第0001号
    unit_id          BIGINT REFERENCES handling_unit (id),
    demand           TEXT NOT NULL,            -- what is required, by when
    reply_by         TEXT,
    issued_by        BIGINT REFERENCES account (id),
    issued_at        TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  BIGINT REFERENCES account (id),
    ack_note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_notice_opinion ON supervision_notice (opinion_id, id);
CREATE INDEX supervision_notice_unit ON supervision_notice (unit_id, acknowledged_at);

-- Reply templates per category ('' = any) and action, with placeholders {回执码} {类别} {地区} {日期} {单位}.
CREATE TABLE reply_template (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    category  TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,               -- answer_on_spot | reply | feedback | deputy_answer
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    active    BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO reply_template (category, action, title, body) VALUES
    ('', 'answer_on_spot', '已列入计划', '您反映的{类别}问题（回执码{回执码}）已收悉。经了解，该事项已列入{地区}近期工作计划，将按计划实施，请您关注。感谢您的支持！'),
    ('', 'answer_on_spot', '政策解释', '您反映的问题（回执码{回执码}）已收悉。经核实，相关政策规定如下：（请填写）。如仍有疑问，可到就近代表联络站咨询。'),
    ('', 'reply', '已办结', '您反映的{类别}问题已由{单位}于{日期}处理完毕。如有不满意，请在办理进度页面评价。'),
    ('street_lights', 'reply', '路灯已修复', '您反映的路灯问题已由{单位}于{日期}安排检修，现已恢复照明。'),
    ('', 'feedback', '已电话告知', '已于{日期}将办理结果电话告知群众。');
