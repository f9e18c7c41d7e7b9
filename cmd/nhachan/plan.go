package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/model"
)

// planRow is the stable JSON (and CSV) contract of `nhachan plan`.
type planRow struct {
	Task         string   `json:"task"`
	Period       string   `json:"period"`
	Due          string   `json:"due"`
	EffectiveDue string   `json:"effective_due"`
	Agency       string   `json:"agency"`
	AgencyName   string   `json:"agency_name"`
	Role         string   `json:"role"`
	To           []string `json:"to"`
	Quota        int      `json:"quota,omitempty"`
	Unassigned   bool     `json:"unassigned,omitempty"`
	Reason       string   `json:"reason,omitempty"`
	// RuleDue is the province's date when working_days_before makes the
	// agency's due earlier; DataFrom and DataTo the period's data cut-off.
	RuleDue  string `json:"rule_due,omitempty"`
	DataFrom string `json:"data_from,omitempty"`
	DataTo   string `json:"data_to,omitempty"`
}

func toRow(p *model.Planner, o model.Occurrence) planRow {
	dir := p.Directory
	r := planRow{
		Task: o.Task.Ref(p), Period: o.Period, Due: o.Due.String(), EffectiveDue: o.EffectiveDue.String(),
		Role: o.Role.String(), Quota: int(o.Quota), To: []string{},
	}
	if rd := o.RuleDue(); rd != o.Due {
		r.RuleDue = rd.String()
	}
	if from, to, ok := o.Task.CutoffWindow(o.Period); ok {
		r.DataFrom, r.DataTo = from.String(), to.String()
	}
	if o.Assignee.Unassigned() {
		r.Agency, r.AgencyName = o.Assignee.Named.ID, o.Assignee.Named.Name
		r.Unassigned, r.Reason = true, dir.WhyUnassigned(o.Assignee.Named, o.EffectiveDue)
		return r
	}
	r.Agency, r.AgencyName = o.Assignee.Agency.ID, o.Assignee.Agency.Name
	r.To = append(r.To, o.Assignee.Agency.Email...)
	return r
}

func cmdPlan(e env, args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fromS := fs.String("from", "", "hạn đầu tiên của khoảng, dd/mm/yyyy hoặc YYYY-MM-DD (bắt buộc)")
	toS := fs.String("to", "", "hạn cuối cùng của khoảng, dd/mm/yyyy hoặc YYYY-MM-DD (bắt buộc)")
	agency := fs.String("agency", "", "chỉ cơ quan này (cơ quan thực hiện hoặc được kế hoạch giao)")
	task := fs.String("task", "", "chỉ nhiệm vụ có mã này")
	leadOnly := fs.Bool("lead-only", false, "bỏ các cơ quan phối hợp, chỉ giữ cơ quan chủ trì")
	format := fs.String("format", "table", "table (bảng), json hoặc csv")
	cfgFile := configFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan plan: thừa đối số %q\nXem: nhachan plan --help", pos[0])
	}
	from, to, err := parseRange(*fromS, *toS, "nhachan plan: cần --from và --to (dd/mm/yyyy hoặc YYYY-MM-DD)\nXem: nhachan plan --help")
	if err != nil {
		return err
	}
	switch *format {
	case "table", "json", "csv":
	default:
		return usageError("--format %q: chỉ nhận table, json hoặc csv", *format)
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	if *agency != "" {
		if _, ok := cfg.Directory.Agency(*agency); !ok {
			return usageError("--agency %q: không có cơ quan này trong danh bạ%s", *agency, config.DidYouMean(*agency, agencyIDs(cfg)))
		}
	}
	p := cfg.Planner()
	f := model.Filter{Agency: *agency, LeadOnly: *leadOnly}
	if *task != "" {
		t, err := p.FindTask(*task)
		if err != nil {
			return usageError("--task %q: %v%s", *task, err, config.DidYouMean(*task, taskIDs(cfg)))
		}
		f.Schedule, f.Task = t.Schedule.ID, t.ID
	}
	occ := p.Plan(from, to, f)
	switch *format {
	case "json":
		return writePlanJSON(e.stdout, p, occ)
	case "csv":
		return writePlanCSV(e.stdout, p, occ)
	}
	return writePlanTable(e.stdout, p, occ)
}

func writePlanJSON(w io.Writer, p *model.Planner, occ []model.Occurrence) error {
	rows := make([]planRow, 0, len(occ))
	for _, o := range occ {
		rows = append(rows, toRow(p, o))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func writePlanCSV(w io.Writer, p *model.Planner, occ []model.Occurrence) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"task", "period", "due", "effective_due", "agency", "agency_name", "role", "to", "quota", "unassigned", "reason"})
	for _, o := range occ {
		r := toRow(p, o)
		quota := ""
		if r.Quota > 0 {
			quota = fmt.Sprint(r.Quota)
		}
		unassigned := ""
		if r.Unassigned {
			unassigned = "true"
		}
		_ = cw.Write([]string{r.Task, r.Period, r.Due, r.EffectiveDue, csvSafe(r.Agency), csvSafe(r.AgencyName), r.Role,
			csvSafe(strings.Join(r.To, ";")), quota, unassigned, csvSafe(r.Reason)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formula injection: a cell an admin opens in
// Excel must not run "=HYPERLINK(…)" from a name in the directory.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writePlanTable(w io.Writer, p *model.Planner, occ []model.Occurrence) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NHIỆM VỤ\tKỲ\tHẠN\tHẠN THỰC TẾ\tVAI TRÒ\tCƠ QUAN")
	for _, o := range occ {
		r := toRow(p, o)
		role := "chủ trì"
		if o.Role == model.RoleCoordinating {
			role = "phối hợp"
		}
		who := r.AgencyName
		if r.Unassigned {
			who = "CHƯA CÓ CƠ QUAN NHẬN — " + r.Reason
		}
		eff := o.EffectiveDue.VN()
		if o.EffectiveDue == o.Due {
			eff = "="
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Task, o.Task.PeriodText(o.Period), o.Due.VN(), eff, role, who)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d dòng\n", len(occ))
	return err
}
