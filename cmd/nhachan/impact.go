package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// checkImpact prints what a reload of cfg would add, move and drop in the
// database, per plan and task, without changing anything.
func checkImpact(e env, cfg *config.Config, dbPath string) error {
	if dbPath == "" {
		dbPath = cfg.Daemon.Database
	}
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return exitError{code: exitConfig, msg: fmt.Sprintf("nhachan check --impact: không có cơ sở dữ liệu %s (chỉ định bằng --db)", dbPath)}
	}
	store, err := openStore(dbPath, e.now)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	today := schedule.DateOf(e.now().In(cfg.Location))
	s, err := impactSetup(ctx, cfg, store, today)
	if err != nil {
		return err
	}
	im, err := notify.Compare(ctx, store, s, today)
	if err != nil {
		return err
	}
	var ids []int64
	for _, c := range im.Changes {
		if c.OccurrenceID != 0 {
			ids = append(ids, c.OccurrenceID)
		}
	}
	pending, err := store.PendingCounts(ctx, ids)
	if err != nil {
		return err
	}
	writeImpact(e.stdout, cfg.Directory, im, pending)
	return nil
}

// metaReader is the part of the store the setup needs here.
type metaReader interface {
	Meta(ctx context.Context, key string) (string, bool, error)
}

// impactSetup is the engine's view of cfg for the comparison: the planner,
// the policy (its window) and the tracking start the daemon uses; nothing
// is written to the database.
func impactSetup(ctx context.Context, cfg *config.Config, store metaReader, today schedule.Date) (notify.Setup, error) {
	start := cfg.Daemon.TrackingStart
	if start == 0 {
		start = today
		if v, ok, err := store.Meta(ctx, "tracking_start"); err != nil {
			return notify.Setup{}, err
		} else if ok {
			if start, err = schedule.ParseDate(v); err != nil {
				return notify.Setup{}, fmt.Errorf("tracking_start in the database: %w", err)
			}
		}
	}
	return notify.Setup{Planner: cfg.Planner(), Policy: cfg.Daemon.Policy, TrackingStart: start, Location: cfg.Location}, nil
}

func agencyVN(dir *model.Directory, assignee string) string {
	if named, ok := strings.CutPrefix(assignee, "?"); ok {
		name := named
		if a, ok := dir.Agency(named); ok {
			name = a.Name
		}
		return "chưa có cơ quan nhận (kế hoạch giao " + name + ")"
	}
	if a, ok := dir.Agency(assignee); ok {
		return a.Name
	}
	return assignee
}

// writeImpact prints the changes per plan and task, then the totals.
func writeImpact(w io.Writer, dir *model.Directory, im notify.Impact, pending map[int64]int) {
	fmt.Fprintf(w, "Nạp lại cấu hình sẽ thay đổi các nghĩa vụ có hạn từ %s đến %s như sau (chưa áp dụng):\n", im.From.VN(), im.To.VN())
	plan, task := "", ""
	tasks := map[string]bool{}
	for _, c := range im.Changes {
		if c.ScheduleID != plan {
			plan, task = c.ScheduleID, ""
			fmt.Fprintf(w, "Kế hoạch %s:\n", plan)
		}
		if c.TaskID != task {
			task = c.TaskID
			tasks[plan+"/"+task] = true
			fmt.Fprintf(w, "  Nhiệm vụ %s:\n", task)
		}
		who := agencyVN(dir, c.Assignee)
		switch {
		case c.Kind == notify.ChangeAdd:
			fmt.Fprintf(w, "    + thêm: kỳ %s, %s, hạn %s\n", c.Period, who, c.NewDue.VN())
		case c.Kind == notify.ChangeMove && c.OldAssignee != "":
			due := c.NewDue.VN()
			if c.OldDue != c.NewDue {
				due = c.OldDue.VN() + " → " + due
			}
			fmt.Fprintf(w, "    ~ đổi cơ quan: kỳ %s, %s → %s, hạn %s%s\n", c.Period, agencyVN(dir, c.OldAssignee), who,
				due, cancelNote(pending[c.OccurrenceID]))
		case c.Kind == notify.ChangeMove:
			fmt.Fprintf(w, "    ~ dời hạn: kỳ %s, %s, hạn %s → %s\n", c.Period, who, c.OldDue.VN(), c.NewDue.VN())
		default:
			why := "không còn trong kế hoạch"
			if c.TaskGone {
				why = "nhiệm vụ đã bị bỏ khỏi kế hoạch"
			}
			fmt.Fprintf(w, "    - bỏ: kỳ %s, %s, hạn %s (%s)%s\n", c.Period, who, c.OldDue.VN(), why, cancelNote(pending[c.OccurrenceID]))
		}
	}
	add, move, drop := im.Count()
	if len(im.Changes) == 0 {
		fmt.Fprintln(w, "Không có thay đổi.")
	}
	fmt.Fprintf(w, "Tổng cộng: thêm %d, dời %d, bỏ %d nghĩa vụ (%d nhiệm vụ). Lịch sử (thư đã gửi, báo cáo đã nộp) được giữ nguyên.\n",
		add, move, drop, len(tasks))
}

func cancelNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d thư đang chờ gửi sẽ bị hủy", n)
}
