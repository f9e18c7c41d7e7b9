//go:build pins

// This file is never built. It pins the packages the user fixed for the
// daemon (cron for the tick, go-mail for SMTP, zerolog for logs) in go.mod
// until the daemon's code imports them; go mod tidy reads every build tag.
package main

import (
	_ "github.com/robfig/cron/v3"
	_ "github.com/rs/zerolog"
	_ "github.com/wneessen/go-mail"
)
