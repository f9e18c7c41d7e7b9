package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/smtpconf"
)

// Daemon is what `nhachan serve` and `simulate` need beyond the schedules.
type Daemon struct {
	// Database is the SQLite file (OS path). Default var/nhachan.db under
	// the working directory.
	Database string
	// TrackingStart: occurrences due before it are history, never
	// reminded. Zero: the day the database was created.
	TrackingStart schedule.Date
	// Tick is the cron spec that wakes the engine (default every minute).
	Tick string
	// PublicURL is the base of links in mail ("" until the web issue).
	PublicURL string
	// FromName and FromAddr sign every message.
	FromName, FromAddr string
	// OutboxDir receives .eml files when no SMTP server is configured.
	OutboxDir string
	// SMTP is nil when mail goes to OutboxDir.
	SMTP *SMTP
	// TemplatesDir holds admins' template overrides ("" for none).
	TemplatesDir string
	Policy       duty.Policy
	// AnyTime opens the send window every day at every hour (demos only).
	AnyTime bool
	// Recipients beyond the agencies themselves.
	FollowUp             string // agency id (Sở Nội vụ)
	FollowUpLeadership   []duty.Dated
	ProvincialOffice     string // agency id (Văn phòng UBND tỉnh)
	ProvincialLeadership []duty.Dated
	// Contacts are the follow-up agency's desks (replies go to the one in
	// use on the send day, and the letters' footer names it).
	Contacts []duty.DatedContact
	// Demo marks every letter as a demonstration in its first line.
	Demo bool
	// Links: the signing keys of links in mail and calendar feeds (OS
	// paths; "" when links are off) and how many days after the deadline a
	// link stays valid.
	LinkKeyFile, LinkPreviousKeyFile string
	LinkValidDays                    int
	// Admins may log in to the web admin area.
	Admins []Admin
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client for the web server's rate limits; none: the header is
	// ignored.
	TrustedProxies []netip.Prefix
	// MetricsListen is the address of a listener for /metrics alone; ""
	// serves /metrics on the web pages' listener, to loopback peers only.
	MetricsListen string
}

// Admin is a web admin: a user name and a bcrypt hash of the password.
type Admin struct {
	User, Name, PasswordHash string
}

// SMTP is the mail server. The password is never in the configuration:
// it comes from PasswordFile or the environment variable PasswordEnv.
type SMTP struct {
	Server       smtpconf.Server
	URL          string
	PasswordFile string
	PasswordEnv  string
}

var adminRE = regexp.MustCompile(`^[a-z0-9._-]{1,64}$`)

const (
	defaultTick     = "@every 1m"
	defaultDatabase = "var/nhachan.db"
	defaultOutbox   = "var/outbox"
)

func (l *loader) loadDaemon(mf mainFile, dir string, r reporter, cfg *Config) Daemon {
	d := Daemon{
		Database: defaultDatabase, Tick: defaultTick, OutboxDir: defaultOutbox,
		Policy: duty.DefaultPolicy(), FromName: "Hệ thống nhắc hạn", FromAddr: "nhachan@localhost.localdomain",
		FollowUp: "so-noi-vu", ProvincialOffice: "van-phong-ubnd-tinh",
	}
	rel := func(p string) string {
		if p == "" || strings.HasPrefix(p, "/") {
			return p
		}
		return l.toOS(path.Join(dir, p))
	}
	if mf.Database != "" {
		d.Database = rel(mf.Database)
	}
	if mf.TrackingStart != nil {
		d.TrackingStart = *mf.TrackingStart
	}
	if mf.Tick != "" {
		if _, err := cron.ParseStandard(mf.Tick); err != nil {
			r.errorf(mf.At.Key("tick"), "tick %q không phải lịch cron hợp lệ (ví dụ: @every 1m): %v", mf.Tick, err)
		}
		d.Tick = mf.Tick
	}
	if mf.PublicURL != "" {
		u, err := url.Parse(mf.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.errorf(mf.At.Key("public_url"), "public_url %q: cần một địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://", mf.PublicURL)
		}
		d.PublicURL = strings.TrimSuffix(mf.PublicURL, "/")
	}
	for i, v := range mf.TrustedProxies {
		p, err := parseProxy(v)
		if err != nil {
			r.errorf(mf.At.Key("trusted_proxies"), "trusted_proxies[%d]: %v", i, err)
			continue
		}
		d.TrustedProxies = append(d.TrustedProxies, p)
	}
	if mf.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(mf.MetricsListen); err != nil {
			r.errorf(mf.At.Key("metrics_listen"), "metrics_listen %q: cần dạng máy:cổng, ví dụ 127.0.0.1:9100", mf.MetricsListen)
		}
		d.MetricsListen = mf.MetricsListen
	}
	if m := mf.Mail; m != nil {
		if m.From != nil {
			checkEmail(r, m.From.At.Key("addr"), "mail.from.addr", m.From.Addr)
			d.FromAddr = m.From.Addr
			if m.From.Name != "" {
				if strings.ContainsAny(m.From.Name, "\r\n") {
					r.errorf(m.From.At.Key("name"), "mail.from.name chỉ được viết trên một dòng")
				}
				d.FromName = m.From.Name
			}
		}
		if m.OutboxDir != "" {
			d.OutboxDir = rel(m.OutboxDir)
		}
		for i, c := range m.ReplyTo {
			name := "mail.reply_to[" + itoa(i+1) + "]"
			checkEmail(r, c.At.Key("addr"), name+".addr", c.Addr)
			for _, key := range []string{"desk", "phone", "address"} {
				v := map[string]string{"desk": c.Desk, "phone": c.Phone, "address": c.Address}[key]
				if strings.ContainsAny(v, "\r\n") || strings.TrimSpace(v) == "" {
					r.errorf(c.At.Key(key), "%s.%s phải có nội dung và chỉ viết trên một dòng", name, key)
				}
			}
			dc := duty.DatedContact{Contact: duty.Contact{Desk: c.Desk, Addr: c.Addr, Phone: c.Phone, Address: c.Address}}
			dc.ValidFrom, dc.ValidUntil = validity(r, c.At, name, c.ValidFrom, c.ValidUntil)
			for _, prev := range d.Contacts {
				if overlaps(prev.ValidFrom, prev.ValidUntil, dc.ValidFrom, dc.ValidUntil) {
					r.errorf(c.At.Pos, "%s: thời gian trùng với một đầu mối liên hệ phía trên; mỗi đầu mối cần valid_from/valid_until riêng, không chồng lên nhau", name)
					break
				}
			}
			d.Contacts = append(d.Contacts, dc)

		}
		d.Demo = m.Demo
		if m.TemplatesDir != "" {
			d.TemplatesDir = rel(m.TemplatesDir)
		}
		if s := m.SMTP; s != nil {
			srv, err := smtpconf.Parse(s.URL)
			if err != nil {
				r.errorf(s.At.Key("url"), "mail.smtp.url: %v", err)
			}
			srv.Username = s.Username
			if s.Username != "" && s.PasswordFile == "" && s.PasswordEnv == "" {
				r.errorf(s.At.Key("username"), "mail.smtp: có username thì phải có password_file hoặc password_env (mật khẩu không bao giờ ghi trong tệp này)")
			}
			d.SMTP = &SMTP{Server: srv, URL: s.URL, PasswordFile: rel(s.PasswordFile), PasswordEnv: s.PasswordEnv}
		}
	}
	if p := mf.Policy; p != nil {
		pol := d.Policy
		if p.ReminderDays != nil {
			pol.ReminderDays = p.ReminderDays
		}
		setInt := func(dst *int, v *int) {
			if v != nil {
				*dst = *v
			}
		}
		setBool := func(dst *bool, v *bool) {
			if v != nil {
				*dst = *v
			}
		}
		setInt(&pol.Level2AfterDays, p.Level2AfterDays)
		setInt(&pol.RepeatEveryDays, p.RepeatEveryDays)
		setInt(&pol.MaxRepeats, p.MaxRepeats)
		setInt(&pol.SendHour, p.SendHour)
		setBool(&pol.CopyFollowUp, p.CopyFollowUp)
		setBool(&pol.DailyDigest, p.DailyDigest)
		setBool(&pol.RemindCoordinating, p.RemindCoordinating)
		setBool(&pol.WeeklySummary, p.WeeklySummary)
		if err := pol.Validate(); err != nil {
			r.errorf(p.At.Pos, "policy: %v", err)
		}
		d.Policy = pol
		d.AnyTime = p.AnyTime
	}
	if rc := mf.Recipients; rc != nil {
		if rc.FollowUp != "" {
			d.FollowUp = rc.FollowUp
		}
		if rc.ProvincialOffice != "" {
			d.ProvincialOffice = rc.ProvincialOffice
		}
		d.FollowUpLeadership = leaders(r, "recipients.follow_up_leadership", rc.FollowUpLeadership)
		d.ProvincialLeadership = leaders(r, "recipients.provincial_leadership", rc.ProvincialLeadership)
	}
	d.LinkValidDays = 60
	if lk := mf.Links; lk != nil {
		d.LinkKeyFile, d.LinkPreviousKeyFile = rel(lk.KeyFile), rel(lk.PreviousKeyFile)
		if lk.ValidDays != nil {
			if *lk.ValidDays < 1 || *lk.ValidDays > 400 {
				r.errorf(lk.At.Key("valid_days"), "links.valid_days phải từ 1 đến 400")
			}
			d.LinkValidDays = *lk.ValidDays
		}
	}
	seenAdmin := map[string]bool{}
	for _, a := range mf.Admins {
		if !adminRE.MatchString(a.User) {
			r.errorf(a.At.Key("user"), "admins: tên đăng nhập %q: chỉ dùng chữ thường không dấu, chữ số, '.', '_' hoặc '-'", a.User)
		}
		if seenAdmin[a.User] {
			r.errorf(a.At.Key("user"), "admins: tên đăng nhập %q được ghi hai lần", a.User)
		}
		seenAdmin[a.User] = true
		if !strings.HasPrefix(a.PasswordHash, "$2a$") && !strings.HasPrefix(a.PasswordHash, "$2b$") && !strings.HasPrefix(a.PasswordHash, "$2y$") {
			r.errorf(a.At.Key("password_hash"), "admins: tên đăng nhập %q: password_hash phải là mã băm bcrypt ($2b$…) do nhachan hash-password tạo, không bao giờ là mật khẩu", a.User)
		}
		d.Admins = append(d.Admins, Admin{User: a.User, Name: a.Name, PasswordHash: a.PasswordHash})
	}
	if len(d.Contacts) == 0 {
		r.warnf(mf.At.Pos, "chưa đặt mail.reply_to: thư không ghi đầu mối để liên hệ hay trả lời, thư trả lời sẽ về địa chỉ gửi")
	}
	if cfg.Directory != nil {
		for _, key := range []string{"follow_up", "provincial_office"} {
			id := map[string]string{"follow_up": d.FollowUp, "provincial_office": d.ProvincialOffice}[key]
			if _, ok := cfg.Directory.Agency(id); ok {
				continue
			}
			if mf.Recipients != nil && mf.Recipients.At.Has(key) {
				r.errorf(mf.Recipients.At.Key(key), "recipients.%s: không có cơ quan %q trong danh bạ%s", key, id, didYouMean(id, dirIDs(cfg.Directory)))
				continue
			}
			// The default id is not in this directory: say so, but a
			// configuration used only for planning need not name it.
			r.warnf(mf.At.Pos, "recipients.%s chưa được đặt và danh bạ không có cơ quan %q: hệ thống sẽ không gửi thư cho vai trò này", key, id)
			if key == "follow_up" {
				d.FollowUp = ""
			} else {
				d.ProvincialOffice = ""
			}
		}
	}
	return d
}

// leaders reads a leadership address list: each address checked, each
// validity period in order.
func leaders(r reporter, key string, raw []leaderRaw) []duty.Dated {
	out := make([]duty.Dated, 0, len(raw))
	for i, l := range raw {
		name := key + "[" + itoa(i+1) + "]"
		checkEmail(r, l.At.Key("addr"), name, l.Addr)
		a := duty.Dated{Addr: l.Addr}
		a.ValidFrom, a.ValidUntil = validity(r, l.At, name, l.ValidFrom, l.ValidUntil)
		out = append(out, a)
	}
	return out
}

// overlaps reports whether two validity periods (zero: open) share a day.
func overlaps(f1, u1, f2, u2 schedule.Date) bool {
	if u1 == 0 {
		u1 = schedule.MaxDate
	}
	if u2 == 0 {
		u2 = schedule.MaxDate
	}
	return f1 <= u2 && f2 <= u1
}

// parseProxy reads one trusted proxy: an address or a CIDR network.
func parseProxy(v string) (netip.Prefix, error) {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "/") {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q không phải là địa chỉ IP hoặc dải mạng (CIDR, ví dụ 172.17.0.0/16)", v)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q không phải là địa chỉ IP hoặc dải mạng (CIDR, ví dụ 172.17.0.0/16)", v)
	}
	return p.Masked(), nil
}

// validity reads an entry's optional valid_from and valid_until (0 when
// absent: open-ended) and reports an end before the start at valid_until.
func validity(r reporter, pos at, name string, from, until *schedule.Date) (schedule.Date, schedule.Date) {
	var f, u schedule.Date
	if from != nil {
		f = *from
	}
	if until != nil {
		u = *until
	}
	if f != 0 && u != 0 && u < f {
		r.errorf(pos.Key("valid_until"), "%s: valid_until %s trước valid_from %s", name, u.VN(), f.VN())
	}
	return f, u
}
