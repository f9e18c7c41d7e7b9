package httpui

// The signed-link pages: "Xác nhận đã nộp" (/xac-nhan/{token}) and "Xin
// gia hạn" (/gia-han/{token}), the two links every reminder and escalation
// carries (cmd/nhachan/setup.go builds them from PUBLIC_URL).
//
// The token in the URL is the whole authorisation: an HMAC over the
// occurrence, the agency, the action and the expiry (package signlink).
// So the rules are:
//
//   - GET and HEAD only show a page. Mail scanners and link previewers open
//     every link in a mail; opening one must never record anything.
//   - POST verifies the token again, checks that the occurrence exists and
//     belongs to the token's agency, validates the form, and only then
//     writes. A second POST of a submission is harmless: the first record
//     stands and the page says so calmly.
//   - A tampered, malformed, unknown-key or wrong-action token is a 403, an
//     expired one a 410 saying which link expired and when; none of them
//     changes anything.
//   - POSTs are refused cross-site (Sec-Fetch-Site, else Origin against
//     Host or the public URL) and, once the token is verified,
//     rate-limited per link (linkBudget): forged tokens spend nothing.
//
// The pages show no e-mail address: free text goes through mask like every
// other public page.

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// ExtensionRequester records an agency's request (from a "Xin gia hạn"
// link) to move an occurrence's deadline to until, for reason; agency is
// who asks: the token's agency id, or "<follow-up> thay mặt <agency>" for
// a link in the follow-up agency's copy. It must grant nothing: admins decide. The lead
// wires it to the audit log (sqlite.DB.RequestExtension has this shape).
type ExtensionRequester func(ctx context.Context, occurrenceID int64, agency string, until schedule.Date, reason string) error

// Limits of the signed-link forms.
const (
	// linkPostsPerMinute and linkPostBurst bound the POSTs one verified
	// link may make: a burst of 20 (an official correcting a form several
	// times), then one every 6 seconds.
	linkPostsPerMinute = 10
	linkPostBurst      = 20
	// linkMaxClients bounds the rate limiter's table (links tracked).
	linkMaxClients = 4096
	// maxLinkFormBytes bounds a POST body; the forms hold two short fields.
	maxLinkFormBytes = 8 << 10
	// maxRefLen is the longest số, ký hiệu văn bản, in characters.
	maxRefLen = 100
	// maxReasonLen is the longest reason for an extension, in characters.
	maxReasonLen = 1000
	// maxExtensionDays is how far past the current deadline (or today, if
	// later) an extension may be asked for.
	maxExtensionDays = 366
)

// The form fields.
const (
	fieldRef    = "so-ky-hieu"
	fieldSentOn = "ngay-gui"
	fieldUntil  = "han-moi"
	fieldReason = "ly-do"
)

// earliestSentOn is the earliest submission date the form accepts.
var earliestSentOn = schedule.NewDate(2000, time.January, 1)

func init() {
	for _, name := range []string{"link_submit", "link_extend", "link_done"} {
		pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
}

// linkRoutes registers the signed-link pages on mux. The POST guards (the
// cross-site check and the body bound) wrap the handlers; the rate limit
// is per verified link (linkBudget), so a flood of forged tokens spends
// nobody's allowance.
func (s *Server) linkRoutes(mux *http.ServeMux) {
	s.linkPosts = newRateLimiter(linkPostsPerMinute, linkPostBurst, linkMaxClients)
	cop := http.NewCrossOriginProtection()
	guard := func(h http.HandlerFunc) http.HandlerFunc { return s.guardLinkPOST(cop, h) }
	limited := s.pages.limited
	// GET patterns match HEAD too; net/http drops HEAD bodies.
	mux.HandleFunc("GET /xac-nhan/{token}", limited(s.submitForm))
	mux.HandleFunc("POST /xac-nhan/{token}", guard(limited(s.submitPost)))
	mux.HandleFunc("GET /gia-han/{token}", limited(s.extendForm))
	mux.HandleFunc("POST /gia-han/{token}", guard(limited(s.extendPost)))
}

// guardLinkPOST refuses cross-site POSTs (403), then bounds the body and
// runs next. After it, cached pages are dropped: the POST may have
// recorded something.
func (s *Server) guardLinkPOST(cop *http.CrossOriginProtection, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := cop.Check(r); err != nil && !s.fromPublicOrigin(r) {
			s.rejectLog().Err(err).Str("client", s.clientKey(r)).Str("route", linkRoute(r)).
				Str("sec_fetch_site", r.Header.Get("Sec-Fetch-Site")).Msg("cross-site POST refused")
			s.errorPage(w, r, http.StatusForbidden, "Yêu cầu bị từ chối",
				"Biểu mẫu xác nhận chỉ được gửi từ chính trang xác nhận của Hệ thống nhắc hạn, không từ một trang web khác. "+
					"Xin mở lại liên kết trong thư nhắc và gửi biểu mẫu trên trang đó. Không có gì được ghi nhận.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxLinkFormBytes)
		next(w, r)
		s.pages.invalidate()
	}
}

// linkBudget spends one POST of t's link (the duty, the agency, the
// action and to whom it was issued: the link's holder, whoever and
// wherever they are) and answers 429 with Retry-After when none is left.
// It runs only after the token is verified, so forged tokens cost nothing
// but a MAC check, and a proxy's shared address is no one's budget.
func (s *Server) linkBudget(w http.ResponseWriter, r *http.Request, t linkTarget) bool {
	c := t.claims
	key := fmt.Sprintf("%d|%s|%s|%d", c.Occurrence, c.Agency, c.Action, c.IssuedTo)
	ok, wait := s.linkPosts.allow(key, s.Now())
	if ok {
		return true
	}
	secs := retrySeconds(wait)
	s.rejectLog().Str("client", s.clientKey(r)).Str("route", linkRoute(r)).Int64("occurrence", c.Occurrence).
		Str("agency", c.Agency).Msg("signed-link POST rate-limited")
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.errorPage(w, r, http.StatusTooManyRequests, "Quá nhiều yêu cầu",
		fmt.Sprintf("Liên kết này đã được dùng để gửi quá nhiều lần trong thời gian ngắn. Xin đợi khoảng %d giây rồi thử lại. "+
			"Yêu cầu này chưa được ghi nhận; những gì đã ghi nhận trước đó vẫn giữ nguyên.", secs))
	return false
}

// fromPublicOrigin accepts a POST that an old browser (no Sec-Fetch-Site)
// sent from the configured public URL's origin: behind a reverse proxy the
// Host header may be the proxy's upstream address, not the public name.
func (s *Server) fromPublicOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if r.Header.Get("Sec-Fetch-Site") != "" || origin == "" || s.Runtime == nil {
		return false
	}
	pub, err := url.Parse(s.setup().PublicURL)
	if err != nil || pub.Scheme == "" || pub.Host == "" {
		return false
	}
	o, err := url.Parse(origin)
	return err == nil && strings.EqualFold(o.Scheme, pub.Scheme) && strings.EqualFold(o.Host, pub.Host)
}

// linkRoute names the route for logs without the token, which is a
// credential until it expires.
func linkRoute(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/gia-han/") {
		return "/gia-han/"
	}
	return "/xac-nhan/"
}

// linkTarget is a verified link and the duty it names.
type linkTarget struct {
	claims   signlink.Claims
	tl       duty.Timeline
	st       notify.Setup
	today    schedule.Date
	loc      *time.Location
	contact  string // who to turn to: the follow-up agency
	occ      duty.Occurrence
	chip     chip
	deadline string // with the weekday
}

// openLink verifies the token of r for action want and loads the duty it
// names. On any failure it has written the error page and returns false;
// it never writes to the store.
func (s *Server) openLink(w http.ResponseWriter, r *http.Request, want signlink.Action) (linkTarget, bool) {
	rt := s.Runtime() // one snapshot for the whole request
	st, links := rt.Setup, rt.Links
	t := linkTarget{st: st, loc: linkLocation(st)}
	now := s.Now()
	t.today = schedule.DateOf(now.In(t.loc))
	t.contact = contactName(st, t.today)
	if links == nil {
		s.errorPage(w, r, http.StatusNotFound, "Liên kết chưa được bật",
			"Máy chủ này chưa được cấu hình để nhận xác nhận qua liên kết trong thư. Xin liên hệ "+t.contact+".")
		return t, false
	}
	c, err := links.Verify(r.PathValue("token"), now)
	if err != nil {
		s.linkRejected(w, r, t, err)
		return t, false
	}
	if c.Action != want {
		s.rejectLog().Str("client", s.clientKey(r)).Str("route", linkRoute(r)).Str("action", string(c.Action)).
			Msg("signed link used for another action")
		s.errorPage(w, r, http.StatusForbidden, "Liên kết không dùng cho trang này",
			"Liên kết này là liên kết «"+actionLabel(c.Action)+"», không phải «"+actionLabel(want)+"». "+
				"Xin dùng đúng liên kết trong thư nhắc. Không có gì được ghi nhận.")
		return t, false
	}
	t.claims = c
	t.tl, err = s.Store.Timeline(r.Context(), c.Occurrence)
	if errors.Is(err, duty.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "Không tìm thấy nghĩa vụ",
			"Nghĩa vụ mà liên kết này nhắc tới không còn trong hệ thống. Xin liên hệ "+t.contact+". Không có gì được ghi nhận.")
		return t, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return t, false
	}
	t.occ = t.tl.Occurrence
	if !belongs(t.occ, c.Agency) {
		s.rejectLog().Str("client", s.clientKey(r)).Int64("occurrence", c.Occurrence).Str("agency", c.Agency).
			Msg("signed link names an agency the occurrence does not belong to")
		s.errorPage(w, r, http.StatusForbidden, "Liên kết không khớp cơ quan",
			"Liên kết này được gửi cho một cơ quan khác với cơ quan thực hiện nghĩa vụ. Xin liên hệ "+t.contact+
				". Không có gì được ghi nhận.")
		return t, false
	}
	t.chip = chipOf(st, timelineRow(t.tl), t.today)
	t.deadline = dateWithWeekday(t.occ.Deadline)
	return t, true
}

// actor names who acts through t's link in the store: "link:<agency>",
// or, for a link in the follow-up agency's copy of the letter,
// "link:<follow-up> thay mặt <agency>" (Sở Nội vụ acting for the agency).
func (t linkTarget) actor() string { return "link:" + t.who() }

// who is the actor without its channel: what RequestExtension is given.
func (t linkTarget) who() string {
	if t.claims.IssuedTo == signlink.IssuedToFollowUp {
		fu := t.st.FollowUp
		if fu == "" {
			fu = "so-noi-vu"
		}
		return fu + " thay mặt " + t.claims.Agency
	}
	return t.claims.Agency
}

// belongs reports whether agency answers for o or is named for it.
func belongs(o duty.Occurrence, agency string) bool {
	return agency != "" && (o.AgencyID == agency || o.NamedAgencyID == agency)
}

// linkRejected answers a token Verify refused: 410 for an expired one,
// saying which link and until when, 403 for everything else.
func (s *Server) linkRejected(w http.ResponseWriter, r *http.Request, t linkTarget, err error) {
	s.rejectLog().Err(err).Str("client", s.clientKey(r)).Str("route", linkRoute(r)).Msg("signed link rejected")
	var exp *signlink.ExpiredError
	switch {
	case errors.As(err, &exp):
		c := exp.Claims
		what := "«" + actionLabel(c.Action) + "»"
		// The claims are authentic (the MAC matched), so naming the duty
		// reveals nothing the link's holder was not sent.
		if o, err := s.Store.Occurrence(r.Context(), c.Occurrence); err == nil && belongs(o, c.Agency) {
			what += " cho nhiệm vụ " + mask(o.TaskID) + ", kỳ " + mask(periodText(t.st, o.ScheduleID, o.TaskID, o.Period)) + " của " + agencyLabel(t.st, owner(duty.BoardRow{Occurrence: o}))
		} else {
			what += " của " + agencyLabel(t.st, c.Agency)
		}
		s.errorPage(w, r, http.StatusGone, "Liên kết đã hết hạn",
			"Liên kết "+what+" đã hết hiệu lực từ "+clockText(c.Expires, t.loc)+
				". Liên kết trong thư chỉ dùng được đến một thời gian sau hạn nộp. Nếu cơ quan đã gửi báo cáo hoặc cần gia hạn, xin liên hệ "+
				t.contact+". Không có gì được ghi nhận.")
	case errors.Is(err, signlink.ErrUnknownKey):
		s.errorPage(w, r, http.StatusForbidden, "Liên kết không còn hiệu lực",
			"Liên kết này được ký bằng một khóa đã được thay, có lẽ từ một thư cũ. Xin dùng liên kết trong thư nhắc mới nhất, hoặc liên hệ "+
				t.contact+". Không có gì được ghi nhận.")
	case errors.Is(err, signlink.ErrBadSignature):
		s.errorPage(w, r, http.StatusForbidden, "Liên kết không hợp lệ",
			"Liên kết này đã bị thay đổi so với liên kết trong thư nên không thể dùng được. Xin mở lại đúng liên kết trong thư nhắc, "+
				"hoặc liên hệ "+t.contact+". Không có gì được ghi nhận.")
	default: // signlink.ErrMalformed, and anything Verify may add
		s.errorPage(w, r, http.StatusForbidden, "Liên kết không đúng định dạng",
			"Liên kết này không đầy đủ hoặc sai định dạng — có thể nó bị cắt mất một phần khi sao chép. Xin mở lại liên kết bằng cách bấm "+
				"trực tiếp trong thư nhắc, hoặc liên hệ "+t.contact+". Không có gì được ghi nhận.")
	}
}

// actionLabel is an action as the mail names its link.
func actionLabel(a signlink.Action) string {
	switch a {
	case signlink.ActionSubmit:
		return "Xác nhận đã nộp"
	case signlink.ActionExtend:
		return "Xin gia hạn"
	case signlink.ActionCalendar:
		return "Lịch nhắc hạn"
	}
	return mask(string(a))
}

// linkLocation is the configuration's zone.
func linkLocation(st notify.Setup) *time.Location { return location(st) }

// contactName is who officials turn to: the follow-up agency as it is on
// today, after the directory's successions (Sở Nội vụ tỉnh Ninh Thuận
// became Sở Nội vụ tỉnh Khánh Hòa on 01/7/2025), not as the configuration
// first named it.
func contactName(st notify.Setup, today schedule.Date) string {
	if st.FollowUp == "" {
		return "Sở Nội vụ"
	}
	if dir := directory(st); dir != nil {
		for _, as := range dir.Resolve([]string{st.FollowUp}, today) {
			if as.Agency != nil && as.Agency.Name != "" {
				return mask(as.Agency.Name)
			}
		}
	}
	return agencyLabel(st, st.FollowUp)
}

// dateWithWeekday reads a date the way a Vietnamese letter does:
// "Thứ Sáu, 20/03/2026".
func dateWithWeekday(d schedule.Date) string { return d.WeekdayVN() + ", " + d.VN() }

// linkView is every signed-link page: the duty's facts, then a form or an
// outcome.
type linkView struct {
	page
	Heading string
	Lead    []string
	Chip    chip
	Facts   []fact
	// Error says what is wrong with the form just sent; the form is shown
	// again with what was typed.
	Error string
	Form  linkForm
	Notes []string
}

// linkForm holds the form's values and bounds, all YYYY-MM-DD for dates.
type linkForm struct {
	Ref, SentOn, MinSentOn, MaxSentOn string
	Until, Reason, MinUntil, MaxUntil string
	RefMax, ReasonMax                 int
}

// view starts a page about t's duty.
func (t linkTarget) view(title, heading string) linkView {
	o := t.occ
	v := linkView{page: page{Title: title + " — nhiệm vụ " + mask(o.TaskID) + ", kỳ " + mask(t.chip.Period),
		Today: t.today.VN(), Year: o.Deadline.Year()}, Heading: heading, Chip: t.chip}
	task := mask(o.TaskID)
	if t.chip.TaskText != "" {
		task += " — " + t.chip.TaskText
	}
	v.Facts = append(v.Facts, fact{"Nhiệm vụ", task})
	if tk := findTask(t.st, o.ScheduleID, o.TaskID); tk != nil && tk.Schedule != nil && tk.Schedule.Title != "" {
		v.Facts = append(v.Facts, fact{"Kế hoạch", mask(tk.Schedule.Title)})
	}
	v.Facts = append(v.Facts, fact{"Kỳ", mask(t.chip.Period)}, fact{"Cơ quan thực hiện", t.chip.AgencyName},
		fact{"Hạn nộp", t.deadline})
	if o.ExtendedDue != 0 {
		v.Facts = append(v.Facts, fact{"Ghi chú về hạn", "Đã được gia hạn; hạn theo kế hoạch là " + dateWithWeekday(o.EffectiveDue) + "."})
	}
	if sb := t.tl.Submission; sb != nil {
		v.Facts = append(v.Facts, fact{"Ngày nộp đã ghi nhận", dateWithWeekday(sb.SubmittedOn)})
		if sb.Unconfirmed() {
			v.Facts = append(v.Facts, fact{"Xác nhận ngày nộp", "Tự khai, chờ xác nhận (ghi nhận ngày " + sb.RecordedOn.VN() + ")"})
		}
		if sb.Ref != "" {
			v.Facts = append(v.Facts, fact{"Số, ký hiệu văn bản đã ghi nhận", mask(sb.Ref)})
		}
		v.Facts = append(v.Facts, fact{"Ghi nhận qua", viaLabel(string(sb.Via))})
	}
	return v
}

// submitView is the confirmation form for t.
func (t linkTarget) submitView() linkView {
	v := t.view("Xác nhận đã nộp", "Xác nhận đã nộp báo cáo")
	v.Lead = []string{"Nếu cơ quan đã gửi văn bản cho nhiệm vụ dưới đây, xin ghi số, ký hiệu và ngày gửi rồi bấm «Xác nhận đã nộp». " +
		"Hệ thống sẽ thôi nhắc và đôn đốc nhiệm vụ này."}
	v.Form = linkForm{SentOn: t.today.String(), MinSentOn: earliestSentOn.String(), MaxSentOn: t.today.String(), RefMax: maxRefLen}
	v.Notes = []string{"Chỉ mở trang này thì chưa có gì được ghi nhận; việc ghi nhận chỉ xảy ra khi bấm nút.",
		"Nếu thông tin ghi nhận sai, xin liên hệ " + t.contact + " để điều chỉnh."}
	return v
}

// extendView is the extension request form for t.
func (t linkTarget) extendView() linkView {
	v := t.view("Xin gia hạn", "Xin gia hạn nộp báo cáo")
	v.Lead = []string{"Nếu cơ quan cần thêm thời gian cho nhiệm vụ dưới đây, xin ghi hạn đề nghị và lý do rồi bấm «Gửi đề nghị gia hạn». " +
		"Đề nghị được chuyển tới " + t.contact + " xem xét; hạn nộp chỉ thay đổi khi được chấp thuận."}
	lo, hi := extensionBounds(t.occ.Deadline, t.today)
	v.Form = linkForm{MinUntil: lo.String(), MaxUntil: hi.String(), ReasonMax: maxReasonLen}
	v.Notes = []string{"Chỉ mở trang này thì chưa có gì được gửi; đề nghị chỉ được gửi khi bấm nút."}
	return v
}

// extensionBounds are the first and last days an extension may be asked
// for: after the current deadline and not before today, at most
// maxExtensionDays past the later of the two.
func extensionBounds(deadline, today schedule.Date) (lo, hi schedule.Date) {
	lo = deadline.AddDays(1)
	if today > lo {
		lo = today
	}
	base := deadline
	if today > base {
		base = today
	}
	return lo, base.AddDays(maxExtensionDays)
}

// submitted reports whether t's duty already has its submission.
func (t linkTarget) submitted() bool {
	return t.tl.Submission != nil || t.occ.State == duty.StateSubmitted
}

// submitForm shows the confirmation form. It changes nothing.
func (s *Server) submitForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.openLink(w, r, signlink.ActionSubmit)
	if !ok {
		return
	}
	if t.submitted() {
		s.alreadyRecorded(w, r, t)
		return
	}
	s.render(w, r, http.StatusOK, "link_submit", t.submitView())
}

// submitPost records the submission: once; a repeat answers calmly.
func (s *Server) submitPost(w http.ResponseWriter, r *http.Request) {
	t, ok := s.openLink(w, r, signlink.ActionSubmit)
	if !ok || !s.linkBudget(w, r, t) {
		return
	}
	if t.submitted() {
		s.alreadyRecorded(w, r, t)
		return
	}
	if !s.parseLinkForm(w, r) {
		return
	}
	rawRef, rawOn := r.PostForm.Get(fieldRef), r.PostForm.Get(fieldSentOn)
	ref, msg := cleanText("Số, ký hiệu văn bản", rawRef, maxRefLen, false)
	var on schedule.Date
	if msg == "" {
		on, msg = parseSentOn(rawOn, t.today)
	}
	if msg != "" {
		v := t.submitView()
		v.Error = msg
		v.Form.Ref, v.Form.SentOn = rawRef, rawOn
		s.render(w, r, http.StatusBadRequest, "link_submit", v)
		return
	}
	sub := duty.Submission{OccurrenceID: t.occ.ID, Ref: ref, SubmittedOn: on,
		RecordedBy: t.actor(), Via: duty.ViaLink, RecordedOn: t.today, Quota: findTask(t.st, t.occ.ScheduleID, t.occ.TaskID).Quota()}
	err := s.Store.RecordSubmission(r.Context(), sub)
	if errors.Is(err, duty.ErrAlreadyRecorded) {
		// Another click got there first; show what it recorded.
		if tl, err := s.Store.Timeline(r.Context(), t.occ.ID); err == nil {
			t.tl = tl
		}
		s.alreadyRecorded(w, r, t)
		return
	}
	if errors.Is(err, duty.ErrKeptWaived) {
		s.Log.Info().Int64("occurrence", t.occ.ID).Str("agency", t.claims.Agency).Str("key", t.claims.KeyID).
			Str("submitted_on", on.String()).Msg("link confirmation of a waived duty logged for the admins")
		v := t.view("Đã ghi lại xác nhận", "Nghĩa vụ này đã được miễn thực hiện")
		v.Lead = []string{"Nghĩa vụ này đã được miễn thực hiện nên vẫn giữ trạng thái được miễn. Xác nhận của cơ quan (số, ký hiệu " +
			mask(ref) + ", ngày gửi " + on.VN() + ") đã được ghi lại để " + t.contact + " xem xét."}
		v.Notes = []string{"Nếu cần điều chỉnh, xin liên hệ " + t.contact + "."}
		s.render(w, r, http.StatusOK, "link_done", v)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.Log.Info().Int64("occurrence", t.occ.ID).Str("agency", t.claims.Agency).Str("key", t.claims.KeyID).
		Str("submitted_on", on.String()).Bool("self_declared", sub.SelfDeclared()).Msg("submission recorded via signed link")
	t.occ.State = duty.StateSubmitted
	t.tl.Submission = &duty.SubmissionRecord{Submission: sub, Declared: sub.SelfDeclared()}
	t.chip = chipOf(t.st, timelineRow(t.tl), t.today)
	v := t.view("Đã ghi nhận", "Đã ghi nhận")
	v.Lead = []string{"Hệ thống đã ghi nhận cơ quan đã nộp báo cáo cho nhiệm vụ này. Các thư nhắc và đôn đốc tiếp theo sẽ không được gửi nữa."}
	if sub.SelfDeclared() {
		v.Lead = append(v.Lead, "Ngày gửi "+on.VN()+" sớm hơn ngày ghi nhận ("+t.today.VN()+") nên được ghi là «tự khai, chờ xác nhận»: "+
			"cho đến khi "+t.contact+" xác nhận, việc nộp được tính theo ngày ghi nhận.")
	}
	v.Notes = []string{"Nếu thông tin ghi nhận sai, xin liên hệ " + t.contact + " để điều chỉnh."}
	s.render(w, r, http.StatusOK, "link_done", v)
}

// alreadyRecorded is the calm answer to a second confirmation: 200, the
// first record stands.
func (s *Server) alreadyRecorded(w http.ResponseWriter, r *http.Request, t linkTarget) {
	v := t.view("Đã ghi nhận trước đó", "Báo cáo này đã được ghi nhận trước đó")
	v.Lead = []string{"Việc nộp báo cáo cho nhiệm vụ này đã được ghi nhận; không cần xác nhận lại. Lần xác nhận này không thay đổi gì."}
	v.Notes = []string{"Nếu thông tin ghi nhận sai, xin liên hệ " + t.contact + " để điều chỉnh."}
	s.render(w, r, http.StatusOK, "link_done", v)
}

// extendForm shows the extension request form, or says why none is needed.
// It changes nothing.
func (s *Server) extendForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.openLink(w, r, signlink.ActionExtend)
	if !ok {
		return
	}
	if t.occ.State != duty.StateOpen || t.submitted() {
		s.noExtensionNeeded(w, r, t, http.StatusOK)
		return
	}
	s.render(w, r, http.StatusOK, "link_extend", t.extendView())
}

// extendPost passes the request on to RequestExtension. It grants nothing:
// the deadline changes only when an admin extends it.
func (s *Server) extendPost(w http.ResponseWriter, r *http.Request) {
	t, ok := s.openLink(w, r, signlink.ActionExtend)
	if !ok || !s.linkBudget(w, r, t) {
		return
	}
	if t.occ.State != duty.StateOpen || t.submitted() {
		s.noExtensionNeeded(w, r, t, http.StatusConflict)
		return
	}
	if !s.parseLinkForm(w, r) {
		return
	}
	rawUntil, rawReason := r.PostForm.Get(fieldUntil), r.PostForm.Get(fieldReason)
	until, msg := parseUntil(rawUntil, t.occ.Deadline, t.today)
	var reason string
	if msg == "" {
		reason, msg = cleanText("Lý do", rawReason, maxReasonLen, true)
	}
	if msg != "" {
		v := t.extendView()
		v.Error = msg
		v.Form.Until, v.Form.Reason = rawUntil, rawReason
		s.render(w, r, http.StatusBadRequest, "link_extend", v)
		return
	}
	if s.RequestExtension == nil {
		s.Log.Error().Int64("occurrence", t.occ.ID).Msg("extension request via signed link: no RequestExtension configured")
		s.errorPage(w, r, http.StatusServiceUnavailable, "Chưa ghi nhận được đề nghị gia hạn",
			"Hệ thống hiện không ghi nhận được đề nghị gia hạn qua liên kết. Xin liên hệ trực tiếp "+t.contact+
				" để đề nghị gia hạn. Hạn nộp chưa thay đổi.")
		return
	}
	if err := s.RequestExtension(r.Context(), t.occ.ID, t.who(), until, reason); err != nil {
		s.Log.Error().Err(err).Int64("occurrence", t.occ.ID).Msg("extension request via signed link failed")
		code := http.StatusInternalServerError
		if errors.Is(err, duty.ErrNotFound) {
			code = http.StatusNotFound
		}
		s.errorPage(w, r, code, "Chưa ghi nhận được đề nghị gia hạn",
			"Hệ thống tạm thời không ghi nhận được đề nghị gia hạn. Xin thử lại sau ít phút, hoặc liên hệ trực tiếp "+t.contact+
				". Hạn nộp chưa thay đổi.")
		return
	}
	s.Log.Info().Int64("occurrence", t.occ.ID).Str("agency", t.claims.Agency).Str("key", t.claims.KeyID).
		Str("until", until.String()).Msg("extension requested via signed link")
	v := t.view("Đã gửi đề nghị gia hạn", "Đã gửi đề nghị gia hạn")
	v.Lead = []string{"Đề nghị gia hạn đã được chuyển tới " + t.contact + " xem xét. Hạn nộp hiện tại chưa thay đổi; " +
		"hạn mới chỉ có hiệu lực khi được chấp thuận, và trang theo dõi sẽ hiển thị khi đó."}
	v.Facts = append(v.Facts, fact{"Hạn đề nghị", dateWithWeekday(until)}, fact{"Lý do", mask(reason)})
	s.render(w, r, http.StatusOK, "link_done", v)
}

// noExtensionNeeded answers an extension link for a duty no longer owed.
func (s *Server) noExtensionNeeded(w http.ResponseWriter, r *http.Request, t linkTarget, code int) {
	v := t.view("Không cần gia hạn", "Nhiệm vụ này không cần gia hạn")
	v.Lead = []string{"Nhiệm vụ này không còn phải nộp (đã nộp, được miễn hoặc không còn theo dõi), nên không thể đề nghị gia hạn. " +
		"Không có gì được ghi nhận."}
	v.Notes = []string{"Nếu thông tin này chưa đúng, xin liên hệ " + t.contact + "."}
	s.render(w, r, code, "link_done", v)
}

// parseLinkForm reads the POST body; a body over the limit is a 413, any
// other failure a 400.
func (s *Server) parseLinkForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Nội dung gửi quá dài",
			"Biểu mẫu gửi lên dài hơn mức cho phép nên không được ghi nhận. Xin mở lại liên kết trong thư và gửi lại.")
		return false
	}
	s.badRequest(w, r, "Không đọc được biểu mẫu gửi lên nên chưa có gì được ghi nhận. Xin mở lại liên kết trong thư và gửi lại.")
	return false
}

// cleanText checks one text field: valid UTF-8, normalised to NFC (a
// number typed on a Mac arrives decomposed), trimmed, at most max
// characters, and free of control and invisible formatting characters
// (bidirectional overrides could make a ref read differently from what is
// stored). Line breaks are allowed only when multiline, and become "\n".
// It returns the clean text, or a Vietnamese message saying what is wrong.
func cleanText(label, v string, max int, multiline bool) (string, string) {
	if !utf8.ValidString(v) {
		return "", label + " chứa ký tự không hợp lệ. Xin gõ lại."
	}
	if multiline {
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	v = strings.TrimSpace(norm.NFC.String(v))
	if v == "" {
		return "", "Xin ghi " + strings.ToLower(label[:1]) + label[1:] + "."
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", fmt.Sprintf("%s dài %d ký tự, quá mức %d ký tự cho phép.", label, n, max)
	}
	for _, c := range v {
		if multiline && c == '\n' {
			continue
		}
		if unicode.IsControl(c) || unicode.Is(unicode.Cf, c) || c == '\u2028' || c == '\u2029' {
			return "", label + " chứa ký tự điều khiển hoặc ký tự ẩn (ví dụ xuống dòng, tab). Xin gõ lại bằng tay."
		}
	}
	return v, ""
}

// parseFormDate reads YYYY-MM-DD strictly: digits only, a real day.
func parseFormDate(label, v string) (schedule.Date, string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, "Xin ghi " + strings.ToLower(label[:1]) + label[1:] + "."
	}
	ok := len(v) == 10
	for i := 0; ok && i < len(v); i++ {
		if i == 4 || i == 7 {
			ok = v[i] == '-'
		} else {
			ok = v[i] >= '0' && v[i] <= '9'
		}
	}
	if ok {
		if d, err := schedule.ParseDate(v); err == nil {
			return d, ""
		}
	}
	return 0, label + " phải là một ngày có thật, ghi theo dạng năm-tháng-ngày, ví dụ 2026-06-15."
}

// parseSentOn checks the date a document was sent: not in the future, not
// before 2000.
func parseSentOn(v string, today schedule.Date) (schedule.Date, string) {
	on, msg := parseFormDate("Ngày gửi", v)
	switch {
	case msg != "":
		return 0, msg
	case on > today:
		return 0, "Ngày gửi " + on.VN() + " là ngày trong tương lai; hôm nay là " + today.VN() + "."
	case on < earliestSentOn:
		return 0, "Ngày gửi không được trước ngày " + earliestSentOn.VN() + "."
	}
	return on, ""
}

// parseUntil checks the date an extension is asked until; see
// extensionBounds.
func parseUntil(v string, deadline, today schedule.Date) (schedule.Date, string) {
	until, msg := parseFormDate("Hạn đề nghị", v)
	if msg != "" {
		return 0, msg
	}
	lo, hi := extensionBounds(deadline, today)
	switch {
	case until <= deadline:
		return 0, "Hạn đề nghị phải sau hạn hiện tại (" + dateWithWeekday(deadline) + ")."
	case until < lo:
		return 0, "Hạn đề nghị không được trước ngày hôm nay (" + today.VN() + ")."
	case until > hi:
		return 0, "Hạn đề nghị không được quá ngày " + hi.VN() + "."
	}
	return until, ""
}
