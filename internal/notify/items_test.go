package notify

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"reflect"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// A message names a group by its name, not by its members (a group may
// hold thousands of agencies: listing them in every item made Sở Nội vụ's
// copy of one day's reminders hundreds of megabytes), and an agency by the
// agency that answers for it on the deadline.
func TestRoleNames(t *testing.T) {
	merged := schedule.NewDate(2025, 6, 30)
	var agencies []*model.Agency
	for i := range 3000 {
		id := "co-quan-" + string(rune('a'+i%26)) + schedule.NewDate(2000, 1, 1).AddDays(i).String()
		agencies = append(agencies, &model.Agency{ID: id, Name: "Cơ quan " + id, Groups: []string{"cac-co-quan"},
			ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate})
	}
	agencies = append(agencies,
		&model.Agency{ID: "so-khdt", Name: "Sở Kế hoạch và Đầu tư", ValidFrom: schedule.MinDate, ValidUntil: merged, Successors: []string{"so-tai-chinh"}},
		&model.Agency{ID: "so-tai-chinh", Name: "Sở Tài chính", ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate},
		&model.Agency{ID: "ubnd-huyen", Name: "UBND huyện A", ValidFrom: schedule.MinDate, ValidUntil: merged},
	)
	dir := model.NewDirectory(agencies, []*model.Group{{ID: "cac-co-quan", Name: "Các cơ quan thử nghiệm"}})

	for _, c := range []struct {
		ids  []string
		on   schedule.Date
		want []string
	}{
		{[]string{"cac-co-quan"}, merged, []string{"Các cơ quan thử nghiệm"}},
		{[]string{"so-khdt", "cac-co-quan"}, merged, []string{"Sở Kế hoạch và Đầu tư", "Các cơ quan thử nghiệm"}},
		{[]string{"so-khdt"}, merged.AddDays(1), []string{"Sở Tài chính"}},
		{[]string{"so-khdt", "so-tai-chinh"}, merged.AddDays(1), []string{"Sở Tài chính"}},
		{[]string{"ubnd-huyen"}, merged.AddDays(1), nil},
		{nil, merged, nil},
	} {
		if got := roleNames(dir, c.ids, c.on); !reflect.DeepEqual(got, c.want) {
			t.Errorf("roleNames(%v, %s) = %q, want %q", c.ids, c.on, got, c.want)
		}
	}
}

// Each letter is addressed to whom it reaches: the agency's mailbox to the
// agency, its head's address to the head by title, the leadership
// addresses to the leadership — never "Kính gửi: <the agency>" to a
// director, nor a bare address.
func TestLettersAddressTheirRecipient(t *testing.T) {
	h := newHarness(t)
	h.run("2027-06-01", "2027-06-28") // reminders, E1 on 22/6, E2 on 28/6
	want := map[string]string{
		"a@t.example":           "Cơ quan a",
		"head-a@t.example":      "Thủ trưởng Cơ quan a",
		"snv@t.example":         "Cơ quan snv",
		"lanhdao-snv@t.example": "Lãnh đạo Cơ quan snv",
		"vp@t.example":          "Cơ quan vp",
	}
	got := map[string]bool{}
	dec := new(mime.WordDecoder)
	for _, m := range h.sender.got {
		to, err := dec.DecodeHeader(m.to)
		if err != nil {
			t.Fatal(err)
		}
		addr, err := mail.ParseAddress(to)
		if err != nil {
			t.Fatalf("To %q: %v", to, err)
		}
		name, ok := want[addr.Address]
		if !ok {
			t.Errorf("unexpected recipient %s", addr)
			continue
		}
		if addr.Name != name {
			t.Errorf("To: %q for %s, want the name %q", addr.Name, addr.Address, name)
		}
		got[addr.Address] = true
	}
	for addr := range want {
		if !got[addr] {
			t.Errorf("%s got no letter", addr)
		}
	}

	s := testSetup(t)
	for addr, name := range map[string]string{
		"HEAD-A@t.example":       "Thủ trưởng Cơ quan a",
		"lanhdao-ubnd@t.example": "Lãnh đạo UBND tỉnh",
		" a@t.example ":          "Cơ quan a",
	} {
		if got, ok := s.RecipientName(addr, d("2027-06-28")); !ok || got != name {
			t.Errorf("RecipientName(%q) = %q, %v; want %q", addr, got, ok, name)
		}
	}
	if got, ok := s.RecipientName("stranger@t.example", d("2027-06-28")); ok {
		t.Errorf("RecipientName(stranger) = %q, want unknown", got)
	}
}

func TestHeadName(t *testing.T) {
	for _, c := range []struct {
		title, name, short, want string
	}{
		{"Giám đốc Sở Tư pháp", "Sở Tư pháp tỉnh Ninh Thuận", "Sở Tư pháp", "Giám đốc Sở Tư pháp"},
		{"Giám đốc", "Sở Tư pháp", "", "Giám đốc Sở Tư pháp"},
		{"Chánh Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", "Chánh Văn phòng UBND tỉnh"},
		{"", "Sở Y tế", "", "Thủ trưởng Sở Y tế"},
	} {
		a := &model.Agency{Name: c.name, ShortName: c.short, Head: model.Head{Title: c.title}}
		if got := headName(a); got != c.want {
			t.Errorf("headName(%q of %q) = %q, want %q", c.title, c.name, got, c.want)
		}
	}
}

// Level 2 reaches two kinds of reader. The agency and its head get a duty
// letter: asked (the head, to direct) to complete what the agency owes,
// with the links that act for it. Sở Nội vụ, its leadership and Văn phòng
// UBND tỉnh get an oversight letter ([Theo dõi]) about other agencies'
// duties: informed, never asked to submit, with no links to act in the
// agency's stead; the leadership is reported to ("kính báo cáo … xem
// xét, chỉ đạo"). No letter speaks as a machine or calls a state agency
// "Quý cơ quan".
func TestLevel2InformsTheLeadership(t *testing.T) {
	h := newHarness(t)
	rs := &rawSender{}
	h.setSender(rs)
	s := testSetup(t)
	s.Links = func(occ int64, agency string, _ schedule.Date) (string, string) {
		return fmt.Sprintf("https://t.example/xac-nhan/%d/%s", occ, agency), fmt.Sprintf("https://t.example/gia-han/%d/%s", occ, agency)
	}
	h.swap(s)
	h.run("2027-06-28", "2027-06-28") // E2 of T1 and T3
	const submit = "khẩn trương hoàn thành, gửi kết quả về Cơ quan snv"
	want := map[string]struct {
		says  string // the request or the report
		links bool
	}{
		"a@t.example":           {"Cơ quan snv đề nghị Cơ quan a khẩn trương hoàn thành, gửi kết quả về Cơ quan snv", true}, // the overdue notice it never had (E1)
		"head-a@t.example":      {"Cơ quan snv đề nghị Thủ trưởng Cơ quan a quan tâm, chỉ đạo " + submit, true},
		"snv@t.example":         {"để theo dõi, đôn đốc", false},
		"lanhdao-snv@t.example": {"kính báo cáo Lãnh đạo Sở xem xét, chỉ đạo", false},
		"vp@t.example":          {"Cơ quan snv thông báo để Cơ quan vp theo dõi, tham mưu UBND tỉnh chỉ đạo", false},
	}
	seen := map[string]bool{}
	for _, raw := range rs.raw {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		addr, err := mail.ParseAddress(m.Header.Get("To"))
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[addr.Address]
		if !ok {
			t.Errorf("unexpected recipient %s", addr.Address)
			continue
		}
		seen[addr.Address] = true
		subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if oversight := strings.HasPrefix(subj, "[Theo dõi]"); oversight == w.links || !oversight && !strings.HasPrefix(subj, "[Quá hạn]") {
			t.Errorf("%s: subject %q", addr.Address, subj)
		}
		for _, mt := range []string{"text/plain", "text/html"} {
			body := bodyPart(t, raw, mt)
			if !strings.Contains(body, w.says) || !w.links && strings.Contains(body, "hoàn thành, gửi kết quả") {
				t.Errorf("%s (%s) does not say %q:\n%s", addr.Address, mt, w.says, body)
			}
			for _, never := range []string{"Quý cơ quan", "Hệ thống nhắc hạn"} {
				if strings.Contains(body, never) {
					t.Errorf("%s (%s) says %q", addr.Address, mt, never)
				}
			}
			if has := strings.Contains(body, "https://t.example/xac-nhan/"); has != w.links {
				t.Errorf("%s (%s): links %v, want %v", addr.Address, mt, has, w.links)
			}
		}
	}
	for a := range want {
		if !seen[a] {
			t.Errorf("%s got no letter on 28/6", a)
		}
	}
}
