package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// notifyListener is a fake service manager: a unixgram socket collecting
// the datagrams sent to it.
type notifyListener struct {
	conn *net.UnixConn
	mu   sync.Mutex
	got  []string
}

func listenNotify(t *testing.T, name string) *notifyListener {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	l := &notifyListener{conn: conn}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, _, err := conn.ReadFromUnix(buf)
			if err != nil {
				return
			}
			l.mu.Lock()
			l.got = append(l.got, string(buf[:n]))
			l.mu.Unlock()
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return l
}

func (l *notifyListener) states() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

func TestSdNotifyUnset(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	sent, err := sdNotify("READY=1")
	if sent || err != nil {
		t.Fatalf("without NOTIFY_SOCKET: sent=%v err=%v, want a silent no-op", sent, err)
	}
}

func TestSdNotifyPathSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	l := listenNotify(t, sock)
	t.Setenv("NOTIFY_SOCKET", sock)
	for _, s := range []string{"READY=1", "WATCHDOG=1", "STOPPING=1"} {
		if sent, err := sdNotify(s); !sent || err != nil {
			t.Fatalf("sdNotify(%s): sent=%v err=%v", s, sent, err)
		}
	}
	pollUntil(t, 5*time.Second, "three datagrams", func() bool { return len(l.states()) == 3 })
	if got := strings.Join(l.states(), ","); got != "READY=1,WATCHDOG=1,STOPPING=1" {
		t.Fatalf("got %s", got)
	}
}

func TestSdNotifyAbstractSocket(t *testing.T) {
	name := fmt.Sprintf("@nhachan-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	l := listenNotify(t, name) // Go maps a leading '@' to the abstract namespace
	t.Setenv("NOTIFY_SOCKET", name)
	if sent, err := sdNotify("READY=1"); !sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	pollUntil(t, 5*time.Second, "READY=1", func() bool { return len(l.states()) == 1 })
	if l.states()[0] != "READY=1" {
		t.Fatalf("got %q", l.states())
	}
}

func TestSdNotifyNoListener(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "absent"))
	if sent, err := sdNotify("READY=1"); sent || err == nil {
		t.Fatalf("to a missing socket: sent=%v err=%v, want an error", sent, err)
	}
}

func TestWatchdogTimeout(t *testing.T) {
	for _, tc := range []struct {
		usec, pid string
		want      time.Duration
	}{
		{"", "", 0},
		{"180000000", "", 180 * time.Second},
		{"180000000", fmt.Sprint(os.Getpid()), 180 * time.Second},
		{"180000000", "1", 0}, // meant for another process
		{"junk", "", 0},
	} {
		t.Setenv("WATCHDOG_USEC", tc.usec)
		t.Setenv("WATCHDOG_PID", tc.pid)
		if got := watchdogTimeout(); got != tc.want {
			t.Errorf("WATCHDOG_USEC=%q WATCHDOG_PID=%q: %s, want %s", tc.usec, tc.pid, got, tc.want)
		}
	}
}

// TestServeNotifiesSystemd runs the daemon with NOTIFY_SOCKET, as systemd
// does for Type=notify: READY=1 once started, WATCHDOG=1 after each tick
// (every second here), STOPPING=1 on SIGTERM, in that order.
func TestServeNotifiesSystemd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon")
	}
	c := writeProcConfig(t, 1, "", 200) // no mail due: outbox only
	sock := filepath.Join(t.TempDir(), "notify")
	l := listenNotify(t, sock)
	t.Setenv("NOTIFY_SOCKET", sock) // inherited by the child
	p := startProc(t, "serve", time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	p.waitStarted()
	count := func(s string) int {
		n := 0
		for _, g := range l.states() {
			if g == s {
				n++
			}
		}
		return n
	}
	pollUntil(t, 20*time.Second, "READY=1 and two WATCHDOG=1", func() bool {
		return count("READY=1") == 1 && count("WATCHDOG=1") >= 2
	})
	p.stop()
	pollUntil(t, 5*time.Second, "STOPPING=1", func() bool { return count("STOPPING=1") == 1 })
	got := l.states()
	if got[0] != "READY=1" || got[len(got)-1] != "STOPPING=1" {
		t.Fatalf("order of notifications: %q", got)
	}
}
