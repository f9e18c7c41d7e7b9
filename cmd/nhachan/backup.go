package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// dbFlags registers --db and --config for backup and restore; resolve
// reads the configuration only when --db was not given, so that a backup
// script needs nothing but the database path.
type dbFlags struct{ cfg, db *string }

func newDBFlags(fs *flag.FlagSet) dbFlags {
	return dbFlags{configFlag(fs), fs.String("db", "", "tệp cơ sở dữ liệu SQLite (mặc định: theo cấu hình)")}
}

// resolve returns the database path and the zone its times are shown in:
// the configuration's, or its default when --db spares loading it.
func (f dbFlags) resolve(e env) (string, *time.Location, error) {
	if *f.db != "" {
		return *f.db, defaultLocation(), nil
	}
	cfg, err := loadConfig(e, *f.cfg, true)
	if err != nil {
		return "", nil, err
	}
	return cfg.Daemon.Database, cfg.Location, nil
}

// cmdBackup writes an online, consistent copy of the database (the daemon
// may be running) and prints what it wrote.
func cmdBackup(e env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	df := newDBFlags(fs)
	to := fs.String("to", "", "tệp sao lưu cần ghi (thay thế nguyên khối)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return usageError("nhachan backup: cần --to FILE\nXem: nhachan backup --help")
	}
	dbPath, loc, err := df.resolve(e)
	if err != nil {
		return err
	}
	// Open would create an empty database, and back that up.
	if _, err := os.Stat(dbPath); err != nil {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan backup: cơ sở dữ liệu %s: %v", dbPath, err)}
	}
	store, err := sqlite.Open(dbPath, sqlite.Options{Now: e.now})
	if err != nil {
		return err
	}
	defer store.Close()
	info, err := store.Backup(context.Background(), *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Đã sao lưu %s vào %s (%d byte), thời điểm sao lưu %s (%s UTC).\n",
		dbPath, info.Path, info.Bytes, info.TakenAt.In(loc).Format("15:04:05 02/01/2006"), info.TakenAt.Format(time.RFC3339))
	return nil
}

// cmdRestore replaces the database with a backup. It refuses while a
// daemon runs, and without --force when the current database knows of mail
// sent, or submissions recorded, after the backup was taken: the restored
// daemon would not know that mail went out and may send it again, and the
// submissions would be lost (the old database is kept beside it).
func cmdRestore(e env, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	df := newDBFlags(fs)
	from := fs.String("from", "", "tệp sao lưu do nhachan backup tạo ra")
	force := fs.Bool("force", false, "vẫn khôi phục dù sau bản sao lưu đã có thư gửi đi hoặc báo cáo được ghi nhận")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError("nhachan restore: cần --from FILE\nXem: nhachan restore --help")
	}
	dbPath, loc, err := df.resolve(e)
	if err != nil {
		return err
	}
	if err := ensureDir(dbPath); err != nil {
		return err
	}
	release, err := sqlite.LockDaemon(dbPath)
	if err != nil {
		return exitError{code: exitFail, msg: "nhachan restore: dừng nhachan serve trước khi khôi phục: " + err.Error()}
	}
	defer release()
	ctx := context.Background()
	info, err := sqlite.ReadBackup(ctx, *from)
	if err != nil {
		return exitError{code: exitFail, msg: "nhachan restore: bản sao lưu không dùng được: " + err.Error()}
	}
	t := info.TakenAt.In(loc).Format("15:04:05 02/01/2006")
	fmt.Fprintf(e.stdout, "Bản sao lưu %s được tạo lúc %s (%s UTC).\n", info.Path, t, info.TakenAt.Format(time.RFC3339))
	fmt.Fprintf(e.stdout, "Lưu ý: thư nhắc đã gửi từ thời điểm đó trở về sau không được ghi trong bản sao lưu và có thể bị gửi lại sau khi khôi phục.\n")

	needForce := false
	if _, err := os.Stat(dbPath); err == nil {
		since, err := sqlite.CountSince(ctx, dbPath, *from, info.TakenAt)
		if err != nil {
			fmt.Fprintf(e.stdout, "Không đọc được cơ sở dữ liệu hiện tại %s (%v): không biết bao nhiêu thư có thể bị gửi lại.\n", dbPath, err)
			needForce = true
		} else {
			fmt.Fprintf(e.stdout, "Cơ sở dữ liệu hiện tại ghi nhận %d thư đã gửi từ %s: %d thư này có thể bị gửi lại.\n", since.Sent, t, since.Sent)
			if since.Submissions > 0 {
				fmt.Fprintf(e.stdout, "Cơ sở dữ liệu hiện tại có %d báo cáo đã nộp được ghi nhận từ %s: chúng không có trong bản sao lưu và cần ghi nhận lại.\n", since.Submissions, t)
			}
			needForce = since.Sent > 0 || since.Submissions > 0
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if needForce && !*force {
		return exitError{code: exitFail, msg: "nhachan restore: chưa khôi phục. Chạy lại với --force nếu vẫn muốn khôi phục."}
	}
	ri, err := sqlite.RestoreBackup(ctx, *from, dbPath, e.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Đã khôi phục %s từ %s.\n", dbPath, info.Path)
	if ri.Kept != "" {
		fmt.Fprintf(e.stdout, "Cơ sở dữ liệu cũ được giữ tại %s.\n", ri.Kept)
	}
	return nil
}

// warnRestored logs, once, that the database was restored from a backup:
// reminders sent after the backup was taken are not recorded and may go out
// again. The daemon calls it at start-up, holding the lock.
func warnRestored(ctx context.Context, store *sqlite.DB, log zerolog.Logger) error {
	at, restored, err := store.Meta(ctx, sqlite.MetaRestoredFrom)
	if err != nil || !restored {
		return err
	}
	if _, acked, err := store.Meta(ctx, sqlite.MetaRestoreAcknowledged); err != nil || acked {
		return err
	}
	log.Warn().Str("backup_taken_at", at).
		Msgf("the database was restored from a backup taken at %s: reminders sent after %s are not recorded and may be sent again", at, at)
	return store.SetMeta(ctx, sqlite.MetaRestoreAcknowledged, at)
}
