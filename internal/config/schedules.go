package config

import (
	"strings"
	"unicode/utf8"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// maxWorkingDaysBefore bounds working_days_before: an internal deadline
// three months ahead of the real one is a typo, not a policy.
const maxWorkingDaysBefore = 60

// maxTitleRunes keeps a task's title short enough for a subject line.
const maxTitleRunes = 80

func (l *loader) loadSchedule(name string, from reporter, at Pos, dir *model.Directory) *model.Schedule {
	r := l.reporter(name)
	var sf scheduleFile
	if !l.read(name, &sf, from, at) {
		return nil
	}
	errsBefore := len(l.diags.Errors())
	s := &model.Schedule{
		ID: sf.ID, Title: sf.Title, Number: sf.Number, Issuer: sf.Issuer, Decision: sf.Decision, StrictBefore: sf.StrictBefore,
		FollowUp: sf.FollowUp, File: l.display(name),
	}
	if strings.Contains(sf.ID, "/") {
		r.errorf(sf.At.Key("id"), "mã kế hoạch %q: dấu \"/\" dùng để tách mã kế hoạch với mã nhiệm vụ (KẾ-HOẠCH/MÃ)", sf.ID)
	} else if !idRE.MatchString(sf.ID) && !idRE.MatchString(lowerASCII(sf.ID)) {
		r.errorf(sf.At.Key("id"), "mã kế hoạch %q: chỉ dùng chữ cái không dấu, chữ số và dấu gạch nối", sf.ID)
	}
	if sf.At.Has("review") {
		r.errorf(sf.At.Key("review"), "review: bản nháp còn chỗ cần xem xét: %s (xử lý từng mục rồi xóa khóa review)", reviewText(sf.Review))
	}
	if sf.Issued != nil {
		s.Issued = *sf.Issued
	}
	if sf.Period != nil {
		s.From, s.Until = sf.Period.From, sf.Period.Until
		if s.Until < s.From {
			r.errorf(sf.Period.At.Key("until"), "period.until %s trước period.from %s", s.Until, s.From)
		}
	}
	if sf.FollowUp != "" {
		if _, ok := dir.Agency(sf.FollowUp); !ok {
			r.errorf(sf.At.Key("follow_up"), "follow_up: không có cơ quan %q trong danh bạ%s", sf.FollowUp, didYouMean(sf.FollowUp, dirIDs(dir)))
		}
	}
	sections := map[string]bool{}
	var sectionIDs []string
	for _, sec := range sf.Sections {
		sectionIDs = append(sectionIDs, sec.ID)
		if sections[sec.ID] {
			r.errorf(sec.At.Key("id"), "mã mục %q bị trùng", sec.ID)
		}
		sections[sec.ID] = true
		s.Sections = append(s.Sections, model.Section{ID: sec.ID, Title: sec.Title})
	}
	opt := schedule.Options{StrictBefore: sf.StrictBefore}
	taskIDs := map[string]string{} // unique within the plan, not across plans
	for _, t := range sf.Tasks {
		if t.ID == "" {
			continue // reported as missing
		}
		if prev, dup := taskIDs[t.ID]; dup {
			r.errorf(t.At.Key("id"), "mã nhiệm vụ %q bị trùng trong kế hoạch %s (đã khai báo ở %s)", t.ID, sf.ID, prev)
			continue
		}
		taskIDs[t.ID] = r.file + ":" + itoa(t.At.Key("id").Line)
		if strings.Contains(t.ID, "/") {
			r.errorf(t.At.Key("id"), "mã nhiệm vụ %q: dấu \"/\" dùng để tách mã kế hoạch với mã nhiệm vụ (KẾ-HOẠCH/MÃ)", t.ID)
		}
		if t.At.Has("review") {
			r.errorf(t.At.Key("review"), "nhiệm vụ %s: review: bản nháp còn chỗ cần xem xét: %s (xử lý từng mục rồi xóa khóa review)", t.ID, reviewText(t.Review))
		}
		if len(sf.Sections) > 0 && !sections[t.Section] {
			r.errorf(t.At.Key("section"), "nhiệm vụ %s: không có mục %q%s", t.ID, t.Section, didYouMean(t.Section, sectionIDs))
		}
		checkRefs(r, dir, t.At.Key("lead"), t.ID, "lead", t.Lead)
		checkRefs(r, dir, t.At.Key("coordinating"), t.ID, "coordinating", t.Coordinating)
		if len(t.Lead) == 0 && t.At.Has("lead") {
			r.errorf(t.At.Key("lead"), "nhiệm vụ %s: lead để trống: ghi ít nhất một cơ quan hoặc nhóm chủ trì", t.ID)
		}
		if t.WorkingDaysBefore < 0 || t.WorkingDaysBefore > maxWorkingDaysBefore {
			r.errorf(t.At.Key("working_days_before"), "nhiệm vụ %s: working_days_before phải từ 0 đến %d", t.ID, maxWorkingDaysBefore)
		}
		task := &model.Task{Schedule: s,
			ID: t.ID, Section: t.Section, Title: t.Title, Text: t.Task, Product: t.Product, Time: t.Time,
			Rule: t.Rule, RuleSource: t.RuleSource, LeadText: t.LeadText, Lead: t.Lead,
			CoordText: t.CoordinatingText, Coordinating: t.Coordinating, Note: t.Note,
			LegalBasis: t.LegalBasis, WorkingDaysBefore: t.WorkingDaysBefore, ReminderDays: t.ReminderDays,
			Line: t.At.Line, Col: t.At.Col, RemindOnly: t.Escalate != nil && !*t.Escalate,
			PlansNextYear: t.PlansNextYear,
		}
		if strings.ContainsAny(t.Title, "\r\n") || utf8.RuneCountInString(t.Title) > maxTitleRunes {
			r.errorf(t.At.Key("title"), "nhiệm vụ %s: title chỉ viết trên một dòng, tối đa %d ký tự", t.ID, maxTitleRunes)
		}
		if t.Time == "" && t.At.Has("time") {
			r.errorf(t.At.Key("time"), "nhiệm vụ %s: time để trống: chép nguyên văn thời gian thực hiện trong văn bản", t.ID)
		}
		task.Parsed = schedule.Parse(task.Expression(), opt)
		if t.PlansNextYear && !task.Parsed.Kind.HasDueDates() {
			r.errorf(t.At.Key("plans_next_year"), "nhiệm vụ %s: plans_next_year chỉ dùng cho nhiệm vụ có hạn", t.ID)
		}
		if t.At.Has("rule") {
			switch {
			case t.Rule == "":
				r.errorf(t.At.Key("rule"), "nhiệm vụ %s: rule để trống: xóa khóa này hoặc ghi một biểu thức thời hạn", t.ID)
			case !task.Parsed.Kind.HasDueDates():
				r.errorf(t.At.Key("rule"), "nhiệm vụ %s: rule %q không cho ra hạn nào (%s): %s", t.ID, t.Rule, task.Parsed.Kind, task.Parsed.Reason)
			}
			if t.RuleSource == "" {
				r.errorf(t.At.Key("rule"), "nhiệm vụ %s: có rule thì phải có rule_source: ghi văn bản quy định thời hạn này", t.ID)
			}
		} else if t.RuleSource != "" {
			r.errorf(t.At.Key("rule_source"), "nhiệm vụ %s: có rule_source nhưng không có rule", t.ID)
		}
		if t.At.Has("data_cutoff") {
			checkCutoff(r, t.At.Key("data_cutoff"), task, t.DataCutoff)
		}
		switch task.Parsed.Kind {
		case schedule.KindUnresolved:
			r.warnf(t.At.Key("time"), "nhiệm vụ %s chưa xác định được hạn: %s", t.ID, task.Parsed.Reason)
		case schedule.KindContinuous:
			r.warnf(t.At.Key("time"), "nhiệm vụ %s là nhiệm vụ thường xuyên (%q): không có hạn cụ thể nên không được nhắc", t.ID, t.Time)
		case schedule.KindOnDemand:
			r.warnf(t.At.Key("time"), "nhiệm vụ %s thực hiện theo yêu cầu (%q): chưa có hạn cho đến khi được ấn định", t.ID, t.Time)
		}
		s.Tasks = append(s.Tasks, task)
	}
	if len(l.diags.Errors()) > errsBefore {
		return nil
	}
	return s
}

// checkRefs reports ids that are neither an agency nor a group.
func checkRefs(r reporter, dir *model.Directory, p Pos, task, key string, ids []string) {
	seen := map[string]bool{}
	for _, id := range ids {
		_, isAgency := dir.Agency(id)
		_, isGroup := dir.Group(id)
		if !isAgency && !isGroup {
			r.errorf(p, "nhiệm vụ %s: %s ghi %q, không có cơ quan hay nhóm nào mang mã này%s", task, key, id, didYouMean(id, dirIDs(dir)))
		}
		if seen[id] {
			r.errorf(p, "nhiệm vụ %s: %s ghi %q hai lần", task, key, id)
		}
		seen[id] = true
	}
}

// dirIDs lists every agency and group id of the directory, for
// suggestions.
func dirIDs(dir *model.Directory) []string {
	if dir == nil {
		return nil
	}
	var ids []string
	for _, a := range dir.Agencies() {
		ids = append(ids, a.ID)
	}
	for _, g := range dir.Groups() {
		ids = append(ids, g.ID)
	}
	return ids
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// checkCutoff reads a task's data_cutoff (thời gian chốt số liệu, Nghị định
// 09/2019/NĐ-CP, Điều 12) and checks that it fits the task's deadlines: the
// same cycle, a window for every period, and the window closed before the
// report is due.
func checkCutoff(r reporter, p Pos, task *model.Task, text string) {
	if text == "" {
		r.errorf(p, "nhiệm vụ %s: data_cutoff để trống: xóa khóa này hoặc chép nguyên văn thời gian chốt số liệu của chế độ báo cáo", task.ID)
		return
	}
	c, why := schedule.ParseCutoff(text)
	if why != "" {
		r.errorf(p, "nhiệm vụ %s: data_cutoff: %s", task.ID, why)
		return
	}
	if !task.Parsed.Kind.HasDueDates() {
		r.errorf(p, "nhiệm vụ %s: data_cutoff chỉ dùng cho nhiệm vụ có hạn (thời hạn của nhiệm vụ này: %s)", task.ID, task.Parsed.Kind.Label())
		return
	}
	// Two years, one of them leap, cover every shape of window.
	for _, y := range []int{2027, 2028} {
		for _, o := range task.Parsed.Occurrences(y) {
			from, to, ok := c.Window(o.Period, y)
			switch {
			case !ok:
				r.errorf(p, "nhiệm vụ %s: data_cutoff %q không cho ra khoảng chốt số liệu của kỳ %s (chốt số liệu %s, còn thời hạn nhiệm vụ %s)",
					task.ID, text, o.Period, c.Kind().Label(), task.Parsed.Kind.Label())
				return
			case to >= o.Due:
				r.errorf(p, "nhiệm vụ %s: data_cutoff kết thúc ngày %s, không trước hạn %s của kỳ %s",
					task.ID, to.VN(), o.Due.VN(), o.Period)
				return
			case from > to:
				r.errorf(p, "nhiệm vụ %s: data_cutoff của kỳ %s bắt đầu ngày %s, sau ngày kết thúc %s", task.ID, o.Period, from.VN(), to.VN())
				return
			}
		}
	}
	task.DataCutoff, task.Cutoff = text, c
}

// reviewText joins an import's review items for one message.
func reviewText(items []string) string {
	if len(items) == 0 {
		return "(danh sách trống)"
	}
	return strings.Join(items, "; ")
}
