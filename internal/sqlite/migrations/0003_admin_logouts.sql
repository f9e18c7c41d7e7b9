-- 0003: admin sessions logged out before they expired. Sessions are signed
-- cookies (no table); when their key outlives a restart, so must the list
-- of the ones ended by "Đăng xuất". A row is useless after expires_at and
-- is pruned at the next logout.
CREATE TABLE admin_logouts (
    session_id TEXT PRIMARY KEY CHECK (length(session_id) = 32),
    expires_at TEXT NOT NULL
) STRICT;
