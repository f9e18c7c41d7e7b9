package main

import (
	"context"
	"flag"
	"fmt"
	"net/mail"

	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/email"
)

// cmdSendTest sends one test message through the configured transport, so
// that an operator can prove the mail path before the first deadline.
func cmdSendTest(e env, args []string) error {
	fs := flag.NewFlagSet("send-test", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	to := fs.String("to", "", "recipient address (required)")
	smtpURL := fs.String("smtp", "", "SMTP server (overrides the configuration)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(*to); err != nil || a.Address != *to {
		return usageError("--to %q: want a plain e-mail address", *to)
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
	now := e.now()
	m := email.Message{
		Key: "test/" + now.UTC().Format("20060102T150405.000000000") + "/" + *to, Kind: email.KindTest, Date: now,
		From: email.Recipient{Addr: cfg.Daemon.FromAddr, Name: cfg.Daemon.FromName}, To: email.Recipient{Addr: *to},
	}
	r, err := tpl.Render(m)
	if err != nil {
		return err
	}
	domain := domainOf(cfg.Daemon.FromAddr)
	msg, err := email.Build(m, r, domain)
	if err != nil {
		return err
	}
	res := sender.Send(context.Background(), []*gomail.Msg{msg})[0]
	if res.Class != email.OK {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan send-test: not sent via %s: %v", via, res.Err)}
	}
	fmt.Fprintf(e.stdout, "Đã gửi thư thử nghiệm tới %s qua %s: %s\n", *to, via, res.Response)
	return nil
}

func domainOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == '@' {
			return addr[i+1:]
		}
	}
	return addr
}
