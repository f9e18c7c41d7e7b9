#!/usr/bin/env bash
# The physical limit of delivery to Mailpit on loopback, next to nhachan's
# BenchmarkDeliveryMailpit (internal/email): Postfix's smtp-source sends
# MSGS messages of about SIZE bytes over ONE SMTP session (-s 1 -d: without
# -d smtp-source reconnects for every message) to a fresh Mailpit, started
# the way mailpittest starts it, and the rate is printed as
#
#   smtp-source: N msgs in S s = R msgs/s
#
# Run by `make bench`, not by CI's tests. Needs mailpit on PATH or in
# $(go env GOPATH)/bin, and smtp-source from Debian's postfix package, which
# this script installs (as root, non-interactively) when it is missing.
# Only loopback is used.
set -euo pipefail

MSGS=${MSGS:-500}
SIZE=${SIZE:-2000}
# MSG_FILE: send this pre-formatted message (headers and body, LF or CRLF
# lines) instead of SIZE bytes of filler, e.g. one nhachan message, so that
# Mailpit parses the same MIME structure in both benchmarks.
MSG_FILE=${MSG_FILE:-}

export PATH="$PATH:/usr/local/go/bin:/usr/sbin"
if ! command -v smtp-source >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "smtp-source missing: apt-get install postfix (Debian), as root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
SMTP_SOURCE=$(command -v smtp-source)

MAILPIT=$(command -v mailpit || true)
if [ -z "$MAILPIT" ]; then
  MAILPIT="$(go env GOPATH)/bin/mailpit"
fi
if [ ! -x "$MAILPIT" ]; then
  echo "mailpit missing: go install github.com/axllent/mailpit@v1.33.1" >&2
  exit 1
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# A port nothing listens on (checked by connecting); Mailpit itself fails
# if another process takes it meanwhile, and then we try again.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}

started=""
for _ in 1 2 3; do
  smtp_port=$(free_port)
  api_port=$(free_port)
  [ "$smtp_port" != "$api_port" ] || continue
  rm -f "$tmp/mailpit.db" "$tmp/mailpit.log"
  "$MAILPIT" --smtp "127.0.0.1:$smtp_port" --listen "127.0.0.1:$api_port" \
    --database "$tmp/mailpit.db" --smtp-auth-accept-any --smtp-auth-allow-insecure \
    --smtp-disable-rdns --disable-version-check --max 0 >"$tmp/mailpit.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do # 20 s
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    if curl -fsS "http://127.0.0.1:$api_port/api/v1/info" >/dev/null 2>&1 &&
      (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; then
      started=1
      break
    fi
    sleep 0.1
  done
  [ -z "$started" ] || break
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
done
if [ -z "$started" ]; then
  echo "mailpit did not start:" >&2
  cat "$tmp/mailpit.log" >&2
  exit 1
fi

payload=(-l "$SIZE")
if [ -n "$MSG_FILE" ]; then
  tr -d '\r' <"$MSG_FILE" >"$tmp/msg" # smtp-source appends CRLF to each line
  payload=(-F "$tmp/msg")
fi

start=$(date +%s.%N)
"$SMTP_SOURCE" -s 1 -d -m "$MSGS" "${payload[@]}" -f a@t.example -t b@t.example "127.0.0.1:$smtp_port" >"$tmp/smtp-source.out"
end=$(date +%s.%N)

# Count what Mailpit stored: the rate is of messages received, not sent.
total=$(curl -fsS "http://127.0.0.1:$api_port/api/v1/messages?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
if [ "$total" != "$MSGS" ]; then
  echo "mailpit holds ${total:-?} messages, want $MSGS" >&2
  cat "$tmp/smtp-source.out" >&2
  exit 1
fi
awk -v n="$MSGS" -v a="$start" -v b="$end" \
  'BEGIN { s = b - a; printf "smtp-source: %d msgs in %.3f s = %.0f msgs/s\n", n, s, n / s }'
