package main

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestRefuseRoot(t *testing.T) {
	defer func(f func() int) { geteuid = f }(geteuid)
	for _, tc := range []struct {
		uid      int
		allow    bool
		refusing bool
	}{
		{0, false, true}, {0, true, false}, {1000, false, false}, {1000, true, false},
	} {
		geteuid = func() int { return tc.uid }
		err := refuseRoot(tc.allow)
		var ee exitError
		switch {
		case tc.refusing && (!errors.As(err, &ee) || ee.code != exitConfig || !strings.Contains(ee.msg, "--allow-root")):
			t.Errorf("uid %d allow=%v: %v, want exit 2 naming --allow-root", tc.uid, tc.allow, err)
		case !tc.refusing && err != nil:
			t.Errorf("uid %d allow=%v: %v, want nil", tc.uid, tc.allow, err)
		}
	}
}

// TestServeRefusesRoot runs the built binary without --allow-root: as root
// it must exit 2 with the message before touching the database; as any
// other user it starts (the root assertion is then impossible to make).
func TestServeRefusesRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon")
	}
	c := writeProcConfig(t, 1, "", 200)
	args := []string{"serve", "--listen", "127.0.0.1:0", "--config", c.File}
	if os.Geteuid() != 0 {
		t.Log("not root: checking that serve starts without --allow-root instead")
		p := startProc(t, "serve", time.Minute, args...) // adds no flag when not root
		p.waitStarted()
		p.stop()
		return
	}
	code, _, stderr := runCmd(t, 30*time.Second, args...)
	if code != exitConfig || !strings.Contains(stderr, "từ chối chạy bằng tài khoản root") || !strings.Contains(stderr, "--allow-root") {
		t.Fatalf("serve as root without --allow-root: exit %d, stderr:\n%s\nwant exit 2 and the refusal", code, stderr)
	}
	if _, err := os.Stat(c.DB); !os.IsNotExist(err) {
		t.Fatalf("the refused daemon touched %s (%v)", c.DB, err)
	}
	if _, err := os.Stat(c.Dir + "/var"); !os.IsNotExist(err) {
		t.Fatalf("the refused daemon created its state folder (%v)", err)
	}
}
