package httpui

import (
	"context"
	"net/netip"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// Runtime is what the configuration decides for the web server: the
// engine's setup (directory, schedules, calendar, public URL), the link
// verifier, the admins and the keys of their sessions. The daemon builds
// one with the engine's and swaps both in one step on reload, so that a
// rotated key, a changed password or a removed admin takes effect on the
// next request, and nothing keeps a copy from start-up.
type Runtime struct {
	Setup notify.Setup
	// Links verifies signed links (calendar feed tokens, and the
	// /xac-nhan/ and /gia-han/ pages of links.go) with the current and the
	// previous key; nil when links.key_file is not configured.
	Links *signlink.Signer
	// Admins may log in to the admin area (/quan-tri/); none: nobody can.
	Admins []Admin
	// SessionKeys sign admin sessions and their CSRF tokens (each at least
	// 32 bytes): the first signs, every one verifies, so that sessions
	// opened before a key rotation last while the previous key is still
	// configured and end when it is removed. Empty: a random key drawn
	// once at start, so every admin session ends when the daemon restarts.
	SessionKeys [][]byte
	// TrustedProxies are the reverse proxies (networks) that append the
	// client's address to X-Forwarded-For: from them, rate limits key on
	// that address (clientKey). Server.TrustLocalProxy adds loopback.
	// None: forwarding headers are ignored.
	TrustedProxies []netip.Prefix
}

// Store is what the pages read and the admin and link actions write.
type Store interface {
	Ping(ctx context.Context) error
	// HealthCheck reads the outbox's depth on a connection of its own,
	// for /healthz.
	HealthCheck(ctx context.Context) (duty.Depth, error)
	Occurrence(ctx context.Context, id int64) (duty.Occurrence, error)
	BoardRows(ctx context.Context, year int) ([]duty.BoardRow, error)
	Timeline(ctx context.Context, occurrenceID int64) (duty.Timeline, error)
	YearRecords(ctx context.Context, year int) ([]duty.Record, error)
	AgencyRecords(ctx context.Context, agencyID string, from, to schedule.Date) ([]duty.Record, error)
	// QuotaCounts counts the entries of counted duties ("1/3 cuộc").
	QuotaCounts(ctx context.Context, ids ...int64) (map[int64]int, error)
	GaugeStore

	RecordSubmission(ctx context.Context, s duty.Submission) error
	CorrectSubmission(ctx context.Context, occurrenceID int64, ref string, on schedule.Date, note, actor string) error
	Waive(ctx context.Context, occurrenceID int64, reason, actor string) error
	Extend(ctx context.Context, occurrenceID int64, newDue schedule.Date, reason, actor string) error
	Reopen(ctx context.Context, occurrenceID int64, reason, actor string) error
	ConfirmSubmission(ctx context.Context, occurrenceID int64, actor string) error
	PendingExtensionRequest(ctx context.Context, occurrenceID int64) (duty.ExtensionRequest, bool, error)
	UnconfirmedSubmissions(ctx context.Context, limit int) ([]duty.Record, error)
	AuditLog(ctx context.Context, limit int) ([]duty.AuditEntry, error)
	AuditLogBefore(ctx context.Context, before int64, limit int) ([]duty.AuditEntry, error)

	RevokeSession(ctx context.Context, id string, expires time.Time) error
	SessionRevoked(ctx context.Context, id string) (bool, error)
}

// setup is the engine's setup in force.
func (s *Server) setup() notify.Setup { return s.Runtime().Setup }
