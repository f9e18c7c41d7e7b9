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
	"github.com/ninhthuan/nhachan/internal/httpui"
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
	dbPath := fs.String("db", "", "tệp cơ sở dữ liệu SQLite (mặc định: theo cấu hình)")
	by := fs.String("by", "", "người ghi nhận, lưu vào nhật ký (mặc định: cli:$USER)")
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
		return duty.Occurrence{}, usageError("cần đủ --task, --agency và --period")
	}
	// "PLAN/ID" names a task of one plan; a bare id must be in one plan
	// only. A plan named explicitly is taken as given, so that a duty of a
	// task since removed from the configuration can still be recorded.
	plan, id := model.SplitTaskRef(task)
	if t, err := r.cfg.Planner().FindTask(task); err == nil {
		plan, id = t.Schedule.ID, t.ID
	} else if plan == "" {
		return duty.Occurrence{}, usageError("--task %q: %v%s", task, err, config.DidYouMean(task, taskIDs(r.cfg)))
	}
	rows, err := r.store.FindPlanOccurrences(ctx, plan, id, agency, period)
	if err != nil {
		return duty.Occurrence{}, err
	}
	if len(rows) == 0 {
		// Nothing stored: the names must exist to plan it.
		if _, ok := r.cfg.Directory.Agency(agency); !ok {
			return duty.Occurrence{}, usageError("--agency %q: không có cơ quan này trong danh bạ%s", agency, config.DidYouMean(agency, agencyIDs(r.cfg)))
		}
		if err := r.materialise(ctx, plan, id, period); err != nil {
			return duty.Occurrence{}, err
		}
		if rows, err = r.store.FindPlanOccurrences(ctx, plan, id, agency, period); err != nil {
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
	return duty.Occurrence{}, exitError{code: exitFail, msg: fmt.Sprintf("%d nghĩa vụ khớp; hãy ghi mã cơ quan thực hiện", len(rows))}
}

// materialise stores the lead occurrences of one task around a period.
func (r *recordCtx) materialise(ctx context.Context, plan, task, period string) error {
	y := 0
	if _, err := fmt.Sscanf(period, "%4d", &y); err != nil || y < 1900 {
		return usageError("--period %q: kỳ viết dạng 2027, 2027-Q1, 2027-H1 hoặc 2027-03", period)
	}
	p := r.cfg.Planner()
	occ := p.Plan(schedule.NewDate(y-1, 1, 1), schedule.NewDate(y+1, 12, 31), model.Filter{Schedule: plan, Task: task, LeadOnly: true})
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
	return occFlags{fs.String("task", "", "nhiệm vụ: KẾ-HOẠCH/MÃ, hoặc MÃ khi chỉ một kế hoạch có mã đó (bắt buộc)"), fs.String("agency", "", "mã cơ quan (bắt buộc)"), fs.String("period", "", "kỳ: 2027, 2027-H1, 2027-Q1, 2027-03… (bắt buộc)")}
}

func (r *recordCtx) findFlags(ctx context.Context, f occFlags) (duty.Occurrence, error) {
	return r.find(ctx, *f.task, *f.agency, *f.period)
}

func cmdSubmit(e env, args []string) error {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	of := newOccFlags(fs)
	ref := fs.String("ref", "", "số ký hiệu văn bản đã nộp")
	dateS := fs.String("date", "", "ngày nộp, dd/mm/yyyy hoặc YYYY-MM-DD (mặc định: hôm nay)")
	note := fs.String("note", "", "ghi chú")
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
		return usageError("--date %s là ngày trong tương lai", on.VN())
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
	reason := fs.String("reason", "", "lý do (bắt buộc)")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	if strings.TrimSpace(*reason) == "" {
		return usageError("cần --reason (lý do)")
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
	untilS := fs.String("until", "", "hạn mới, dd/mm/yyyy hoặc YYYY-MM-DD (bắt buộc)")
	reason := fs.String("reason", "", "lý do (bắt buộc)")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	if strings.TrimSpace(*reason) == "" || *untilS == "" {
		return usageError("cần --until (hạn mới) và --reason (lý do)")
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
			return usageError("--until %s không lùi được hạn %s: hạn mới phải sau hạn hiện tại", until.VN(), o.Deadline.VN())
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Đã gia hạn: %s kỳ %s của %s đến ngày %s. Lý do: %s\n", o.TaskID, r.period(o), o.AgencyID, until.VN(), *reason)
	return nil
}

func cmdStatus(e env, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	year := fs.Int("year", 0, "năm của hạn (mặc định: năm nay)")
	agency := fs.String("agency", "", "chỉ cơ quan có mã này")
	r, _, err := openRecords(e, fs, args)
	if err != nil {
		return err
	}
	defer r.store.Close()
	dir := r.cfg.Directory
	if *agency != "" {
		if _, ok := dir.Agency(*agency); !ok {
			return usageError("--agency %q: không có cơ quan này trong danh bạ%s", *agency, config.DidYouMean(*agency, agencyIDs(r.cfg)))
		}
	}
	if *year == 0 {
		*year = today(e, r.cfg.Location).Year()
	}
	all, err := r.store.BoardRows(context.Background(), *year)
	if err != nil {
		return err
	}
	var rows []duty.BoardRow
	for _, o := range all {
		if *agency == "" || o.AgencyID == *agency || o.NamedAgencyID == *agency {
			rows = append(rows, o)
		}
	}
	day := today(e, r.cfg.Location)
	p := r.cfg.Planner()
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NHIỆM VỤ\tKỲ\tCƠ QUAN\tHẠN\tTRẠNG THÁI\tGHI CHÚ")
	counts := map[httpui.Status]int{}
	extended := 0
	for _, o := range rows {
		st := httpui.StatusOf(o, day)
		counts[st]++
		who := o.AgencyID
		var notes []string
		if who == "" {
			who = "—"
			// Who the plan named, and why nobody answers for it now.
			note := "cơ quan được giao: " + o.NamedAgencyID
			if a, ok := dir.Agency(o.NamedAgencyID); ok {
				note = "cơ quan được giao: " + a.Name
				if why := dir.WhyUnassigned(a, o.Deadline); why != "" {
					note = strings.TrimSuffix(why, ".")
				}
			}
			notes = append(notes, note)
		}
		if o.ExtendedDue != 0 {
			extended++
			notes = append(notes, fmt.Sprintf("đã gia hạn đến %s (hạn ban đầu %s)", o.ExtendedDue.VN(), o.EffectiveDue.VN()))
		}
		if o.State == duty.StateWaived {
			notes = append(notes, "đã miễn thực hiện")
		}
		if o.Submitted() {
			notes = append(notes, "nộp ngày "+o.SubmittedOn.VN())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Ref(o.ScheduleID, o.TaskID), r.period(o.Occurrence), who, o.Deadline.VN(), st.Label(), strings.Join(notes, "; "))
	}
	tw.Flush()
	if len(rows) == 0 && *agency == "" {
		fmt.Fprintln(e.stdout, emptyYearNote(context.Background(), r.store, r.cfg, *year, day))
	}
	scope := ""
	if *agency != "" {
		scope = " của " + *agency
	}
	fmt.Fprintf(e.stdout, "%d nghĩa vụ%s có hạn trong năm %d", len(rows), scope, *year)
	for _, st := range httpui.Statuses() {
		if counts[st] > 0 {
			fmt.Fprintf(e.stdout, "; %s: %d", st.Label(), counts[st])
		}
	}
	if extended > 0 {
		fmt.Fprintf(e.stdout, "; trong đó %d được gia hạn", extended)
	}
	fmt.Fprintln(e.stdout)
	return nil
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
		return usageError("nhachan import-submissions: cần đúng một tệp CSV\nXem: nhachan import-submissions --help")
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
		return exitError{code: exitConfig, msg: fmt.Sprintf("%s:1: không đọc được dòng tiêu đề: %v", pos[0], err)}
	}
	want := []string{"task", "agency", "period", "ref", "date", "note"}
	if len(header) < 5 || strings.Join(header[:5], ",") != strings.Join(want[:5], ",") {
		return exitError{code: exitConfig, msg: fmt.Sprintf("%s:1: dòng tiêu đề phải là %s", pos[0], strings.Join(want, ","))}
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
			problems = append(problems, fmt.Sprintf("%s:%d: cần ít nhất 5 cột, dòng này có %d", pos[0], line, len(f)))
			continue
		}
		on, err := schedule.ParseDateInput(f[4])
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
		return exitError{code: exitConfig, msg: strings.Join(problems, "\n") + "\nchưa nhập dòng nào"}
	}
	n, dup := 0, 0
	for _, x := range recs {
		err := r.store.RecordSubmission(ctx, x.s)
		switch {
		case errors.Is(err, duty.ErrAlreadyRecorded):
			dup++
		case err != nil:
			return fmt.Errorf("%s:%d: %w (các dòng trước đó đã được nhập)", pos[0], x.line, err)
		default:
			n++
		}
	}
	fmt.Fprintf(e.stdout, "Đã nhập %d báo cáo đã nộp; %d đã có từ trước.\n", n, dup)
	return nil
}
