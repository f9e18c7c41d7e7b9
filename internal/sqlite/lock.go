package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrLocked is returned (wrapped) by LockDaemon when another process holds
// the daemon lock on the database.
var ErrLocked = errors.New("database is in use by another nhachan serve")

// LockDaemon takes an exclusive, non-blocking flock(2) on path+".lock" and
// writes this process's pid into it, so that a second daemon on the same
// database fails at once, before it opens the database, with the pid of the
// one that holds it. The kernel drops the lock when the holder exits, even
// by kill -9, so a crash never leaves a stale lock behind.
//
// The lock file is never removed: unlinking it would let a third process
// lock a new file while a second still waits on the old inode.
func LockDaemon(path string) (release func(), err error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			holder := "unknown pid"
			if b, rerr := os.ReadFile(name); rerr == nil {
				if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
					holder = "pid " + strconv.Itoa(pid)
				}
			}
			return nil, fmt.Errorf("%w (%s holds %s)", ErrLocked, holder, name)
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	// Only the holder writes; a loser reading in between sees an empty file
	// and reports "unknown pid", which is still the right refusal.
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: write pid: %w", name, err)
	}
	return func() {
		// Closing the descriptor releases the flock.
		f.Close()
	}, nil
}
