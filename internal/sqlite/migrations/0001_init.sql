-- 0001: the first schema. Civil dates are TEXT 'YYYY-MM-DD'; instants are
-- TEXT UTC 'YYYY-MM-DDTHH:MM:SSZ' (see package sqlite's doc). Tables are
-- STRICT so that a Go bug cannot store an integer where a date belongs.

-- One duty: a task of a schedule, for one period (kỳ), owed by one agency.
CREATE TABLE occurrences (
    id              INTEGER PRIMARY KEY,
    schedule_id     TEXT NOT NULL CHECK (schedule_id <> ''),
    task_id         TEXT NOT NULL CHECK (task_id <> ''),
    period          TEXT NOT NULL CHECK (period <> ''),
    -- The agency that answers after successor routing; '' when nobody does.
    agency_id       TEXT NOT NULL DEFAULT '',
    -- The agency the schedule named, before routing.
    named_agency_id TEXT NOT NULL CHECK (named_agency_id <> ''),
    role            TEXT NOT NULL CHECK (role IN ('lead', 'coordinating')),
    due             TEXT NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    effective_due   TEXT NOT NULL CHECK (effective_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- Set by an extension (gia hạn); kept apart from effective_due so that
    -- re-planning the schedule never erases a granted extension.
    extended_due    TEXT CHECK (extended_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    state           TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'submitted', 'waived', 'history', 'unassigned')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- The day the duty is owed: the later of the planned effective due date
    -- and any extension. Derived by SQLite so that it cannot drift.
    deadline        TEXT NOT NULL GENERATED ALWAYS AS (
                        CASE WHEN extended_due > effective_due THEN extended_due ELSE effective_due END
                    ) STORED,
    -- Who answers, as one key: the agency, or the named agency when the duty
    -- is unassigned ('?' cannot start an agency id, so the two never meet).
    assignee        TEXT NOT NULL GENERATED ALWAYS AS (
                        CASE WHEN agency_id <> '' THEN agency_id ELSE '?' || named_agency_id END
                    ) STORED,
    CHECK ((state = 'unassigned') = (agency_id = '') OR state IN ('history', 'waived', 'submitted'))
) STRICT;

-- The identity of a duty: re-planning finds the same row again.
CREATE UNIQUE INDEX occurrences_key ON occurrences (schedule_id, task_id, period, assignee);

-- What each tick asks: open duties owed by a day. Partial, so the million
-- submitted and historical rows of past years do not even enter the index,
-- and the query costs the same whatever the table's size.
CREATE INDEX occurrences_open_by_deadline ON occurrences (deadline) WHERE state = 'open';

-- Status pages list by agency.
CREATE INDEX occurrences_by_agency ON occurrences (assignee, deadline);

-- A submission (báo cáo đã nộp): at most one per occurrence; a correction is
-- a later migration's business, not a second row.
CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL UNIQUE REFERENCES occurrences (id),
    ref           TEXT NOT NULL DEFAULT '',   -- số ký hiệu
    submitted_on  TEXT NOT NULL CHECK (submitted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL CHECK (recorded_by <> ''),
    via           TEXT NOT NULL CHECK (via IN ('cli', 'web', 'link', 'import')),
    recorded_at   TEXT NOT NULL
) STRICT;

CREATE TABLE waivers (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL UNIQUE REFERENCES occurrences (id),
    reason        TEXT NOT NULL CHECK (reason <> ''),
    actor         TEXT NOT NULL CHECK (actor <> ''),
    at            TEXT NOT NULL
) STRICT;

-- Extensions stack: each row is one decision, the latest wins.
CREATE TABLE extensions (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrences (id),
    previous_due  TEXT NOT NULL,
    new_due       TEXT NOT NULL CHECK (new_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason        TEXT NOT NULL CHECK (reason <> ''),
    actor         TEXT NOT NULL CHECK (actor <> ''),
    at            TEXT NOT NULL
) STRICT;
CREATE INDEX extensions_by_occurrence ON extensions (occurrence_id);

-- The notification outbox. key is (occurrence, step, recipient): inserting
-- a notification twice is a no-op, which is what makes a tick idempotent.
-- lease_until is when the row may next be claimed: for a claimed row the end
-- of its lease, for a pending row its "not before" (creation, or the retry
-- time after a temporary failure). One column, one index, one comparison.
-- 'cancelled' is a pending row whose occurrence was submitted, waived or
-- extended before it went out: kept, not deleted, so the audit trail and
-- the key survive.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE CHECK (key <> ''),
    occurrence_id INTEGER REFERENCES occurrences (id),   -- NULL for a digest
    step          TEXT NOT NULL CHECK (step <> ''),
    recipient     TEXT NOT NULL CHECK (recipient <> ''),
    kind          TEXT NOT NULL CHECK (kind <> ''),
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'sent', 'failed', 'cancelled')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    lease_until   TEXT NOT NULL,
    claimed_by    TEXT NOT NULL DEFAULT '',
    sent_at       TEXT,
    smtp_response TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    message_id    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_ready ON outbox (state, lease_until);
CREATE INDEX outbox_by_occurrence ON outbox (occurrence_id);

-- Who did what, when. detail is a JSON object.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action <> ''),
    object TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX audit_by_object ON audit (object, at);
