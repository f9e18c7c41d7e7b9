package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// resources is what the process holds at one moment: what a soak test
// watches for leaks.
type resources struct {
	Goroutines int
	OpenFiles  int     // entries of /proc/self/fd; -1 where there is none
	HeapMB     float64 // runtime heap in use
	RSSMB      float64 // resident set (VmRSS); -1 where unknown
	WALMB      float64 // the database's write-ahead log; 0 when absent
}

// readResources samples the process and the WAL of the database at dbPath.
func readResources(dbPath string) resources {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r := resources{Goroutines: runtime.NumGoroutine(), OpenFiles: -1, RSSMB: -1, HeapMB: float64(ms.HeapInuse) / (1 << 20)}
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		r.OpenFiles = len(ents) - 1 // less the directory ReadDir itself opened
	}
	if f, err := os.Open("/proc/self/status"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
				if kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64); err == nil {
					r.RSSMB = kb / 1024
				}
			}
		}
		f.Close()
	}
	if fi, err := os.Stat(dbPath + "-wal"); err == nil {
		r.WALMB = float64(fi.Size()) / (1 << 20)
	}
	return r
}

// String is the line simulate --resources prints: key=value pairs that a
// soak test reads back.
func (r resources) String() string {
	return fmt.Sprintf("goroutines=%d open_files=%d heap_mb=%.1f rss_mb=%.1f wal_mb=%.2f", r.Goroutines, r.OpenFiles, r.HeapMB, r.RSSMB, r.WALMB)
}
