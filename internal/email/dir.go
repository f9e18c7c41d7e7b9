package email

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// NewDirSender returns a Sender that writes each message to dir as
// <hash>.eml, named from its Message-ID. It is the transport when no SMTP
// server is configured. A file appears whole or not at all (temp file,
// fsync, rename, fsync of the folder), and sending the same message again
// rewrites the same file, so a retry after a crash leaves one copy.
func NewDirSender(dir string) Sender { return &dirSender{dir: dir} }

type dirSender struct{ dir string }

// Send implements Sender.
func (s *dirSender) Send(ctx context.Context, msgs []*mail.Msg) []Result {
	return s.SendEach(ctx, msgs, nil)
}

// SendEach implements EachSender.
func (s *dirSender) SendEach(ctx context.Context, msgs []*mail.Msg, each func(int, Result)) []Result {
	res := make([]Result, len(msgs))
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		for i := range res {
			res[i] = Result{Class: fileClass(err), Err: fmt.Errorf("outbox folder: %w", err)}
		}
		return res
	}
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			for j := i; j < len(res); j++ {
				res[j] = Result{Class: duty.Temporary, Err: fmt.Errorf("not written: %w", err)}
			}
			break
		}
		res[i] = s.write(m)
		if each != nil {
			each(i, res[i])
		}
	}
	return res
}

func (s *dirSender) write(m *mail.Msg) Result {
	if m == nil {
		return Result{Class: duty.Permanent, Err: errors.New("nil message")}
	}
	name, err := emlName(m.GetMessageID())
	if err != nil {
		return Result{Class: duty.Permanent, Err: err}
	}
	path := filepath.Join(s.dir, name)
	if err := writeAtomic(path, m); err != nil {
		return Result{Class: fileClass(err), Err: fmt.Errorf("write %s: %w", path, err)}
	}
	return Result{Class: duty.Delivered, Response: "written to " + path}
}

// emlName takes the local part of "<hash@domain>"; Build makes it 32 hex
// digits, and anything else (a path separator above all) is refused.
func emlName(id string) (string, error) {
	local, _, ok := strings.Cut(strings.Trim(id, "<>"), "@")
	if !ok || local == "" || len(local) > 64 || strings.ContainsFunc(local, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_')
	}) {
		return "", fmt.Errorf("message-id %q cannot name an .eml file", id)
	}
	return local + ".eml", nil
}

func writeAtomic(path string, m *mail.Msg) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".tmp-*.eml")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = m.WriteTo(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(f.Name(), 0o640); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	// The rename is durable only once the folder itself is synced.
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// fileClass: a permission problem is the admin's to fix; a full disk or
// an I/O error may pass.
func fileClass(err error) duty.Class {
	if errors.Is(err, fs.ErrPermission) {
		return duty.Misconfigured
	}
	return duty.Temporary
}
