package main

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/httpui"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// snapshot is everything the configuration decides, built as one value and
// validated whole before it is used: the engine's setup (schedules,
// directory, holidays, policy, the mail channel with its sender, templates
// and identity, the link signer) and the web server's half (the link
// verifier with both keys, the admins, the admin session keys). serve keeps
// it behind one atomic pointer that the engine and the web server both
// read, so a reload swaps it for both in one step, and a snapshot that
// fails to build is refused whole while the previous one stays in force.
type snapshot struct {
	engine notify.Setup
	web    httpui.Runtime
	via    string   // where mail goes, for the log
	tick   string   // the cron spec that wakes the engine
	watch  []string // the files whose change reloads it
}

// runtimeOptions are the command line's overrides of the configuration.
type runtimeOptions struct {
	smtpURL   string // --smtp
	publicURL string // --public-url
	outbox    string // the .eml folder when there is no SMTP server ("": the configuration's)
	// trustedProxies (--trusted-proxies) replace the configuration's
	// trusted_proxies when given.
	trustedProxies []netip.Prefix
}

// buildSnapshot builds the runtime snapshot of cfg. firstDay is the tracking start
// when neither the configuration nor the database has one.
func buildSnapshot(ctx context.Context, cfg *config.Config, store *sqlite.DB, firstDay schedule.Date, o runtimeOptions) (*snapshot, error) {
	d := cfg.Daemon
	signer, err := buildSigner(cfg)
	if err != nil {
		return nil, err
	}
	sessionKeys, err := adminSessionKeys(cfg)
	if err != nil {
		return nil, err
	}
	sender, via, err := buildSender(cfg, o.smtpURL, o.outbox)
	if err != nil {
		return nil, err
	}
	tpl, err := email.LoadTemplates(d.TemplatesDir)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	channel := &email.Channel{Sender: sender, Templates: tpl, Domain: domainOf(d.FromAddr),
		From: duty.Recipient{Addr: d.FromAddr, Name: d.FromName}}
	setup, err := buildSetup(ctx, cfg, store, firstDay, o.publicURL, signer, channel)
	if err != nil {
		return nil, err
	}
	rt := &snapshot{engine: setup, via: via, tick: d.Tick,
		web: httpui.Runtime{Setup: setup, Links: signer, SessionKeys: sessionKeys, TrustedProxies: d.TrustedProxies}}
	if o.trustedProxies != nil {
		rt.web.TrustedProxies = o.trustedProxies
	}
	for _, a := range d.Admins {
		rt.web.Admins = append(rt.web.Admins, httpui.Admin{User: a.User, Name: a.Name, PasswordHash: a.PasswordHash})
	}
	rt.watch = append(rt.watch, cfg.Files...)
	for _, f := range []string{d.LinkKeyFile, d.LinkPreviousKeyFile} {
		if f != "" {
			rt.watch = append(rt.watch, credentialFile(cfg, f))
		}
	}
	if d.TemplatesDir != "" {
		for _, name := range []string{email.SubjectFile, email.TextFile, email.HTMLFile} {
			rt.watch = append(rt.watch, filepath.Join(d.TemplatesDir, name))
		}
	}
	return rt, nil
}

// domainOf is the domain of an address, the right-hand side of
// Message-IDs.
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}
