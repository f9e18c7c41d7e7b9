package main

// Deployment files: the Dockerfile and the Makefile must build the same
// binary (docker build cannot run in CI, `make build-static` does), and the
// systemd unit must pass systemd-analyze verify.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/config"
)

const repoRoot = "../.."

// dockerInstr is one Dockerfile instruction, continuation lines joined.
type dockerInstr struct{ Cmd, Args string }

// parseDockerfile returns the instructions of each stage (split at FROM).
func parseDockerfile(t *testing.T, name string) [][]dockerInstr {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]dockerInstr
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := dockerInstr{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.Cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if in.Cmd == "ARG" {
				return // ARGs before the first FROM
			}
			t.Fatalf("%s: %s before FROM", name, in.Cmd)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for _, raw := range strings.Split(string(b), "\n") {
		l := strings.TrimSpace(raw)
		if strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		flush()
	}
	flush()
	return stages
}

func instrs(stage []dockerInstr, cmd string) []string {
	var out []string
	for _, in := range stage {
		if in.Cmd == cmd {
			out = append(out, in.Args)
		}
	}
	return out
}

func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(t, filepath.Join(repoRoot, "Dockerfile"))
	if len(stages) != 2 {
		t.Fatalf("%d stages, want 2 (build, run)", len(stages))
	}
	build, final := stages[0], stages[1]

	// The build stage's Go is the module's.
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVer := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVer == nil {
		t.Fatal("no go directive in go.mod")
	}
	if want := "golang:" + string(goVer[1]) + "-bookworm AS build"; build[0].Args != want {
		t.Errorf("build stage FROM %q, want %q", build[0].Args, want)
	}
	// The binary comes from exactly `make build-static`, nothing else builds.
	runs := instrs(build, "RUN")
	found := false
	for _, r := range runs {
		if r == "make build-static" {
			found = true
		} else if strings.Contains(r, "go build") || strings.Contains(r, "make ") || strings.Contains(r, "CGO_") {
			t.Errorf("build stage RUN %q: the binary must come from `make build-static` alone", r)
		}
	}
	if !found {
		t.Errorf("build stage has no `RUN make build-static` (RUNs: %q)", runs)
	}
	for _, e := range instrs(build, "ENV") {
		if strings.Contains(e, "CGO_") || strings.Contains(e, "GOFLAGS") || strings.Contains(e, "LDFLAGS") {
			t.Errorf("build stage ENV %q changes the build behind make's back", e)
		}
	}

	if !strings.HasPrefix(final[0].Args, "gcr.io/distroless/static-debian12:nonroot") {
		t.Errorf("final stage FROM %q, want distroless static nonroot", final[0].Args)
	}
	want := map[string]string{
		"USER":       "nonroot",
		"VOLUME":     "/var/lib/nhachan",
		"ENTRYPOINT": `["/nhachan","serve","--config","/etc/nhachan/nhachan.yaml","--listen","0.0.0.0:8080"]`,
	}
	for cmd, w := range want {
		got := instrs(final, cmd)
		if len(got) != 1 || got[0] != w {
			t.Errorf("final stage %s %q, want %q", cmd, got, w)
		}
	}
	var entry []string
	if err := json.Unmarshal([]byte(want["ENTRYPOINT"]), &entry); err != nil {
		t.Errorf("ENTRYPOINT is not exec form JSON: %v", err)
	}
	hc := instrs(final, "HEALTHCHECK")
	if len(hc) != 1 || !strings.Contains(hc[0], `CMD ["/nhachan", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]`) {
		t.Errorf("HEALTHCHECK %q, want the nhachan healthcheck subcommand on /healthz", hc)
	}
	copied := strings.Join(instrs(final, "COPY"), "\n")
	if !strings.Contains(copied, "--from=build /src/bin/nhachan /nhachan") {
		t.Errorf("final stage does not copy bin/nhachan (the make target's output): %q", copied)
	}
}

// TestMakeBuildStatic checks, through `make -n`, the exact command the
// build-static target runs: the flags the Dockerfile relies on.
func TestMakeBuildStatic(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is needed: the Dockerfile and CI build with it")
	}
	cmd := exec.Command("make", "-n", "-C", repoRoot, "build-static", "VERSION=v9.9.9", "GO=go")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n build-static: %v\n%s", err, out)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if !strings.HasPrefix(l, "make") { // "make: Entering directory"
			lines = append(lines, l)
		}
	}
	want := "CGO_ENABLED=1 go build -trimpath -tags 'sqlite_omit_load_extension osusergo netgo' " +
		"-ldflags '-s -w -linkmode external -extldflags -static -X main.version=v9.9.9' -o bin/nhachan ./cmd/nhachan"
	if len(lines) != 1 || lines[0] != want {
		t.Fatalf("make build-static runs:\n%s\nwant:\n%s", strings.Join(lines, "\n"), want)
	}
}

// unitSettings reads a systemd unit into key → values (repeated keys
// append; an empty assignment is kept as "").
func unitSettings(t *testing.T, name string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' || l[0] == ';' || l[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Fatalf("%s: cannot read %q", name, l)
		}
		out[k] = append(out[k], v)
	}
	return out
}

func TestSystemdUnit(t *testing.T) {
	unit := filepath.Join(repoRoot, "config", "systemd", "nhachan.service")
	s := unitSettings(t, unit)
	for k, w := range map[string]string{
		"Type": "notify", "DynamicUser": "no", "User": "nhachan", "Group": "nhachan",
		"ExecStart":  "/usr/local/bin/nhachan serve --config /etc/nhachan/nhachan.yaml",
		"ExecReload": "/bin/kill -HUP $MAINPID", "Restart": "on-failure", "RestartSec": "5s",
		"WatchdogSec": "180", "StateDirectory": "nhachan", "ReadWritePaths": "/var/lib/nhachan",
		"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
		"PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
		"ProtectControlGroups": "yes", "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"CapabilityBoundingSet": "", "AmbientCapabilities": "", "RestrictNamespaces": "yes",
		"LockPersonality": "yes", "MemoryDenyWriteExecute": "yes", "SystemCallArchitectures": "native",
		"UMask": "0027",
	} {
		if got := s[k]; len(got) != 1 || got[0] != w {
			t.Errorf("%s=%q, want %q", k, got, w)
		}
	}
	if got := s["SystemCallFilter"]; len(got) == 0 || got[0] != "@system-service" {
		t.Errorf("SystemCallFilter=%q, want @system-service first", got)
	}
	creds := strings.Join(s["LoadCredential"], " ")
	for _, c := range []string{"smtp-password:/etc/nhachan/credentials/", "link-key:/etc/nhachan/credentials/"} {
		if !strings.Contains(creds, c) {
			t.Errorf("LoadCredential lacks %s…: %q", c, s["LoadCredential"])
		}
	}

	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatal("systemd-analyze is missing: apt-get install -y systemd (.ci/run does)")
	}
	// verify wants ExecStart's binary to exist: a copy of the unit points
	// at a freshly built one.
	dir := t.TempDir()
	bin := filepath.Join(dir, "nhachan")
	data, err := os.ReadFile(nhachanBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	copyUnit := filepath.Join(dir, "nhachan.service")
	writeFile(t, copyUnit, strings.ReplaceAll(string(text), "/usr/local/bin/nhachan", bin))
	out, err := exec.Command(sa, "verify", copyUnit).CombinedOutput()
	t.Logf("systemd-analyze verify:\n%s", out)
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// security --offline needs no running systemd (systemd ≥ 250); older
	// versions cannot, and then only verify counts.
	out, err = exec.Command(sa, "security", "--offline=true", "--threshold=20", copyUnit).CombinedOutput()
	if err != nil && strings.Contains(string(out), "offline") && strings.Contains(string(out), "unrecognized") {
		t.Logf("systemd-analyze security --offline is not supported here:\n%s", out)
		return
	}
	if err != nil {
		t.Logf("systemd-analyze security:\n%s", out)
		t.Fatalf("systemd-analyze security: exposure above 2.0 or an error: %v", err)
	}
	if i := bytes.Index(out, []byte("Overall exposure")); i >= 0 {
		t.Logf("systemd-analyze security: %s", bytes.TrimSpace(out[i:]))
	}
}

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"x"}`))
	}))
	defer srv.Close()
	check := func(url string) (int, string) {
		var out, errb bytes.Buffer
		code := run(env{stdout: &out, stderr: &errb, now: time.Now}, []string{"healthcheck", "--url", url, "--timeout", "5s"})
		return code, out.String() + errb.String()
	}
	if code, out := check(srv.URL + "/healthz"); code != 0 {
		t.Errorf("200: exit %d: %s", code, out)
	}
	status = http.StatusServiceUnavailable
	if code, out := check(srv.URL + "/healthz"); code != 1 || !strings.Contains(out, "503") {
		t.Errorf("503: exit %d: %s", code, out)
	}
	addr := srv.Listener.Addr().String()
	srv.Close()
	if code, out := check("http://" + addr + "/healthz"); code != 1 {
		t.Errorf("nobody listening: exit %d: %s", code, out)
	}
}

func TestCredentialFile(t *testing.T) {
	cfg := &config.Config{File: "/etc/nhachan/nhachan.yaml"}
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	if got := credentialFile(cfg, "/etc/nhachan/smtp-password"); got != "/etc/nhachan/smtp-password" {
		t.Errorf("without CREDENTIALS_DIRECTORY: %s", got)
	}
	t.Setenv("CREDENTIALS_DIRECTORY", "/run/credentials/nhachan.service")
	for in, want := range map[string]string{
		"/etc/nhachan/smtp-password":         "/run/credentials/nhachan.service/smtp-password", // a bare name in the config
		"/etc/nhachan/secrets/smtp-password": "/etc/nhachan/secrets/smtp-password",             // a path: as written
		"/run/secrets/smtp-password":         "/run/secrets/smtp-password",
		"":                                   "",
	} {
		if got := credentialFile(cfg, in); got != want {
			t.Errorf("credentialFile(%q) = %q, want %q", in, got, want)
		}
	}
}
