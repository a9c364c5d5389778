-- SMS for the citizens of merged items, and the system administrator's list of SMS not delivered.

-- A duplicate merged into another item follows it: each citizen SMS of the survivor also goes to the
-- citizens of the items merged into it, looked up by this index in the step's transaction.
CREATE INDEX opinion_merged_into ON opinion (merged_into) WHERE merged_into IS NOT NULL;

-- The administrator's SMS list (/admin/sms): by status, newest first.
CREATE INDEX notification_sms_status ON notification (status, id) WHERE channel = 'sms';

-- 'merged': sent once, when the item is merged. 'replied_merged': the answer as a merged item's citizen
-- reads it (the survivor's citizen rates it, so no call to rate).
INSERT INTO sms_template (kind, text) VALUES
    ('merged', '您反映的问题（回执码{receipt}）已与相近问题合并办理，办理进度：{link}'),
    ('replied_merged', '您反映的问题已有答复（回执码{receipt}），请查看：{link}');
