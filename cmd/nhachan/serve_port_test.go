package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A daemon whose address is taken stops at once, says so in Vietnamese
// and writes nothing: no database, not even its folder (a database made
// then would fix the tracking start on a day nothing was tracked).
func TestServeOnATakenPortWritesNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := filepath.Join(t.TempDir(), "var")
	db := filepath.Join(dir, "nhachan.db")
	code, out, errs := runCLI(t, "serve", "--config", shippedConfig, "--db", db, "--listen", busy.Addr().String(), "--allow-root")
	if code == 0 {
		t.Fatalf("serve on a taken port exited 0:\n%s%s", out, errs)
	}
	for _, want := range []string{"đang được một chương trình khác dùng", "make run LISTEN=", "Chưa có gì được ghi vào cơ sở dữ liệu"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the message lacks %q:\n%s", want, errs)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("serve created %s (err %v)", dir, err)
	}
}
