package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestPackageArrows keeps the shape of the code: the adapters (the SQLite
// store and the mail channel) are imported by cmd/ only, and the engine,
// the web pages and the reports reach neither go-sqlite3 nor go-mail, even
// indirectly. Tests may use the real adapters; this checks what ships.
func TestPackageArrows(t *testing.T) {
	const mod = "github.com/ninhthuan/nhachan/"
	adapters := []string{mod + "internal/sqlite", mod + "internal/email"}
	drivers := []string{"github.com/mattn/go-sqlite3", "github.com/wneessen/go-mail"}
	out, err := exec.Command("go", "list", "-json", "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen++
		if strings.HasPrefix(p.ImportPath, mod+"cmd/") {
			continue
		}
		for _, imp := range p.Imports {
			for _, a := range adapters {
				if imp == a && p.ImportPath != a {
					t.Errorf("%s imports the adapter %s: only cmd/ wires adapters", p.ImportPath, a)
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("go list saw %d packages; the check would prove nothing", seen)
	}
	for _, pkg := range []string{"notify", "httpui", "report", "duty", "config", "model", "schedule"} {
		deps, err := exec.Command("go", "list", "-deps", mod+"internal/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, d := range strings.Fields(string(deps)) {
			for _, bad := range append(drivers, adapters...) {
				if d == bad {
					t.Errorf("internal/%s depends on %s", pkg, bad)
				}
			}
		}
	}
}
