# nhachan — the two commands that matter: `make run` and `make test`.
GO       ?= go
BIN      := bin/nhachan
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# The same flags build the binary here, in CI and in the Dockerfile.
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 2m

.PHONY: build run test bench fuzz lint clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/nhachan

# Runs the daemon on the shipped configuration.
run: build
	$(BIN) check
	$(BIN) serve

test: lint
	$(GO) test -count=1 ./...

# Benchmarks, then the physical limit of SMTP delivery on this machine:
# Postfix's smtp-source against the same Mailpit (installs postfix if needed).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	bash .ci/bench-smtp-source.sh

# Fuzzes the expression parser and the signed-link verifier; the corpus
# they find is kept under each package's testdata/fuzz.
fuzz:
	$(GO) test ./internal/schedule -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./internal/signlink -run '^$$' -fuzz FuzzVerify -fuzztime $(FUZZTIME)

lint:
	@unformatted=$$(gofmt -l cmd internal); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin
