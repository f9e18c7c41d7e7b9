package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
	"github.com/ninhthuan/nhachan/internal/smtpconf"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// daemonFlags are the flags serve and simulate share.
type daemonFlags struct {
	config, db, smtp, publicURL *string
}

// buildSetup turns a loaded configuration into the engine's setup. The
// tracking start is the configuration's, or else the day the database first
// saw the daemon (kept in the database, so a restart does not move it).
// signer (nil when links are off) signs the links of the letters; channel
// delivers them.
func buildSetup(ctx context.Context, cfg *config.Config, store *sqlite.DB, firstDay schedule.Date, publicURL string,
	signer *signlink.Signer, channel notify.Channel) (notify.Setup, error) {
	d := cfg.Daemon
	start := d.TrackingStart
	if start == 0 {
		v, err := store.InitMeta(ctx, "tracking_start", firstDay.String())
		if err != nil {
			return notify.Setup{}, err
		}
		if start, err = schedule.ParseDate(v); err != nil {
			return notify.Setup{}, fmt.Errorf("tracking_start in the database: %w", err)
		}
	}
	if publicURL == "" {
		publicURL = d.PublicURL
	}
	var links func(int64, string, schedule.Date) (string, string)
	if signer != nil && publicURL != "" {
		loc := cfg.Location
		links = func(occ int64, agency string, deadline schedule.Date) (string, string) {
			// Valid until the end of the day, ValidDays after the deadline.
			exp := deadline.AddDays(d.LinkValidDays + 1).In(loc)
			confirm, err1 := signer.Sign(signlink.Claims{Occurrence: occ, Agency: agency, Action: signlink.ActionSubmit, Expires: exp})
			extend, err2 := signer.Sign(signlink.Claims{Occurrence: occ, Agency: agency, Action: signlink.ActionExtend, Expires: exp})
			if err1 != nil || err2 != nil {
				return "", "" // no link beats a link that can never verify
			}
			return publicURL + "/xac-nhan/" + confirm, publicURL + "/gia-han/" + extend
		}
	}
	return notify.Setup{
		Links:   links,
		Planner: cfg.Planner(), Policy: d.Policy, AnyTime: d.AnyTime, TrackingStart: start,
		Location: cfg.Location, PublicURL: publicURL, Channel: channel,
		FollowUp: d.FollowUp, FollowUpLeadership: d.FollowUpLeadership,
		ProvincialOffice: d.ProvincialOffice, ProvincialLeadership: d.ProvincialLeadership,
		Contacts: d.Contacts, Demo: d.Demo,
	}, nil
}

// readKey reads the key file that the configuration key names (a bare
// name is read from $CREDENTIALS_DIRECTORY when set).
func readKey(cfg *config.Config, key, file string) (signlink.Key, error) {
	k, err := signlink.KeyFromFile(credentialFile(cfg, file))
	if err != nil {
		return signlink.Key{}, fmt.Errorf("%s: %w", key, err)
	}
	return k, nil
}

// buildSigner loads the link signing keys; nil when links are off.
func buildSigner(cfg *config.Config) (*signlink.Signer, error) {
	d := cfg.Daemon
	if d.LinkKeyFile == "" {
		return nil, nil
	}
	cur, err := readKey(cfg, "links.key_file", d.LinkKeyFile)
	if err != nil {
		return nil, err
	}
	var prev []signlink.Key
	if d.LinkPreviousKeyFile != "" {
		k, err := readKey(cfg, "links.previous_key_file", d.LinkPreviousKeyFile)
		if err != nil {
			return nil, err
		}
		prev = append(prev, k)
	}
	return signlink.NewSigner(cur, prev...)
}

// adminSessionKeys are the keys of the web admin sessions, derived from
// the links keys when links.key_file is set: the current key signs, the
// previous one still verifies, so that sessions outlive a restart and
// rotate with those keys, and removing a leaked key ends the sessions it
// signed. None when links are off (httpui then draws a random key at
// start, and sessions end with the process).
func adminSessionKeys(cfg *config.Config) ([][]byte, error) {
	var out [][]byte
	for _, f := range []struct{ key, file string }{
		{"links.key_file", cfg.Daemon.LinkKeyFile},
		{"links.previous_key_file", cfg.Daemon.LinkPreviousKeyFile},
	} {
		if f.file == "" || cfg.Daemon.LinkKeyFile == "" {
			continue
		}
		k, err := readKey(cfg, f.key, f.file)
		if err != nil {
			return nil, err
		}
		out = append(out, k.Derive("nhachan/admin-session/v1"))
	}
	return out, nil
}

// buildSender returns the SMTP sender when a server is configured (or given
// with --smtp), else the outbox folder writer (outbox, or the configured
// folder when outbox is "").
func buildSender(cfg *config.Config, smtpURL, outbox string) (email.Sender, string, error) {
	d := cfg.Daemon
	if smtpURL != "" {
		srv, err := smtpconf.Parse(smtpURL)
		if err != nil {
			return nil, "", usageError("--smtp: %v", err)
		}
		if d.SMTP != nil {
			srv.Username = d.SMTP.Server.Username
			pw, err := smtpconf.PasswordFrom(credentialFile(cfg, d.SMTP.PasswordFile), d.SMTP.PasswordEnv)
			if err != nil {
				return nil, "", err
			}
			srv.Password = pw
		}
		return email.NewSMTPSender(srv), "smtp " + srv.Host, nil
	}
	if d.SMTP != nil {
		srv := d.SMTP.Server
		if srv.Username != "" {
			pw, err := smtpconf.PasswordFrom(credentialFile(cfg, d.SMTP.PasswordFile), d.SMTP.PasswordEnv)
			if err != nil {
				return nil, "", err
			}
			srv.Password = pw
		}
		return email.NewSMTPSender(srv), "smtp " + srv.Host, nil
	}
	if outbox == "" {
		outbox = d.OutboxDir
	}
	if err := os.MkdirAll(outbox, 0o750); err != nil {
		return nil, "", fmt.Errorf("outbox folder: %w", err)
	}
	return email.NewDirSender(outbox), "outbox " + outbox, nil
}

// credentialFile is where a secret file of the configuration is read: a
// bare name (password_file: smtp-password, key_file: link-key) is looked up
// in $CREDENTIALS_DIRECTORY, where systemd's LoadCredential= puts it, when
// that is set; otherwise (and for any path with a folder in it) the path
// the configuration resolved next to its file.
func credentialFile(cfg *config.Config, resolved string) string {
	dir := os.Getenv("CREDENTIALS_DIRECTORY")
	if dir == "" || resolved == "" || cfg.File == "" {
		return resolved
	}
	name, err := filepath.Rel(filepath.Dir(cfg.File), resolved)
	if err != nil || name == "." || strings.ContainsRune(name, filepath.Separator) {
		return resolved
	}
	return filepath.Join(dir, name)
}

// openStore opens the database, creating its folder.
func openStore(path string, now func() time.Time) (*sqlite.DB, error) {
	if err := ensureDir(path); err != nil {
		return nil, err
	}
	return sqlite.Open(path, sqlite.Options{Now: now})
}

// ensureDir creates the folder of a file path.
func ensureDir(path string) error {
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		if err := os.MkdirAll(path[:i], 0o750); err != nil {
			return fmt.Errorf("database folder: %w", err)
		}
	}
	return nil
}

func newLogger(e env) zerolog.Logger {
	return zerolog.New(e.stderr).With().Timestamp().Logger()
}
