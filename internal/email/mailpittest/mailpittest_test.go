package mailpittest

import (
	"fmt"
	"strings"
	"testing"
)

// fatalRecorder catches Fatalf so the test can check the message.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

// TestMissingBinaryFails: without mailpit the tests fail (not skip) and say
// how to install it.
func TestMissingBinaryFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("GOPATH", t.TempDir())
	rec := &fatalRecorder{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil && r != rec {
				panic(r)
			}
		}()
		binary(rec)
	}()
	if !strings.Contains(rec.msg, Install) {
		t.Errorf("message %q does not say %q", rec.msg, Install)
	}
}
