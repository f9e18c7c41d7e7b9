package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// ReleaseClaims returns every claimed outbox row to pending, ready at once.
// The daemon calls it at start, holding the daemon lock: no other sender
// can be running, so every claim belongs to a process that died (kill -9,
// power loss) and would otherwise hold its mail back for the whole lease.
// A row whose message did reach the server before the crash is sent again:
// that is the one duplicate window SMTP cannot close.
func (db *DB) ReleaseClaims(ctx context.Context) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', claimed_by = '', lease_until = ?
			WHERE state = 'claimed'`, db.stamp())
		if err != nil {
			return fmt.Errorf("release claims: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
