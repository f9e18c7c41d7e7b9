-- 0004: counted duties ("ít nhất 03 cuộc/năm"). Each time the agency does
-- one (one cuộc kiểm tra) is a row here; the duty becomes submitted, with
-- its row in submissions, when the count reaches the period's quota, so
-- that reminders say "đã thực hiện 1/3 cuộc" until then.
CREATE TABLE quota_entries (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrences (id),
    ref           TEXT NOT NULL DEFAULT '',
    done_on       TEXT NOT NULL CHECK (done_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL CHECK (recorded_by <> ''),
    via           TEXT NOT NULL CHECK (via IN ('cli', 'web', 'link', 'import')),
    recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX quota_entries_by_occurrence ON quota_entries (occurrence_id);
