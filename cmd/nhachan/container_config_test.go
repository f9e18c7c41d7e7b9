package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/config"
)

// The container's /etc/nhachan, assembled as config/HUONG-DAN.md says
// (config/container/nhachan.yaml, config/agencies.yaml, config/holidays/,
// schedules/), loads with every file read from inside it, and writes only
// under the volume /var/lib/nhachan.
func TestContainerConfigurationWorksAsMounted(t *testing.T) {
	etc := filepath.Join(t.TempDir(), "etc", "nhachan")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	copyTree(t, "../../config/container/nhachan.yaml", filepath.Join(etc, "nhachan.yaml"))
	copyTree(t, "../../config/agencies.yaml", filepath.Join(etc, "agencies.yaml"))
	copyTree(t, "../../config/holidays", filepath.Join(etc, "holidays"))
	copyTree(t, "../../schedules", filepath.Join(etc, "schedules"))
	cfg, diags := config.Load(filepath.Join(etc, "nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("the container configuration does not load:\n%s", diags.Text())
	}
	for _, f := range cfg.Files {
		if !strings.HasPrefix(f, etc+string(filepath.Separator)) {
			t.Errorf("%s is read from outside /etc/nhachan", f)
		}
	}
	if cfg.Daemon.Database != "/var/lib/nhachan/nhachan.db" || !strings.HasPrefix(cfg.Daemon.OutboxDir, "/var/lib/nhachan/") {
		t.Errorf("database %s, outbox %s: both belong in the volume /var/lib/nhachan", cfg.Daemon.Database, cfg.Daemon.OutboxDir)
	}
	if cfg.Daemon.AnyTime {
		t.Error("the container configuration sends at any hour: that is the demo's setting")
	}
}

// The Dockerfile's example and the README's mount the same folders.
func TestDockerRunExamplesAgree(t *testing.T) {
	mounts := func(name string) []string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range regexp.MustCompile(`-v (\S+)`).FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
		return out
	}
	a, b := mounts("../../Dockerfile"), mounts("../../README.md")
	if strings.Join(a, " ") != strings.Join(b, " ") || len(a) == 0 {
		t.Errorf("docker run mounts differ:\nDockerfile: %v\nREADME:     %v", a, b)
	}
}
