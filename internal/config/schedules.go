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

func (l *loader) loadSchedule(name string, from reporter, at Pos, dir *model.Directory, taskIDs map[string]string) *model.Schedule {
	r := l.reporter(name)
	var sf scheduleFile
	if !l.read(name, &sf, from, at) {
		return nil
	}
	errsBefore := len(l.diags.Errors())
	s := &model.Schedule{
		ID: sf.ID, Title: sf.Title, Decision: sf.Decision, StrictBefore: sf.StrictBefore,
		FollowUp: sf.FollowUp, File: l.display(name),
	}
	if !idRE.MatchString(sf.ID) && !idRE.MatchString(lowerASCII(sf.ID)) {
		r.errorf(sf.At.Key("id"), "schedule id %q: use ASCII letters, digits and hyphens", sf.ID)
	}
	if sf.Issued != nil {
		s.Issued = *sf.Issued
	}
	if sf.Period != nil {
		s.From, s.Until = sf.Period.From, sf.Period.Until
		if s.Until < s.From {
			r.errorf(sf.Period.At.Key("until"), "period.until %s is before period.from %s", s.Until, s.From)
		}
	}
	if sf.FollowUp != "" {
		if _, ok := dir.Agency(sf.FollowUp); !ok {
			r.errorf(sf.At.Key("follow_up"), "follow_up: unknown agency %q", sf.FollowUp)
		}
	}
	sections := map[string]bool{}
	for _, sec := range sf.Sections {
		if sections[sec.ID] {
			r.errorf(sec.At.Key("id"), "duplicate section id %q", sec.ID)
		}
		sections[sec.ID] = true
		s.Sections = append(s.Sections, model.Section{ID: sec.ID, Title: sec.Title})
	}
	opt := schedule.Options{StrictBefore: sf.StrictBefore}
	for _, t := range sf.Tasks {
		if t.ID == "" {
			continue // reported as missing
		}
		if prev, dup := taskIDs[t.ID]; dup {
			r.errorf(t.At.Key("id"), "duplicate task id %q (first defined at %s)", t.ID, prev)
			continue
		}
		taskIDs[t.ID] = r.file + ":" + itoa(t.At.Key("id").Line)
		if len(sf.Sections) > 0 && !sections[t.Section] {
			r.errorf(t.At.Key("section"), "task %s: unknown section %q", t.ID, t.Section)
		}
		checkRefs(r, dir, t.At.Key("lead"), t.ID, "lead", t.Lead)
		checkRefs(r, dir, t.At.Key("coordinating"), t.ID, "coordinating", t.Coordinating)
		if len(t.Lead) == 0 && t.At.Has("lead") {
			r.errorf(t.At.Key("lead"), "task %s: lead is empty: name at least one agency or group", t.ID)
		}
		if t.WorkingDaysBefore < 0 || t.WorkingDaysBefore > maxWorkingDaysBefore {
			r.errorf(t.At.Key("working_days_before"), "task %s: working_days_before must be between 0 and %d", t.ID, maxWorkingDaysBefore)
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
			r.errorf(t.At.Key("title"), "task %s: title must be one line of at most %d characters", t.ID, maxTitleRunes)
		}
		if t.Time == "" && t.At.Has("time") {
			r.errorf(t.At.Key("time"), "task %s: time is empty: copy the decision's time expression", t.ID)
		}
		task.Parsed = schedule.Parse(task.Expression(), opt)
		if t.PlansNextYear && !task.Parsed.Kind.HasDueDates() {
			r.errorf(t.At.Key("plans_next_year"), "task %s: plans_next_year needs a task with due dates", t.ID)
		}
		if t.At.Has("rule") {
			switch {
			case t.Rule == "":
				r.errorf(t.At.Key("rule"), "task %s: rule is empty: remove it or give an expression", t.ID)
			case !task.Parsed.Kind.HasDueDates():
				r.errorf(t.At.Key("rule"), "task %s: rule %q gives no due date (%s): %s", t.ID, t.Rule, task.Parsed.Kind, task.Parsed.Reason)
			}
			if t.RuleSource == "" {
				r.errorf(t.At.Key("rule"), "task %s: rule needs rule_source: cite where the date comes from", t.ID)
			}
		} else if t.RuleSource != "" {
			r.errorf(t.At.Key("rule_source"), "task %s: rule_source without rule", t.ID)
		}
		if t.At.Has("data_cutoff") {
			checkCutoff(r, t.At.Key("data_cutoff"), task, t.DataCutoff)
		}
		switch task.Parsed.Kind {
		case schedule.KindUnresolved:
			r.warnf(t.At.Key("time"), "task %s is unresolved: %s", t.ID, task.Parsed.Reason)
		case schedule.KindContinuous:
			r.warnf(t.At.Key("time"), "task %s is continuous (%q): it has no due date and nothing is reminded", t.ID, t.Time)
		case schedule.KindOnDemand:
			r.warnf(t.At.Key("time"), "task %s is on demand (%q): it has no due date until one is set", t.ID, t.Time)
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
			r.errorf(p, "task %s: %s names unknown agency or group %q", task, key, id)
		}
		if seen[id] {
			r.errorf(p, "task %s: %s names %q twice", task, key, id)
		}
		seen[id] = true
	}
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
		r.errorf(p, "task %s: data_cutoff is empty: remove it or copy the regime's words", task.ID)
		return
	}
	c, why := schedule.ParseCutoff(text)
	if why != "" {
		r.errorf(p, "task %s: data_cutoff: %s", task.ID, why)
		return
	}
	if !task.Parsed.Kind.HasDueDates() {
		r.errorf(p, "task %s: data_cutoff needs a task with due dates (its time or rule is %s)", task.ID, task.Parsed.Kind)
		return
	}
	// Two years, one of them leap, cover every shape of window.
	for _, y := range []int{2027, 2028} {
		for _, o := range task.Parsed.Occurrences(y) {
			from, to, ok := c.Window(o.Period, y)
			switch {
			case !ok:
				r.errorf(p, "task %s: data_cutoff %q gives no window for period %s (a %s cut-off for a %s task)",
					task.ID, text, o.Period, c.Kind(), task.Parsed.Kind)
				return
			case to >= o.Due:
				r.errorf(p, "task %s: data_cutoff ends on %s, not before the deadline %s of period %s",
					task.ID, to, o.Due, o.Period)
				return
			case from > to:
				r.errorf(p, "task %s: data_cutoff for period %s starts on %s, after it ends on %s", task.ID, o.Period, from, to)
				return
			}
		}
	}
	task.DataCutoff, task.Cutoff = text, c
}
