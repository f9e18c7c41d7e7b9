package notify

import (
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// A small directory: Sở Nội vụ of Ninh Thuận passes to Khánh Hòa's on
// 1/7/2025; Sở LĐTBXH merged into Sở Nội vụ (so it names Sở Nội vụ as its
// successor, which must not make it Sở Nội vụ).
var (
	snv = &model.Agency{ID: "so-noi-vu", Name: "Sở Nội vụ tỉnh Ninh Thuận", Email: []string{"vanthu.snv@nt"},
		Head: model.Head{Title: "Giám đốc Sở Nội vụ", Email: "gd.snv@nt"}, ValidFrom: schedule.MinDate,
		ValidUntil: schedule.NewDate(2025, 6, 30), Successors: []string{"kh-so-noi-vu"}}
	khSnv = &model.Agency{ID: "kh-so-noi-vu", Name: "Sở Nội vụ tỉnh Khánh Hòa", Email: []string{"vanthu.snv@kh"},
		Head: model.Head{Title: "Giám đốc Sở Nội vụ", Email: "gd.snv@kh"}, ValidFrom: schedule.NewDate(2025, 7, 1),
		ValidUntil: schedule.MaxDate}
	sldtbxh = &model.Agency{ID: "so-ldtbxh", Name: "Sở LĐTBXH", Email: []string{"vt.sldtbxh@nt"},
		Head: model.Head{Title: "Giám đốc Sở LĐTBXH", Email: "gd.sldtbxh@nt"}, ValidFrom: schedule.MinDate,
		ValidUntil: schedule.NewDate(2025, 2, 28), Successors: []string{"so-noi-vu"}}
	stp = &model.Agency{ID: "so-tu-phap", Name: "Sở Tư pháp", Email: []string{"vt.stp@nt", "vp.stp@nt"},
		Head: model.Head{Title: "Giám đốc Sở Tư pháp", Email: "gd.stp@nt"}, ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
	sxd = &model.Agency{ID: "so-xay-dung", Name: "Sở Xây dựng", Email: []string{"vt.sxd@nt"},
		Head: model.Head{Email: "gd.sxd@nt"}, ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
	vp = &model.Agency{ID: "vp-ubnd", Name: "Văn phòng UBND tỉnh", Email: []string{"vt.vp@nt"},
		Head: model.Head{Title: "Chánh Văn phòng", Email: "cvp@nt"}, ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
	// shared uses one mailbox for the agency and its head.
	shared = &model.Agency{ID: "ubnd-huyen", Name: "UBND huyện", Email: []string{"ubnd@nt"},
		Head: model.Head{Title: "Chủ tịch UBND huyện", Email: "UBND@nt "}, ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}

	rcpt = Recipients{
		FollowUp: snv, FollowUpLeadership: []string{"ld1.snv@nt", "ld2.snv@nt"},
		ProvincialOffice: vp, ProvincialLeadership: []string{"ld.ubnd@nt"},
	}
)

// targetString writes targets as "addr why", a star marking a copy.
func targetString(ts []Target) string {
	var parts []string
	for _, t := range ts {
		s := t.Addr + " " + t.Why
		if t.Copy {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func TestFor(t *testing.T) {
	r7 := duty.Step{Kind: duty.Reminder, DaysBefore: 7}
	e1 := duty.Step{Kind: duty.Escalation, Level: 1}
	e2 := duty.Step{Kind: duty.Escalation, Level: 2}
	e5 := duty.Step{Kind: duty.Escalation, Level: 5}
	def := duty.DefaultPolicy()
	coord := def
	coord.RemindCoordinating = true
	digest := def
	digest.DailyDigest = true
	noCopy := def
	noCopy.CopyFollowUp = false
	noLead := rcpt
	noLead.FollowUpLeadership = nil
	both := []*model.Agency{sxd, nil, snv}

	tests := []struct {
		name   string
		r      Recipients
		agency *model.Agency
		coord  []*model.Agency
		step   duty.Step
		p      duty.Policy
		want   string
	}{
		{"reminder: the agency's mailboxes and the copy", rcpt, stp, both, r7, def,
			"vt.stp@nt agency, vp.stp@nt agency, vanthu.snv@nt follow-up-copy*"},
		{"reminder with coordinating reminded; Sở Nội vụ coordinating is reminded, not copied", rcpt, stp, both, r7, coord,
			"vt.stp@nt agency, vp.stp@nt agency, vt.sxd@nt coordinating, vanthu.snv@nt coordinating"},
		{"reminder, digest on: no copy", rcpt, stp, both, r7, digest,
			"vt.stp@nt agency, vp.stp@nt agency"},
		{"reminder, copies off", rcpt, stp, nil, r7, noCopy,
			"vt.stp@nt agency, vp.stp@nt agency"},
		{"E1: the agency, its head and the copy", rcpt, stp, both, e1, coord,
			"vt.stp@nt agency, vp.stp@nt agency, gd.stp@nt head, vanthu.snv@nt follow-up-copy*"},
		{"E2: head, Sở Nội vụ's leadership, Văn phòng UBND tỉnh, the copy", rcpt, stp, both, e2, coord,
			"gd.stp@nt head, ld1.snv@nt follow-up-leadership, ld2.snv@nt follow-up-leadership, vt.vp@nt provincial-office, vanthu.snv@nt follow-up-copy*"},
		{"a repeat is level 2 again", rcpt, stp, nil, e5, def,
			"gd.stp@nt head, ld1.snv@nt follow-up-leadership, ld2.snv@nt follow-up-leadership, vt.vp@nt provincial-office, vanthu.snv@nt follow-up-copy*"},
		{"E2, digest on", rcpt, stp, nil, e2, digest,
			"gd.stp@nt head, ld1.snv@nt follow-up-leadership, ld2.snv@nt follow-up-leadership, vt.vp@nt provincial-office"},
		{"E2 without configured leadership: Sở Nội vụ's head", noLead, stp, nil, e2, def,
			"gd.stp@nt head, gd.snv@nt follow-up-leadership, vt.vp@nt provincial-office, vanthu.snv@nt follow-up-copy*"},
		{"Sở Nội vụ leads, reminder: no copy of its own mail", rcpt, snv, nil, r7, def,
			"vanthu.snv@nt agency"},
		{"Sở Nội vụ leads, E1", rcpt, snv, nil, e1, def,
			"vanthu.snv@nt agency, gd.snv@nt head"},
		{"Sở Nội vụ leads, E2: provincial leadership instead of its own", rcpt, snv, nil, e2, def,
			"gd.snv@nt head, ld.ubnd@nt provincial-leadership, vt.vp@nt provincial-office"},
		{"its successor leads, E2: still provincial leadership", rcpt, khSnv, nil, e2, def,
			"gd.snv@kh head, ld.ubnd@nt provincial-leadership, vt.vp@nt provincial-office"},
		{"an agency merged INTO Sở Nội vụ is not Sở Nội vụ", rcpt, sldtbxh, nil, e2, def,
			"gd.sldtbxh@nt head, ld1.snv@nt follow-up-leadership, ld2.snv@nt follow-up-leadership, vt.vp@nt provincial-office, vanthu.snv@nt follow-up-copy*"},
		{"unassigned reminder: Sở Nội vụ acts, not as a copy", rcpt, nil, both, r7, coord,
			"vanthu.snv@nt unassigned"},
		{"unassigned escalation, digest on: still sent", rcpt, nil, nil, e2, digest,
			"vanthu.snv@nt unassigned"},
		{"head's mailbox is the agency's (case and space differ): once", rcpt, shared, nil, e1, def,
			"ubnd@nt agency, vanthu.snv@nt follow-up-copy*"},
		{"a head with no title gets a formal name", rcpt, sxd, nil, e2, noCopy,
			"gd.sxd@nt head, ld1.snv@nt follow-up-leadership, ld2.snv@nt follow-up-leadership, vt.vp@nt provincial-office"},
		{"no follow-up configured: nothing panics", Recipients{}, stp, nil, e2, def,
			"gd.stp@nt head"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := targetString(tt.r.For(tt.agency, tt.coord, tt.step, tt.p)); got != tt.want {
				t.Errorf("For(%v, %s)\n got %s\nwant %s", tt.agency != nil, tt.step.Key(), got, tt.want)
			}
		})
	}
}

func TestForNames(t *testing.T) {
	got := rcpt.For(sxd, nil, duty.Step{Kind: duty.Escalation, Level: 2}, duty.DefaultPolicy())
	want := []string{"Thủ trưởng Sở Xây dựng", "Lãnh đạo Sở Nội vụ tỉnh Ninh Thuận", "Lãnh đạo Sở Nội vụ tỉnh Ninh Thuận",
		"Văn phòng UBND tỉnh", "Sở Nội vụ tỉnh Ninh Thuận"}
	if len(got) != len(want) {
		t.Fatalf("got %d targets, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Name != want[i] {
			t.Errorf("target %d (%s) name %q, want %q", i, got[i].Addr, got[i].Name, want[i])
		}
	}
}

func TestRecipientsOn(t *testing.T) {
	dir := model.NewDirectory([]*model.Agency{snv, khSnv, sldtbxh, stp, vp}, nil)
	tests := []struct {
		on, want string
	}{
		{"2025-06-30", "so-noi-vu"},
		{"2025-07-01", "kh-so-noi-vu"},
	}
	for _, tt := range tests {
		t.Run(tt.on, func(t *testing.T) {
			r := rcpt.On(dir, d(tt.on))
			if r.FollowUp.ID != tt.want || r.ProvincialOffice != vp {
				t.Errorf("On(%s): follow-up %s, office %s", tt.on, r.FollowUp.ID, r.ProvincialOffice.ID)
			}
			if !r.IsFollowUp(khSnv) || r.IsFollowUp(sldtbxh) || r.IsFollowUp(stp) {
				t.Errorf("On(%s): IsFollowUp wrong", tt.on)
			}
		})
	}
	if rcpt.FollowUp != snv {
		t.Error("On changed its receiver")
	}
}
