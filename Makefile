# nhachan — the two commands that matter: `make run` and `make test`.
GO       ?= go
BIN      := bin/nhachan
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# The same flags build the binary here, in CI and in the Dockerfile.
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 2m

.PHONY: build build-static verify-unit run test test-deps bench crash soak fuzz eval lint clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/nhachan

# The static binary of the Docker image: its build stage runs exactly
# `make build-static`, and CI runs the same target (docker build cannot run
# there). osusergo and netgo keep glibc's NSS (getpwnam, getaddrinfo) out of
# the static link; go-sqlite3 needs cgo. deploy_test.go checks the two agree.
STATIC_TAGS    := sqlite_omit_load_extension osusergo netgo
STATIC_LDFLAGS := -s -w -linkmode external -extldflags -static -X main.version=$(VERSION)
build-static:
	CGO_ENABLED=1 $(GO) build -trimpath -tags '$(STATIC_TAGS)' -ldflags '$(STATIC_LDFLAGS)' -o $(BIN) ./cmd/nhachan

# Checks config/systemd/nhachan.service with systemd-analyze verify (a
# temporary copy whose ExecStart points at a freshly built binary), and
# prints systemd-analyze security's table when it works on this machine.
verify-unit:
	$(GO) test -count=1 -run 'TestSystemdUnit' -v ./cmd/nhachan

# Runs the daemon on the demo configuration (config/demo: the shipped plan
# carried into 2027, reminders 90 and 30 days ahead, any hour, every letter
# marked as a demonstration), so that it writes real letters today. serve refuses to run as
# root; this demo target allows it, so that it also works in a root shell
# (a container, CI). A deployment runs it as its own user (config/systemd).
# LISTEN= moves the web pages (make run LISTEN=127.0.0.1:8081); ARGS= passes
# more flags to serve (make run ARGS='--smtp smtp://127.0.0.1:1025?tls=none').
# check prints its one-line summary (nhachan check lists the warnings);
# serve takes its address before it writes anything, so a busy port stops
# it with nothing created.
LISTEN ?= 127.0.0.1:8080
ARGS   ?=
run: build
	@$(BIN) check --quiet --config config/demo/nhachan.yaml
	@echo "Trang web:        http://$(LISTEN)/  (bảng theo dõi; báo cáo /bao-cao; quản trị /quan-tri/dang-nhap)"
	@echo "Thư gửi đi:       var/outbox/*.eml khi chưa cấu hình máy chủ thư (mở bằng chương trình thư bất kỳ); có máy chủ thư: ARGS='--smtp smtp://…'"
	@echo "Dừng:             Ctrl+C"
	@echo "Làm lại từ đầu:   dừng rồi xóa thư mục var/ (cơ sở dữ liệu và thư đã ghi): rm -rf var"
	$(BIN) serve --config config/demo/nhachan.yaml --listen '$(LISTEN)' $(ARGS) $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

test: lint test-deps
	$(GO) test -count=1 ./...

# What the tests need beyond Go: Mailpit (a real SMTP server), Chromium
# with a font that has the Vietnamese letters, and systemd-analyze for the
# unit file. Installed when missing, so
# that `make test` works on a fresh machine (apt-get needs root); bench,
# soak and crash (Mailpit) depend on it too.
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin
test-deps:
	@command -v mailpit >/dev/null || test -x $(GOBIN_DIR)/mailpit || $(GO) install github.com/axllent/mailpit@v1.33.1
	@command -v systemd-analyze >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y systemd; \
	  else echo "make test needs systemd-analyze: sudo apt-get install systemd"; exit 1; fi; }
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-dejavu-core; \
	  else echo "make test needs Chromium: sudo apt-get install chromium fonts-dejavu-core"; exit 1; fi; }

# The "Proof" table of a provincial server: plan a national year, a tick
# over 10k versus 1M occurrences, the daemon's start-up and idle memory, and
# delivery to Mailpit next to Postfix's smtp-source against the same Mailpit
# (installs postfix if needed). One table, a goal and yes/no per row; the
# raw go test output is kept in the file it names. Other benchmarks:
# go test -run '^$' -bench . ./...
bench: test-deps
	GO='$(GO)' bash .ci/bench-table.sh

# The kill -9 harness (TestCrashKill9) at 100 kills; prints
# "crash: kills=100 delivered=N duplicates=D seed=S" (replay a failure with
# NHACHAN_CRASH_SEED=S). The whole log is kept when the test fails: a pipe
# into grep would hide the failure from make (sh has no pipefail).
crash: test-deps
	@log=$$(mktemp); echo "NHACHAN_CRASH_KILLS=100 $(GO) test -count=1 -run TestCrashKill9 -v -timeout 20m ./cmd/nhachan/ > $$log"; \
	NHACHAN_CRASH_KILLS=100 $(GO) test -count=1 -run TestCrashKill9 -v -timeout 20m ./cmd/nhachan/ > "$$log" 2>&1; rc=$$?; \
	grep -E 'crash:|kills landed|PASS|FAIL|ok' "$$log"; \
	if [ $$rc -ne 0 ]; then echo "make crash: the test failed; its log is $$log"; exit $$rc; fi; rm -f "$$log"

# A year of virtual time in one `nhachan simulate` against Mailpit with
# random SMTP faults (chaos), beside a real `serve` under page requests and
# reloads; prints each month's goroutines, open files, memory and WAL size,
# and the daemon's from its /metrics, and checks they stay flat and that
# nothing was lost or sent twice.
# Mailpit's log of the chaos (thousands of 451 lines) is left out of what
# it prints, and the whole log is kept when the test fails.
soak: test-deps
	@log=$$(mktemp); echo "NHACHAN_SOAK=1 $(GO) test -count=1 -run TestSoakYear -v -timeout 30m ./cmd/nhachan/ > $$log"; \
	NHACHAN_SOAK=1 $(GO) test -count=1 -run TestSoakYear -v -timeout 30m ./cmd/nhachan/ > "$$log" 2>&1; rc=$$?; \
	grep -v -E '\[smtpd\]|\[chaos\]|^[[:space:]]*time=|^[[:space:]]*\{' "$$log"; \
	if [ $$rc -ne 0 ]; then echo "make soak: the test failed; its log is $$log"; exit $$rc; fi; rm -f "$$log"

# Fuzzes the expression parser and the signed-link verifier; the corpus
# they find is kept under each package's testdata/fuzz.
fuzz:
	$(GO) test ./internal/schedule -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./internal/signlink -run '^$$' -fuzz FuzzVerify -fuzztime $(FUZZTIME)

# Reads the expression corpus (internal/schedule/testdata/corpus.tsv: real
# deadline wording from plans and report regimes, each with its document)
# and prints, per expected kind, how many expressions Parse reads right,
# then every failure. `make test` holds the line (TestCorpus).
eval:
	@out=$$($(GO) test -count=1 -run '^TestCorpus$$' -v ./internal/schedule 2>&1); rc=$$?; \
	printf '%s\n' "$$out" | grep -v -E '^(=== RUN|--- PASS|PASS$$)'; exit $$rc

lint:
	@unformatted=$$(gofmt -l cmd internal); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin
