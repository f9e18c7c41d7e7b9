package httpui

import (
	"crypto/rand"
	"crypto/subtle"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// The admin area, under /quan-tri/: a login for the admins of the
// configuration, then pages to record or correct submissions, waive,
// extend and reopen occurrences, and the audit log. It is the one part of
// the site that writes, and the one that shows e-mail addresses.
//
// Defences, in the order a request meets them:
//   - every POST passes http.CrossOriginProtection, which refuses a
//     cross-site browser request by its Sec-Fetch-Site or Origin header;
//   - every page and action needs a valid session cookie (session.go);
//     pages without one redirect to the login, actions are refused (403);
//   - every action's form carries the session's CSRF token, compared in
//     constant time; the login form carries one bound to a cookie instead;
//   - a login is refused without its form token before anything is
//     counted; then failed attempts are rate-limited per client and per
//     user name, and password checks under a global cap (ratelimit.go);
//     an unknown user costs one bcrypt comparison like a known one.
//
// Only GET and HEAD are safe, and they never write. Every write goes
// through one store method that commits the change with its audit row,
// naming the admin as "web:<user>".

// Admin is one admin who may log in: a user name, a display name, and a
// bcrypt hash of the password.
type Admin struct {
	User, Name, PasswordHash string
}

// Admin area addresses.
const (
	adminRoot  = "/quan-tri/"
	adminLogin = "/quan-tri/dang-nhap"
)

// Login attempts. Only a form with a valid login token counts (a forged
// POST is refused before, at no cost to anyone's allowance). Failed
// attempts are limited per client (a burst of loginBurst, then
// loginPerMinute a minute) and per user name (loginUserBurst, then
// loginUserPerMinute); every password check, failed or not, counts
// against a global cap that bounds the bcrypt work (loginGlobalBurst, then
// loginGlobalPerMinute).
const (
	loginBurst           = 5
	loginPerMinute       = 5
	loginClients         = 4096
	loginUserBurst       = 10
	loginUserPerMinute   = 5
	loginGlobalBurst     = 30
	loginGlobalPerMinute = 60
	// maxLoginUserKey bounds a user name as a limiter key.
	maxLoginUserKey = 64
)

// maxAdminForm bounds a POSTed admin form.
const maxAdminForm = 16 << 10

// adminArea is the admin routes' state, made once by adminRoutes.
type adminArea struct {
	s      *Server
	limit  *rateLimiter // failed logins per client
	users  *rateLimiter // failed logins per user name
	global *rateLimiter // every password check
	cop    *http.CrossOriginProtection
	// fallback signs sessions while no session key is configured: drawn
	// once, so such sessions end when the daemon restarts.
	fallback sessionKeys

	dummyOnce sync.Once
	dummy     []byte // a bcrypt hash to compare against for unknown users
}

// adminRoutes registers the admin area on mux.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	a := &adminArea{s: s,
		limit:  newRateLimiter(loginPerMinute, loginBurst, loginClients),
		users:  newRateLimiter(loginUserPerMinute, loginUserBurst, loginClients),
		global: newRateLimiter(loginGlobalPerMinute, loginGlobalBurst, 1),
		cop:    http.NewCrossOriginProtection()}
	key := make([]byte, 32)
	rand.Read(key)
	a.fallback = deriveKeys(key)
	if rt := s.Runtime(); len(rt.Admins) > 0 && len(a.keyring(rt)) == 1 && len(rt.SessionKeys) == 0 {
		s.Log.Info().Msg("admin sessions are signed with a random key: they end when the daemon restarts")
	}
	a.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.rejectLog().Str("path", r.URL.Path).Str("origin", r.Header.Get("Origin")).
			Str("sec_fetch_site", r.Header.Get("Sec-Fetch-Site")).Msg("admin: cross-origin POST refused")
		a.error(w, r, http.StatusForbidden, "Yêu cầu bị từ chối",
			"Biểu mẫu này chỉ được gửi từ chính trang quản trị. Xin mở trang quản trị và thao tác lại.")
	}))

	mux.HandleFunc("GET /quan-tri", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, adminRoot, http.StatusSeeOther)
	})
	mux.HandleFunc("GET "+adminLogin, a.loginForm)
	mux.Handle("POST "+adminLogin, a.cop.Handler(http.HandlerFunc(a.login)))
	mux.Handle("POST /quan-tri/dang-xuat", a.action(a.logoutAction))
	mux.HandleFunc("GET /quan-tri/{$}", a.page(a.home))
	mux.HandleFunc("GET /quan-tri/nhat-ky", a.page(a.auditLog))
	mux.HandleFunc("GET /quan-tri/nghia-vu", a.page(a.findOccurrence))
	mux.HandleFunc("GET /quan-tri/nghia-vu/{id}", a.page(a.occurrence))
	for _, act := range adminActions {
		mux.Handle("POST /quan-tri/nghia-vu/{id}/"+act.slug, a.action(a.occurrenceAction(act)))
		// A GET of an action's address (a reload, a pasted link) shows the
		// occurrence rather than a 405.
		mux.HandleFunc("GET /quan-tri/nghia-vu/{id}/"+act.slug, a.page(a.toOccurrence))
	}
}

// current returns the valid session of r, if any.
func (a *adminArea) current(r *http.Request) (adminSession, bool) {
	c, err := r.Cookie(sessionCookieName(r))
	if err != nil {
		return adminSession{}, false
	}
	rt := a.s.Runtime()
	sess, err := a.parse(rt, c.Value)
	if err == nil {
		// Fail closed: a session whose logout cannot be checked is refused.
		if revoked, rerr := a.s.Store.SessionRevoked(r.Context(), sess.ID); rerr != nil {
			err = rerr
		} else if revoked {
			err = errSessionRevoked
		}
	}
	if err != nil {
		a.s.rejectLog().Err(err).Str("path", r.URL.Path).Str("client", a.s.clientKey(r)).Msg("admin: session refused")
		return adminSession{}, false
	}
	return sess, true
}

// admin returns the admin named user, or nil. Every entry is compared,
// in constant time, so the lookup's time says nothing about the name.
func (a *adminArea) admin(rt *Runtime, user string) *Admin {
	var found *Admin
	for i := range rt.Admins {
		if subtle.ConstantTimeCompare([]byte(rt.Admins[i].User), []byte(user)) == 1 {
			found = &rt.Admins[i]
		}
	}
	return found
}

// keyring is the session keys in force: the first signs, all verify.
// Configured keys shorter than minSessionKey are left out (config refuses
// them; this is the last guard); none left means the random fallback.
func (a *adminArea) keyring(rt *Runtime) []sessionKeys {
	var out []sessionKeys
	for _, k := range rt.SessionKeys {
		if len(k) >= minSessionKey {
			out = append(out, deriveKeys(k))
		}
	}
	if len(out) == 0 {
		out = append(out, a.fallback)
	}
	return out
}

// parse verifies a session cookie against every key in force and binds it
// to its admin as configured now: a session of an admin who was removed,
// or whose password was changed since, is refused.
func (a *adminArea) parse(rt *Runtime, v string) (adminSession, error) {
	bind := func(user string) (string, bool) {
		if ad := a.admin(rt, user); ad != nil {
			return ad.PasswordHash, true
		}
		return "", false
	}
	var err error
	for _, k := range a.keyring(rt) {
		var sess adminSession
		if sess, err = k.parse(v, a.s.Now(), bind); err == nil {
			return sess, nil
		}
	}
	return adminSession{}, err
}

// sign returns the cookie value of a new session of ad.
func (a *adminArea) sign(rt *Runtime, sess adminSession, ad *Admin) string {
	return a.keyring(rt)[0].sign(sess, ad.PasswordHash)
}

// checkCSRF accepts the session's token under any key in force.
func (a *adminArea) checkCSRF(rt *Runtime, id, got string) bool {
	for _, k := range a.keyring(rt) {
		if k.checkCSRF(id, got) {
			return true
		}
	}
	return false
}

// checkLogin accepts the login form's token under any key in force.
func (a *adminArea) checkLogin(rt *Runtime, nonce, got string) bool {
	for _, k := range a.keyring(rt) {
		if k.checkLogin(nonce, got) {
			return true
		}
	}
	return false
}

// page wraps a GET handler: without a valid session it redirects to the
// login page (303), which comes back here afterwards.
func (a *adminArea) page(h func(http.ResponseWriter, *http.Request, adminSession)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := a.current(r)
		if !ok {
			target := adminLogin
			if safeNext(r.URL.Path) {
				target += "?tiep=" + r.URL.Path
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		h(w, r, sess)
	}
}

// action wraps a POST handler: cross-origin protection, a valid session
// and the session's CSRF token, in that order, or 403 with nothing done.
func (a *adminArea) action(h func(http.ResponseWriter, *http.Request, adminSession)) http.Handler {
	return a.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := a.current(r)
		if !ok {
			a.error(w, r, http.StatusForbidden, "Chưa đăng nhập",
				"Phiên đăng nhập không còn hiệu lực (đã hết hạn hoặc đã đăng xuất). Xin đăng nhập lại rồi thao tác lại; chưa có gì được thay đổi.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxAdminForm)
		if err := r.ParseForm(); err != nil || !a.checkCSRF(a.s.Runtime(), sess.ID, r.PostForm.Get("csrf")) {
			a.s.Log.Warn().Str("user", sess.User).Str("path", r.URL.Path).Msg("admin: CSRF token missing or wrong")
			a.error(w, r, http.StatusForbidden, "Yêu cầu bị từ chối",
				"Biểu mẫu không hợp lệ hoặc đã cũ. Xin tải lại trang quản trị rồi thao tác lại; chưa có gì được thay đổi.")
			return
		}
		h(w, r, sess)
		a.s.pages.invalidate() // the public pages show the change at once
	}))
}

// nextRE is where a login may return to: an admin page, no query.
var nextRE = regexp.MustCompile(`^/quan-tri/[a-z0-9/-]*$`)

func safeNext(p string) bool { return nextRE.MatchString(p) && p != adminLogin }

// adminPage is what the admin layout reads.
type adminPage struct {
	Title string
	Today string
	User  string // the admin's display name; "" before login
	CSRF  string // the session's CSRF token, for the logout form
}

// pageFor fills the layout fields for a logged-in admin.
func (a *adminArea) pageFor(sess adminSession, title string) adminPage {
	rt := a.s.Runtime()
	p := adminPage{Title: title, Today: a.s.today(rt.Setup).VN(), User: sess.User, CSRF: a.keyring(rt)[0].csrfToken(sess.ID)}
	if ad := a.admin(rt, sess.User); ad != nil && ad.Name != "" {
		p.User = ad.Name
	}
	return p
}

var adminPages = map[string]*template.Template{}

func init() {
	base := template.Must(template.New("admin_layout.html").Funcs(funcs).
		ParseFS(templateFS, "templates/admin_layout.html", "templates/parts.html"))
	for _, name := range []string{"login", "home", "occurrence", "log", "error"} {
		adminPages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/admin_"+name+".html"))
	}
}

// render executes an admin page into a buffer first, like Server.render.
func (a *adminArea) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	if err := writePage(w, code, adminPages[name], "admin_layout.html", data); err != nil {
		a.s.Log.Error().Err(err).Str("template", "admin_"+name).Msg("render")
		if name != "error" {
			a.error(w, r, http.StatusInternalServerError, "Lỗi hệ thống",
				"Hệ thống tạm thời không xử lý được yêu cầu. Xin thử lại sau ít phút.")
		} else {
			http.Error(w, "Lỗi hệ thống", http.StatusInternalServerError)
		}
	}
}

type adminErrorView struct {
	adminPage
	Code    int
	Message string
}

// error shows a Vietnamese error page of the admin area.
func (a *adminArea) error(w http.ResponseWriter, r *http.Request, code int, title, msg string) {
	a.render(w, r, code, "error", adminErrorView{adminPage: adminPage{Title: title}, Code: code, Message: msg})
}

func (a *adminArea) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.s.Log.Error().Err(err).Str("path", r.URL.Path).Msg("admin request failed")
	a.error(w, r, http.StatusInternalServerError, "Lỗi hệ thống",
		"Hệ thống tạm thời không xử lý được yêu cầu; chưa có gì được thay đổi. Xin thử lại sau ít phút; nếu lỗi còn lặp lại, xin báo quản trị hệ thống.")
}

// loginView is the login form.
type loginView struct {
	adminPage
	Token   string
	Next    string
	Error   string
	NoAdmin bool
}

// loginForm shows the login form and sets the cookie its token is bound
// to. A logged-in admin goes straight to the admin area.
func (a *adminArea) loginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.current(r); ok {
		http.Redirect(w, r, adminRoot, http.StatusSeeOther)
		return
	}
	next := r.URL.Query().Get("tiep")
	if !safeNext(next) {
		next = ""
	}
	a.showLogin(w, r, http.StatusOK, next, "")
}

func (a *adminArea) showLogin(w http.ResponseWriter, r *http.Request, code int, next, msg string) {
	// One nonce per browser, so that two open login tabs both work.
	nonce := newNonce(16)
	if c, err := r.Cookie(loginCookieName(r)); err == nil && isHex32(c.Value) {
		nonce = c.Value
	}
	setAdminCookie(w, r, loginCookieName(r), nonce, 3600)
	rt := a.s.Runtime()
	a.render(w, r, code, "login", loginView{adminPage: adminPage{Title: "Đăng nhập quản trị",
		Today: a.s.today(rt.Setup).VN()}, Token: a.keyring(rt)[0].loginToken(nonce), Next: next, Error: msg, NoAdmin: len(rt.Admins) == 0})
}

// login checks a user name and password. The form's token comes first, so
// that a forged or token-less POST is refused without counting; then the
// limits, so that a flood costs no bcrypt work; an unknown user is
// compared against a dummy hash, so that it takes as long as a wrong
// password.
func (a *adminArea) login(w http.ResponseWriter, r *http.Request) {
	client := a.s.clientKey(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxAdminForm)
	if err := r.ParseForm(); err != nil {
		a.error(w, r, http.StatusBadRequest, "Yêu cầu không hợp lệ", "Biểu mẫu đăng nhập không đọc được. Xin tải lại trang và thử lại.")
		return
	}
	next := r.PostForm.Get("tiep")
	if !safeNext(next) {
		next = ""
	}
	rt := a.s.Runtime()
	c, err := r.Cookie(loginCookieName(r))
	if err != nil || !a.checkLogin(rt, c.Value, r.PostForm.Get("csrf")) {
		a.s.rejectLog().Str("client", client).Msg("admin: login form token missing or wrong")
		a.error(w, r, http.StatusForbidden, "Biểu mẫu đã cũ",
			"Biểu mẫu đăng nhập không hợp lệ hoặc đã hết hạn. Xin mở lại trang đăng nhập rồi thử lại.")
		return
	}
	user, pass := r.PostForm.Get("ten-dang-nhap"), r.PostForm.Get("mat-khau")
	userKey := user
	if len(userKey) > maxLoginUserKey {
		userKey = userKey[:maxLoginUserKey]
	}
	now := a.s.Now()
	okClient, waitClient := a.limit.check(client, now)
	okUser, waitUser := a.users.check(userKey, now)
	okGlobal := false
	var waitGlobal time.Duration
	if okClient && okUser {
		okGlobal, waitGlobal = a.global.allow("", now)
	}
	if !okClient || !okUser || !okGlobal {
		wait := max(waitClient, waitUser, waitGlobal)
		a.s.rejectLog().Str("client", client).Str("user", userKey).Bool("client_limit", !okClient).
			Bool("user_limit", !okUser).Bool("global_limit", okClient && okUser && !okGlobal).Msg("admin: login rate limit")
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(wait)))
		a.error(w, r, http.StatusTooManyRequests, "Đăng nhập quá nhiều lần",
			"Có quá nhiều lần đăng nhập không thành công trong thời gian ngắn. Xin đợi vài phút rồi thử lại.")
		return
	}
	ad := a.admin(rt, user)
	if !a.passwordOK(rt, ad, pass) {
		a.limit.allow(client, now)
		a.users.allow(userKey, now)
		a.s.rejectLog().Str("user", userKey).Str("client", client).Msg("admin: login failed")
		a.showLogin(w, r, http.StatusUnauthorized, next, "Tên đăng nhập hoặc mật khẩu không đúng.")
		return
	}
	sess := newSession(ad.User, a.s.Now())
	setAdminCookie(w, r, sessionCookieName(r), a.sign(rt, sess, ad), int(sessionTTL.Seconds()))
	setAdminCookie(w, r, loginCookieName(r), "", -1)
	a.s.Log.Info().Str("user", ad.User).Str("client", client).Msg("admin: logged in")
	if next == "" {
		next = adminRoot
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// passwordOK runs exactly one bcrypt comparison whatever the input: against
// ad's hash, or a dummy one of the same cost when ad is nil.
func (a *adminArea) passwordOK(rt *Runtime, ad *Admin, pass string) bool {
	if len(pass) > 72 { // bcrypt reads no further; refuse rather than truncate
		pass = pass[:72]
		ad = nil
	}
	if ad == nil {
		bcrypt.CompareHashAndPassword(a.dummyHash(rt), []byte(pass))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(ad.PasswordHash), []byte(pass)) == nil
}

// dummyHash is a hash of a random password at the admins' highest cost,
// made on first use.
func (a *adminArea) dummyHash(rt *Runtime) []byte {
	a.dummyOnce.Do(func() {
		cost := bcrypt.DefaultCost
		if len(rt.Admins) > 0 {
			cost = bcrypt.MinCost
			for _, ad := range rt.Admins {
				if c, err := bcrypt.Cost([]byte(ad.PasswordHash)); err == nil && c > cost {
					cost = c
				}
			}
		}
		h, err := bcrypt.GenerateFromPassword([]byte(newNonce(16)), cost)
		if err != nil {
			panic(err) // only for a cost out of range, which Cost never returns
		}
		a.dummy = h
	})
	return a.dummy
}

// logoutAction ends the session: the cookie is cleared and its id revoked.
func (a *adminArea) logoutAction(w http.ResponseWriter, r *http.Request, sess adminSession) {
	if err := a.s.Store.RevokeSession(r.Context(), sess.ID, sess.Expires); err != nil {
		// The cookie is still cleared, but a copy of it would stay valid:
		// say so rather than pretend.
		a.s.Log.Error().Err(err).Str("user", sess.User).Msg("admin: logout not recorded")
		setAdminCookie(w, r, sessionCookieName(r), "", -1)
		a.error(w, r, http.StatusServiceUnavailable, "Chưa ghi nhận được việc đăng xuất",
			"Hệ thống chưa ghi được việc đăng xuất vào cơ sở dữ liệu. Trình duyệt này đã xóa phiên đăng nhập; xin thử đăng xuất lại sau ít phút hoặc báo quản trị hệ thống.")
		return
	}
	setAdminCookie(w, r, sessionCookieName(r), "", -1)
	a.s.Log.Info().Str("user", sess.User).Msg("admin: logged out")
	http.Redirect(w, r, adminLogin, http.StatusSeeOther)
}
