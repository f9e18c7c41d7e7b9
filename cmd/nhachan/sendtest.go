package main

import (
	"context"
	"flag"
	"fmt"
	"net/mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email"
)

// cmdSendTest sends one test message through the configured transport, so
// that an operator can prove the mail path before the first deadline.
func cmdSendTest(e env, args []string) error {
	fs := flag.NewFlagSet("send-test", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	to := fs.String("to", "", "địa chỉ người nhận (bắt buộc)")
	smtpURL := fs.String("smtp", "", "máy chủ SMTP (thay cho cấu hình)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(*to); err != nil || a.Address != *to {
		return usageError("--to %q: cần một địa chỉ thư điện tử", *to)
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	tpl, err := email.LoadTemplates(cfg.Daemon.TemplatesDir)
	if err != nil {
		return err
	}
	sender, via, err := buildSender(cfg, *smtpURL, "")
	if err != nil {
		return err
	}
	ch := &email.Channel{Sender: sender, Templates: tpl, Domain: domainOf(cfg.Daemon.FromAddr),
		From: duty.Recipient{Addr: cfg.Daemon.FromAddr, Name: cfg.Daemon.FromName}}
	now := e.now()
	n := duty.Notice{Key: "test/" + now.UTC().Format("20060102T150405.000000000") + "/" + *to,
		Kind: duty.KindTest, Date: now.In(cfg.Location), To: duty.Recipient{Addr: *to}}
	var res duty.Outcome
	ch.Deliver(context.Background(), []duty.Notice{n}, func(_ int, o duty.Outcome) { res = o })
	if res.Class != duty.Delivered {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan send-test: không gửi được qua %s: %v", via, res.Err)}
	}
	fmt.Fprintf(e.stdout, "Đã gửi thư thử nghiệm tới %s qua %s: %s\n", *to, via, res.Response)
	return nil
}
