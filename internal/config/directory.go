package config

import (
	"net/mail"
	"regexp"
	"strings"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// idRE is the shape of agency, group and schedule ids: ASCII slugs that are
// safe in URLs, file names and mail headers.
var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkEmail validates a bare address (no display name, no line breaks:
// it goes into mail headers).
func checkEmail(r reporter, p Pos, what, addr string) {
	if strings.ContainsAny(addr, "\r\n\t <>,;\"") {
		r.errorf(p, "%s: %q không phải một địa chỉ thư điện tử đơn thuần (không tên hiển thị, không xuống dòng, không dấu cách)", what, addr)
		return
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || !strings.Contains(addr[strings.LastIndexByte(addr, '@')+1:], ".") {
		r.errorf(p, "%s: %q không phải địa chỉ thư điện tử hợp lệ", what, addr)
	}
}

func (l *loader) loadDirectory(name string, from reporter, at Pos) *model.Directory {
	r := l.reporter(name)
	var af agenciesFile
	if !l.read(name, &af, from, at) {
		return nil
	}
	errsBefore := len(l.diags.Errors())
	ids := map[string]Pos{}
	claim := func(id string, p Pos, what string) {
		if !idRE.MatchString(id) {
			r.errorf(p, "mã %s %q: chỉ dùng chữ thường không dấu, chữ số và dấu gạch nối đơn (ví dụ so-noi-vu)", what, id)
		}
		if prev, dup := ids[id]; dup {
			r.errorf(p, "mã %q bị trùng (đã khai báo ở dòng %d)", id, prev.Line)
			return
		}
		ids[id] = p
	}
	var groups []*model.Group
	groupIDs := map[string]bool{}
	for _, g := range af.Groups {
		claim(g.ID, g.At.Key("id"), "nhóm")
		groupIDs[g.ID] = true
		groups = append(groups, &model.Group{ID: g.ID, Name: g.Name})
	}
	agencyAt := map[string]agencyRaw{}
	var agencies []*model.Agency
	for _, a := range af.Agencies {
		claim(a.ID, a.At.Key("id"), "agency")
		agencyAt[a.ID] = a
		ag := &model.Agency{
			ID: a.ID, Name: a.Name, ShortName: a.ShortName, Groups: a.Groups, Email: a.Email,
			ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate, Successors: a.Successors, Note: a.Note,
		}
		if ag.ShortName == "" {
			ag.ShortName = ag.Name
		}
		if a.ValidFrom != nil {
			ag.ValidFrom = *a.ValidFrom
		}
		if a.ValidUntil != nil {
			ag.ValidUntil = *a.ValidUntil
		}
		if ag.ValidUntil < ag.ValidFrom {
			r.errorf(a.At.Key("valid_until"), "cơ quan %s: valid_until %s trước valid_from %s", a.ID, ag.ValidUntil, ag.ValidFrom)
		}
		for i, e := range a.Email {
			checkEmail(r, a.At.Key("email"), "agency "+a.ID+" email["+itoa(i+1)+"]", e)
		}
		if len(a.Email) == 0 {
			r.errorf(a.At.Key("email"), "cơ quan %s chưa có địa chỉ thư điện tử: thư nhắc hạn không gửi tới được", a.ID)
		}
		if a.Head != nil {
			ag.Head = model.Head{Title: a.Head.Title, Email: a.Head.Email}
			checkEmail(r, a.Head.At.Key("email"), "agency "+a.ID+" head.email", a.Head.Email)
		} else {
			r.errorf(a.At.Pos, "cơ quan %s chưa có người đứng đầu: thông báo quá hạn cần địa chỉ của thủ trưởng (head: {title: …, email: …})", a.ID)
		}
		agencies = append(agencies, ag)
	}
	// References, now that every id is known.
	var groupIDList, agencyIDList []string
	for id := range groupIDs {
		groupIDList = append(groupIDList, id)
	}
	for id := range agencyAt {
		agencyIDList = append(agencyIDList, id)
	}
	for _, a := range af.Agencies {
		for _, g := range a.Groups {
			if !groupIDs[g] {
				r.errorf(a.At.Key("groups"), "cơ quan %s: không có nhóm %q%s", a.ID, g, didYouMean(g, groupIDList))
			}
		}
		for _, s := range a.Successors {
			succ, ok := agencyAt[s]
			switch {
			case !ok:
				r.errorf(a.At.Key("successors"), "cơ quan %s: không có cơ quan kế thừa %q trong danh bạ%s", a.ID, s, didYouMean(s, agencyIDList))
			case s == a.ID:
				r.errorf(a.At.Key("successors"), "cơ quan %s không thể tự kế thừa chính mình", a.ID)
			case succ.ValidFrom != nil && a.ValidUntil != nil && *succ.ValidFrom > a.ValidUntil.AddDays(1):
				r.warnf(a.At.Key("successors"), "cơ quan %s kết thúc ngày %s nhưng cơ quan kế thừa %s đến ngày %s mới bắt đầu: nhiệm vụ đến hạn trong khoảng giữa sẽ chưa có cơ quan nhận", a.ID, a.ValidUntil.VN(), s, succ.ValidFrom.VN())
			}
		}
		if len(a.Successors) > 0 && a.ValidUntil == nil {
			r.errorf(a.At.Key("successors"), "cơ quan %s có cơ quan kế thừa nhưng thiếu valid_until: hãy ghi ngày kết thúc hoạt động", a.ID)
		}
	}
	// Successor chains must end.
	for _, a := range af.Agencies {
		seen := map[string]bool{a.ID: true}
		cur := a
		for len(cur.Successors) > 0 {
			next, ok := agencyAt[cur.Successors[0]]
			if !ok {
				break
			}
			if seen[next.ID] {
				r.errorf(a.At.Key("successors"), "cơ quan %s: chuỗi cơ quan kế thừa quay vòng (cycle) qua %s", a.ID, next.ID)
				break
			}
			seen[next.ID] = true
			cur = next
		}
	}
	if len(l.diags.Errors()) > errsBefore {
		return nil
	}
	dir := model.NewDirectory(agencies, groups)
	// Warnings: what would silently lose duties.
	for _, a := range af.Agencies {
		if a.ValidUntil != nil && len(a.Successors) == 0 {
			r.warnf(a.At.Key("valid_until"), "cơ quan %s kết thúc ngày %s mà không có cơ quan kế thừa: các nhiệm vụ đến hạn sau ngày đó hiện là chưa có cơ quan nhận", a.ID, a.ValidUntil.VN())
		}
	}
	for _, g := range af.Groups {
		if len(dir.Members(g.ID)) == 0 {
			r.warnf(g.At.Pos, "nhóm %s không có thành viên: chưa cơ quan nào ghi nhóm này trong groups", g.ID)
		}
	}
	return dir
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
