package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"
)

// cmdHealthcheck asks a running daemon's /healthz and exits 0 on 200, 1
// otherwise: the Docker HEALTHCHECK, since the distroless image has no curl.
func cmdHealthcheck(e env, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "địa chỉ /healthz của daemon")
	timeout := fs.Duration("timeout", 5*time.Second, "thời gian chờ tối đa (ví dụ 5s)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return usageError("nhachan healthcheck: --url: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return exitError{code: exitFail, msg: "nhachan healthcheck: " + err.Error()}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan healthcheck: %s: %s\n%s", *url, resp.Status, body)}
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", *url, resp.Status)
	return nil
}
