-- 0006: duties a reload no longer plans.
--
-- When an edited schedule drops a task (or a duty no longer falls to its
-- agency), its pending mail is cancelled and the duty is marked here, so
-- that the board, the reports and `status` stop counting it as owed. The
-- duty, its history and its mail stay. A duty planned again loses its mark.
CREATE TABLE occurrence_drops (
    occurrence_id INTEGER PRIMARY KEY REFERENCES occurrences (id),
    at            TEXT NOT NULL,
    reason        TEXT NOT NULL
) STRICT;

-- Drops recorded before this migration are in the audit log.
INSERT OR IGNORE INTO occurrence_drops (occurrence_id, at, reason)
SELECT CAST(substr(a.object, 12) AS INTEGER), a.at, coalesce(json_extract(a.detail, '$.reason'), '')
FROM audit a
WHERE a.action = 'occurrence.dropped' AND a.object GLOB 'occurrence/[0-9]*'
  AND EXISTS (SELECT 1 FROM occurrences o WHERE o.id = CAST(substr(a.object, 12) AS INTEGER));
