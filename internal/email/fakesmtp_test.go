package email

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// fakeSMTP is a small in-process SMTP server that misbehaves on demand. It
// speaks just enough of RFC 5321 for go-mail: EHLO, AUTH PLAIN, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT. Mailpit covers the well-behaved server; this one
// covers the faults Mailpit cannot produce on cue.
type fakeSMTP struct {
	Addr string
	Host string
	Port int

	mu sync.Mutex
	faults
	connections int
	delivered   []string // recipient of each accepted message
	mails       int
}

// faults are the server's misbehaviours; change them with set.
type faults struct {
	Greeting   string            // default "220 fake ESMTP"; "hang" says nothing
	AuthReply  string            // reply to AUTH; default "235 2.7.0 ok"
	MailReply  string            // reply to MAIL; default "250 2.1.0 ok"
	RcptReply  map[string]string // by address; default "250 2.1.5 ok"
	DataReply  string            // final reply after the data; default queued
	DropAtMail int               // close the connection on the n-th MAIL (1-based); 0 never
}

// set changes the faults while the server runs (a server "recovering").
func (f *fakeSMTP) set(fl faults) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = fl
}

func (f *fakeSMTP) conf() faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.faults
}

func startFakeSMTP(t *testing.T, fl faults) *fakeSMTP {
	t.Helper()
	return startFakeSMTPOn(t, "127.0.0.1:0", fl)
}

func startFakeSMTPOn(t *testing.T, addr string, fl faults) *fakeSMTP {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{Addr: l.Addr().String(), Host: l.Addr().(*net.TCPAddr).IP.String(), Port: l.Addr().(*net.TCPAddr).Port}
	f.faults = fl
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.connections++
			f.mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); f.serve(c) }()
		}
	}()
	return f
}

func (f *fakeSMTP) stats() (connections int, delivered []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.connections, append([]string(nil), f.delivered...)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(s string) bool {
		_, err := fmt.Fprintf(c, "%s\r\n", s)
		return err == nil
	}
	greeting := or(f.conf().Greeting, "220 fake ESMTP")
	if greeting == "hang" {
		_, _ = r.ReadString('\n') // until the client gives up
		return
	}
	if !reply(greeting) || !strings.HasPrefix(greeting, "220") {
		return
	}
	var rcpt string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		fl := f.conf()
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			reply("250-fake\r\n250-AUTH PLAIN\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME")
		case "AUTH":
			reply(or(fl.AuthReply, "235 2.7.0 ok"))
		case "MAIL":
			f.mu.Lock()
			f.mails++
			n := f.mails
			f.mu.Unlock()
			if fl.DropAtMail > 0 && n == fl.DropAtMail {
				return // hang up without a word, like a crashed relay
			}
			reply(or(fl.MailReply, "250 2.1.0 ok"))
		case "RCPT":
			_, addr, _ := strings.Cut(arg, "<")
			rcpt, _, _ = strings.Cut(addr, ">")
			reply(or(fl.RcptReply[rcpt], "250 2.1.5 ok"))
		case "DATA":
			reply("354 go ahead")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			dr := or(fl.DataReply, "")
			if dr == "" {
				f.mu.Lock()
				f.delivered = append(f.delivered, rcpt)
				dr = fmt.Sprintf("250 2.0.0 Ok: queued as Q%d", len(f.delivered))
				f.mu.Unlock()
			}
			reply(dr)
		case "RSET", "NOOP":
			reply("250 2.0.0 ok")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 unknown command")
		}
	}
}
