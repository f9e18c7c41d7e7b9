-- 0005: self-declared submission dates and extension requests.
--
-- A submission made through a signed link carries the sending date the
-- official typed: nobody checked it. recorded_on is the civil day (in the
-- configuration's zone) the submission was recorded; self_declared marks a
-- declared date earlier than that day, which counts only once an admin
-- confirms it (confirmed_by, confirmed_at); until then reports judge the
-- submission by recorded_on.
ALTER TABLE submissions ADD COLUMN recorded_on TEXT NOT NULL DEFAULT ''
    CHECK (recorded_on = '' OR recorded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE submissions ADD COLUMN self_declared INTEGER NOT NULL DEFAULT 0 CHECK (self_declared IN (0, 1));
ALTER TABLE submissions ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN confirmed_at TEXT NOT NULL DEFAULT '';

-- Link submissions recorded before this migration: their recording day is
-- read in Vietnam's zone (UTC+7, no daylight saving since 1975), and those
-- whose declared date is earlier wait for an admin like new ones. Nothing
-- else changes: the declared date and the recording instant stay as stored.
UPDATE submissions SET recorded_on = date(recorded_at, '+7 hours') WHERE via = 'link';
UPDATE submissions SET self_declared = 1 WHERE via = 'link' AND submitted_on < recorded_on;

-- Extension requests from the "Xin gia hạn" links: one pending request per
-- duty and agency, which a later request updates (times counts how many
-- were sent); an admin's extension, waiver or reopening of the duty, or a
-- submission, settles it. The first request of each is also in the audit
-- log; the repeats are not, so that they cannot push admin actions off it.
CREATE TABLE extension_requests (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrences (id),
    agency_id     TEXT NOT NULL CHECK (agency_id <> ''),
    actor         TEXT NOT NULL CHECK (actor <> ''),
    until         TEXT NOT NULL CHECK (until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason        TEXT NOT NULL CHECK (reason <> ''),
    times         INTEGER NOT NULL DEFAULT 1 CHECK (times >= 1),
    first_at      TEXT NOT NULL,
    at            TEXT NOT NULL,
    settled_at    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX extension_requests_pending ON extension_requests (occurrence_id, agency_id) WHERE settled_at = '';
