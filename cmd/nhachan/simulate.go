package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// simulateDB is simulate's default database: never the daemon's own.
const simulateDB = "var/simulate.db"

// cmdSimulate runs the real engine and the real mail transport on a virtual
// clock, day by day, and prints what was sent. Each day ticks at the send
// hour and twice later (when retries of a failed send fall due).
func cmdSimulate(e env, args []string) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	fromS := fs.String("from", "", "ngày mô phỏng đầu tiên, dd/mm/yyyy hoặc YYYY-MM-DD (bắt buộc)")
	toS := fs.String("to", "", "ngày mô phỏng cuối cùng, dd/mm/yyyy hoặc YYYY-MM-DD (bắt buộc)")
	dbPath := fs.String("db", simulateDB, "tệp cơ sở dữ liệu SQLite của mô phỏng")
	smtpURL := fs.String("smtp", "", "máy chủ SMTP smtp://host:port?tls=none|starttls|tls (mặc định: theo cấu hình, không có thì ghi vào simulate-outbox/ cạnh cơ sở dữ liệu)")
	publicURL := fs.String("public-url", "", "địa chỉ gốc của các liên kết trong thư (mặc định: theo cấu hình)")
	quiet := fs.Bool("quiet", false, "chỉ in dòng tổng kết")
	showResources := fs.Bool("resources", false, "in số goroutine, tệp đang mở, bộ nhớ và cỡ WAL sau mỗi tháng mô phỏng (make soak đọc các số này)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan simulate: thừa đối số %q\nXem: nhachan simulate --help", pos[0])
	}
	from, to, err := parseRange(*fromS, *toS, "nhachan simulate: cần --from và --to (dd/mm/yyyy hoặc YYYY-MM-DD)\nXem: nhachan simulate --help")
	if err != nil {
		return err
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	loc := cfg.Location
	var virtual time.Time
	clock := func() time.Time { return virtual }
	virtual = from.In(loc)
	store, err := openStore(*dbPath, clock)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	// Continue where an earlier run on this database stopped.
	if v, ok, err := store.Meta(ctx, "simulated_until"); err != nil {
		return err
	} else if ok {
		last, err := schedule.ParseDate(v)
		if err != nil {
			return fmt.Errorf("simulated_until in the database: %w", err)
		}
		if last >= from {
			fmt.Fprintf(e.stdout, "Cơ sở dữ liệu đã mô phỏng đến hết ngày %s: tiếp tục từ ngày %s.\n", last.VN(), last.AddDays(1).VN())
			from = last.AddDays(1)
		}
	}
	if from > to {
		fmt.Fprintln(e.stdout, "Không còn ngày nào để mô phỏng.\nTổng cộng: 0 thư đã gửi, 0 lượt gửi lỗi.")
		return nil
	}
	snap, err := buildSnapshot(ctx, cfg, store, from, runtimeOptions{smtpURL: *smtpURL, publicURL: *publicURL,
		outbox: filepath.Join(filepath.Dir(*dbPath), "simulate-outbox")})
	if err != nil {
		return err
	}
	setup := snap.engine
	eng := notify.New(store, func() *notify.Setup { return &setup }, clock, zerolog.Nop())
	fmt.Fprintf(e.stdout, "Mô phỏng %s – %s, theo dõi từ %s, gửi qua %s\n", from.VN(), to.VN(), setup.TrackingStart.VN(), snap.via)
	total, failed := 0, 0
	hours := []int{setup.Policy.SendHour, setup.Policy.SendHour + 2, setup.Policy.SendHour + 6}
	for day := from; day <= to; day = day.AddDays(1) {
		var sent []notify.SentMessage
		for _, h := range hours {
			virtual = day.In(loc).Add(time.Duration(h)*time.Hour + time.Minute)
			rep, err := eng.Tick(ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", day, err)
			}
			sent = append(sent, rep.Sent...)
			failed += rep.Failed
			// As serve does after each tick: keep the WAL small.
			if err := store.Checkpoint(ctx, false); err != nil {
				return fmt.Errorf("%s: checkpoint: %w", day, err)
			}
		}
		total += len(sent)
		if len(sent) > 0 && !*quiet {
			fmt.Fprintf(e.stdout, "%s %s: %d thư\n", day, day.WeekdayVN(), len(sent))
			for _, m := range sent {
				fmt.Fprintf(e.stdout, "  → %s  %s  [%s]\n", m.To, m.Subject, strings.Join(m.Steps, "; "))
			}
		}
		if err := store.SetMeta(ctx, "simulated_until", day.String()); err != nil {
			return err
		}
		if *showResources && (day.AddDays(1).Day() == 1 || day == to) {
			fmt.Fprintf(e.stdout, "Tài nguyên đến hết ngày %s: %s\n", day.VN(), readResources(*dbPath))
		}
	}
	fmt.Fprintf(e.stdout, "Tổng cộng: %d thư đã gửi, %d lượt gửi lỗi.\n", total, failed)
	return nil
}
