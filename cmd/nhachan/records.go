package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// recordCtx is what submit, waive, extend, status and import share: the
// configuration and the database (the daemon may be running: WAL lets both
// work, and no lock is taken).
type recordCtx struct {
	cfg   *config.Config
	store *sqlite.DB
	actor string

	planner *model.Planner // built on first use
}

// period names o's period in words ("quý IV/2025"), as officials read it.
func (r *recordCtx) period(o duty.Occurrence) string { return r.task(o).PeriodText(o.Period) }

// task returns o's task, nil when it left the configuration.
func (r *recordCtx) task(o duty.Occurrence) *model.Task {
	if r.planner == nil {
		r.planner = r.cfg.Planner()
	}
	return r.planner.Task(o.ScheduleID, o.TaskID)
}

func openRecords(e env, fs *flag.FlagSet, args []string) (*recordCtx, []string, error) {
	cfgFile := configFlag(fs)
	dbPath := fs.String("db", "", "SQLite database (default: the configuration's)")
	by := fs.String("by", "", "who records this (default: cli:$USER)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return nil, nil, err
	}
	if *dbPath == "" {
		*dbPath = cfg.Daemon.Database
	}
	store, err := openStore(*dbPath, e.now)
	if err != nil {
		return nil, nil, err
	}
	actor := *by
	if actor == "" {
		actor = "cli"
		if u, err := user.Current(); err == nil {
			actor = "cli:" + u.Username
		}
	}
	return &recordCtx{cfg: cfg, store: store, actor: actor}, pos, nil
}

// find returns the one lead occurrence of (task, agency, period), planning
// and storing it first when the daemon has not reached it yet (a report
// sent early is still a report).
func (r *recordCtx) find(ctx context.Context, task, agency, period string) (duty.Occurrence, error) {
	if task == "" || agency == "" || period == "" {
		return duty.Occurrence{}, usageError("--task, --agency and --period are required")
	}
	rows, err := r.store.FindOccurrences(ctx, task, agency, period)
	if err != nil {
		return duty.Occurrence{}, err
	}
	if len(rows) == 0 {
		if err := r.materialise(ctx, task, period); err != nil {
			return duty.Occurrence{}, err
		}
		if rows, err = r.store.FindOccurrences(ctx, task, agency, period); err != nil {
			return duty.Occurrence{}, err
		}
	}
	switch len(rows) {
	case 0:
		return duty.Occurrence{}, exitError{code: exitFail, msg: fmt.Sprintf(
			"Không tìm thấy nhiệm vụ %s, kỳ %s của cơ quan %s. Kiểm tra lại bằng: nhachan plan --task %s --agency %s --from … --to …",
			task, period, agency, task, agency)}
	case 1:
		return rows[0], nil
	}
	return duty.Occurrence{}, exitError{code: exitFail, msg: fmt.Sprintf("%d occurrences match; name the answering agency", len(rows))}
}

// materialise stores the lead occurrences of one task around a period.
func (r *recordCtx) materialise(ctx context.Context, task, period string) error {
	y := 0
	if _, err := fmt.Sscanf(period, "%4d", &y); err != nil || y < 1900 {
		return usageError("--period %q: want a period such as 2027, 2027-Q1, 2027-H1 or 2027-03", period)
	}
	p := r.cfg.Planner()
	occ := p.Plan(schedule.NewDate(y-1, 1, 1), schedule.NewDate(y+1, 12, 31), model.Filter{Task: task, LeadOnly: true})
	var rows []duty.Occurrence
	for _, o := range occ {
		if o.Period != period {
			continue
		}
		row := duty.Occurrence{ScheduleID: o.Task.Schedule.ID, TaskID: o.Task.ID, Period: o.Period,
			NamedAgencyID: o.Assignee.Named.ID, Role: o.Role, Due: o.Due, EffectiveDue: o.EffectiveDue, State: duty.StateOpen}
		if o.Assignee.Agency != nil {
			row.AgencyID = o.Assignee.Agency.ID
		} else {
			row.State = duty.StateUnassigned
		}
		rows = append(rows, row)
	}
	_, err := r.store.UpsertOccurrences(ctx, rows)
	return err
}

// occFlags registers --task, --agency and --period, which name one duty.
type occFlags struct{ task, agency, period *string }

func newOccFlags(fs *flag.FlagSet) occFlags {
	return occFlags{fs.String("task", "", "task id"), fs.String("agency", "", "agency id"), fs.String("period", "", "period (kỳ)")}
}

func (r *recordCtx) findFlags(ctx context.Context, f occFlags) (duty.Occurrence, error) {
	return r.find(ctx, *f.task, *f.agency, *f.period)
}

func cmdSubmit(e env, args []string) error {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	of := newOccFlags(fs)
	ref := fs.String("ref", "", "số ký hiệu of the document")
	dateS := fs.String("date", "", "date submitted YYYY-MM-DD (default: today)")
	note := fs.String("note", "", "note")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	ctx := context.Background()
	o, err := r.findFlags(ctx, of)
	if err != nil {
		return err
	}
	on := today(e, r.cfg.Location)
	if *dateS != "" {
		if on, err = parseDateFlag("date", *dateS); err != nil {
			return err
		}
	}
	if on > today(e, r.cfg.Location) {
		return usageError("--date %s is in the future", on)
	}
	quota := r.task(o).Quota()
	err = r.store.RecordSubmission(ctx, duty.Submission{OccurrenceID: o.ID, Ref: *ref, SubmittedOn: on, Note: *note, RecordedBy: r.actor, Via: duty.ViaCLI, Quota: quota})
	if errors.Is(err, duty.ErrAlreadyRecorded) {
		fmt.Fprintf(e.stdout, "Đã ghi nhận trước đó: %s kỳ %s của %s đã nộp.\n", o.TaskID, r.period(o), o.AgencyID)
		return nil
	}
	if err != nil {
		return err
	}
	late := ""
	if on > o.Deadline {
		late = fmt.Sprintf(" (muộn %d ngày)", on-o.Deadline)
	}
	if quota > 1 {
		counts, err := r.store.QuotaCounts(ctx, o.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Đã ghi nhận: %s kỳ %s của %s thực hiện ngày %s, số ký hiệu %q: đã thực hiện %d/%d %s.\n",
			o.TaskID, r.period(o), o.AgencyID, on.VN(), *ref, counts[o.ID], quota, r.task(o).QuotaUnit())
		return nil
	}
	fmt.Fprintf(e.stdout, "Đã ghi nhận: %s kỳ %s của %s nộp ngày %s%s, số ký hiệu %q.\n", o.TaskID, r.period(o), o.AgencyID, on.VN(), late, *ref)
	return nil
}

func cmdWaive(e env, args []string) error {
	fs := flag.NewFlagSet("waive", flag.ContinueOnError)
	of := newOccFlags(fs)
	reason := fs.String("reason", "", "why (required)")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	if strings.TrimSpace(*reason) == "" {
		return usageError("--reason is required")
	}
	ctx := context.Background()
	o, err := r.findFlags(ctx, of)
	if err != nil {
		return err
	}
	if err := r.store.Waive(ctx, o.ID, *reason, r.actor); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Đã miễn: %s kỳ %s của %s. Lý do: %s\n", o.TaskID, r.period(o), o.AgencyID, *reason)
	return nil
}

func cmdExtend(e env, args []string) error {
	fs := flag.NewFlagSet("extend", flag.ContinueOnError)
	of := newOccFlags(fs)
	untilS := fs.String("until", "", "new due date YYYY-MM-DD (required)")
	reason := fs.String("reason", "", "why (required)")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	if strings.TrimSpace(*reason) == "" || *untilS == "" {
		return usageError("--until and --reason are required")
	}
	until, err := parseDateFlag("until", *untilS)
	if err != nil {
		return err
	}
	ctx := context.Background()
	o, err := r.findFlags(ctx, of)
	if err != nil {
		return err
	}
	if err := r.store.Extend(ctx, o.ID, until, *reason, r.actor); err != nil {
		if errors.Is(err, duty.ErrNotLater) {
			return usageError("--until %s does not move the deadline %s later", until, o.Deadline)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Đã gia hạn: %s kỳ %s của %s đến ngày %s. Lý do: %s\n", o.TaskID, r.period(o), o.AgencyID, until.VN(), *reason)
	return nil
}

func cmdStatus(e env, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	year := fs.Int("year", 0, "year of the deadlines (default: this year)")
	agency := fs.String("agency", "", "only this agency")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	if *year == 0 {
		*year = today(e, r.cfg.Location).Year()
	}
	rows, err := r.store.OccurrencesBetween(context.Background(), schedule.NewDate(*year, 1, 1), schedule.NewDate(*year, 12, 31), *agency)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NHIỆM VỤ\tKỲ\tCƠ QUAN\tHẠN\tTRẠNG THÁI")
	counts := map[string]int{}
	for _, o := range rows {
		st := stateVN(o, today(e, r.cfg.Location))
		counts[st]++
		who := o.AgencyID
		if who == "" {
			who = "?" + o.NamedAgencyID
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.TaskID, r.period(o), who, o.Deadline.VN(), st)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d nghĩa vụ năm %d", len(rows), *year)
	for _, k := range []string{"đã nộp", "quá hạn", "trong hạn", "đã miễn", "chưa có cơ quan nhận", "trước khi theo dõi"} {
		if counts[k] > 0 {
			fmt.Fprintf(e.stdout, "; %s: %d", k, counts[k])
		}
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func stateVN(o duty.Occurrence, today schedule.Date) string {
	switch o.State {
	case duty.StateSubmitted:
		return "đã nộp"
	case duty.StateWaived:
		return "đã miễn"
	case duty.StateUnassigned:
		return "chưa có cơ quan nhận"
	case duty.StateHistory:
		return "trước khi theo dõi"
	}
	if o.Deadline < today {
		return "quá hạn"
	}
	return "trong hạn"
}

// cmdImport records past submissions from CSV: task,agency,period,ref,date,note
// with a header line. Every line is checked first; nothing is recorded if
// any line is wrong, and each wrong line is reported with its number.
func cmdImport(e env, args []string) error {
	fs := flag.NewFlagSet("import-submissions", flag.ContinueOnError)
	r, pos, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	if len(pos) != 1 {
		return usageError("usage: nhachan import-submissions FILE.csv")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return exitError{code: exitConfig, msg: fmt.Sprintf("%s:1: cannot read the header: %v", pos[0], err)}
	}
	want := []string{"task", "agency", "period", "ref", "date", "note"}
	if len(header) < 5 || strings.Join(header[:5], ",") != strings.Join(want[:5], ",") {
		return exitError{code: exitConfig, msg: fmt.Sprintf("%s:1: the header must be %s", pos[0], strings.Join(want, ","))}
	}
	ctx := context.Background()
	type rec struct {
		line int
		occ  duty.Occurrence
		s    duty.Submission
	}
	var recs []rec
	var problems []string
	for line := 2; ; line++ {
		f, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", pos[0], line, err))
			continue
		}
		if len(f) < 5 {
			problems = append(problems, fmt.Sprintf("%s:%d: want at least 5 fields, got %d", pos[0], line, len(f)))
			continue
		}
		on, err := schedule.ParseDate(strings.TrimSpace(f[4]))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", pos[0], line, err))
			continue
		}
		o, err := r.find(ctx, strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), strings.TrimSpace(f[2]))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", pos[0], line, err))
			continue
		}
		note := ""
		if len(f) > 5 {
			note = f[5]
		}
		recs = append(recs, rec{line, o, duty.Submission{OccurrenceID: o.ID, Ref: f[3], SubmittedOn: on, Note: note, RecordedBy: r.actor, Via: duty.ViaImport, Quota: r.task(o).Quota()}})
	}
	if len(problems) > 0 {
		return exitError{code: exitConfig, msg: strings.Join(problems, "\n") + "\nnothing was imported"}
	}
	n, dup := 0, 0
	for _, x := range recs {
		err := r.store.RecordSubmission(ctx, x.s)
		switch {
		case errors.Is(err, duty.ErrAlreadyRecorded):
			dup++
		case err != nil:
			return fmt.Errorf("%s:%d: %w (lines before it were imported)", pos[0], x.line, err)
		default:
			n++
		}
	}
	fmt.Fprintf(e.stdout, "Đã nhập %d báo cáo đã nộp; %d đã có từ trước.\n", n, dup)
	return nil
}
