-- 0002: small facts about the database itself, such as the day tracking
-- started and how far `nhachan simulate` has run.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY CHECK (key <> ''),
    value TEXT NOT NULL
) STRICT;
