package main

import (
	"net"
	"os"
	"strconv"
	"time"
)

// sdNotify sends one sd_notify(3) state ("READY=1", "WATCHDOG=1",
// "STOPPING=1") to the service manager's $NOTIFY_SOCKET, a unixgram socket
// ("@name" is an abstract one). Without NOTIFY_SOCKET it does nothing and
// reports false: the daemon runs the same outside systemd. The protocol is
// a single datagram, so no library is needed.
func sdNotify(state string) (bool, error) {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return false, nil
	}
	if name[0] == '@' {
		name = "\x00" + name[1:] // Linux abstract namespace
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return false, err
	}
	defer conn.Close()
	_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte(state)); err != nil {
		return false, err
	}
	return true, nil
}

// watchdogTimeout is systemd's WatchdogSec= as the service sees it
// ($WATCHDOG_USEC, for this process's $WATCHDOG_PID); 0 when off.
func watchdogTimeout() time.Duration {
	usec, pid := os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID")
	if usec == "" || (pid != "" && pid != strconv.Itoa(os.Getpid())) {
		return 0
	}
	n, err := strconv.ParseInt(usec, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Microsecond
}
