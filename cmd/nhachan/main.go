// Command nhachan keeps Vietnamese government agencies on time: it reads
// plan documents' dated duties, works out every due date on the Vietnamese
// working-day calendar and (with the daemon) reminds agencies before each.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must resolve on hosts without zoneinfo

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Exit codes: a stable contract for scripts.
const (
	exitOK     = 0
	exitFail   = 1 // the command ran and failed
	exitConfig = 2 // configuration or usage errors
)

// env is what a command needs from the outside world, so that tests can run
// commands in-process with their own clock and streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

func main() {
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now}
	os.Exit(run(e, os.Args[1:]))
}

// run dispatches a command line and returns the exit code.
func run(e env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, topUsage())
		return exitConfig
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "explain":
		err = cmdExplain(e, rest)
	case "check":
		err = cmdCheck(e, rest)
	case "plan":
		err = cmdPlan(e, rest)
	case "calendar":
		err = cmdCalendar(e, rest)
	case "serve":
		err = cmdServe(e, rest)
	case "simulate":
		err = cmdSimulate(e, rest)
	case "submit":
		err = cmdSubmit(e, rest)
	case "waive":
		err = cmdWaive(e, rest)
	case "extend":
		err = cmdExtend(e, rest)
	case "status":
		err = cmdStatus(e, rest)
	case "import":
		err = cmdImportPlan(e, rest)
	case "import-agencies":
		err = cmdImportAgencies(e, rest)
	case "import-submissions":
		err = cmdImport(e, rest)
	case "report":
		err = cmdReport(e, rest)
	case "backup":
		err = cmdBackup(e, rest)
	case "restore":
		err = cmdRestore(e, rest)
	case "calendar-url":
		err = cmdCalendarURL(e, rest)
	case "send-test":
		err = cmdSendTest(e, rest)
	case "hash-password":
		err = cmdHashPassword(e, rest)
	case "keygen":
		err = cmdKeygen(e, rest)
	case "healthcheck":
		err = cmdHealthcheck(e, rest)
	case "version":
		if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help" || rest[0] == "-help") {
			d, _ := docOf("version")
			fmt.Fprintf(e.stdout, "Cách dùng: nhachan version\n\n%s\n", d.about)
			return exitOK
		}
		fmt.Fprintln(e.stdout, "nhachan", version)
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 && rest[0] != "help" && !strings.HasPrefix(rest[0], "-") {
			if _, ok := docOf(rest[0]); ok {
				return run(e, []string{rest[0], "--help"})
			}
			fmt.Fprintf(e.stderr, "nhachan: không có lệnh %q%s\n", rest[0], config.DidYouMean(rest[0], commandNames()))
			return exitConfig
		}
		fmt.Fprint(e.stdout, topUsage())
	default:
		fmt.Fprintf(e.stderr, "nhachan: không có lệnh %q%s\nXem danh sách lệnh: nhachan help\n", cmd, config.DidYouMean(cmd, commandNames()))
		return exitConfig
	}
	if err == nil {
		return exitOK
	}
	if printHelp(e.stdout, err) {
		return exitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(e.stderr, ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(e.stderr, "nhachan %s: %v\n", cmd, err)
	return exitFail
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// exitError carries an exit code and an already formatted message.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return exitError{code: exitConfig, msg: fmt.Sprintf(format, args...)}
}

// parseFlags parses flags wherever they stand among the arguments, so that
// `nhachan explain "Quý I hàng năm" --year 2027` works like the flags-first
// form, and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, helpRequested{fs}
			}
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// defaultLocation is the configuration's default zone, for the commands
// that run without a configuration (explain without --config).
func defaultLocation() *time.Location {
	loc, err := time.LoadLocation(config.DefaultTimezone)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is linked in
	}
	return loc
}

// today is the current date in the configured zone loc.
func today(e env, loc *time.Location) schedule.Date { return schedule.DateOf(e.now().In(loc)) }

// parseRange reads --from and --to: both required, valid, in order. usage
// is the line shown when one is missing.
func parseRange(fromS, toS, usage string) (schedule.Date, schedule.Date, error) {
	if fromS == "" || toS == "" {
		return 0, 0, usageError("%s", usage)
	}
	from, err := parseDateFlag("from", fromS)
	if err != nil {
		return 0, 0, err
	}
	to, err := parseDateFlag("to", toS)
	if err != nil {
		return 0, 0, err
	}
	if to < from {
		return 0, 0, usageError("--to %s trước --from %s: ngày kết thúc phải sau ngày bắt đầu", to.VN(), from.VN())
	}
	return from, to, nil
}

func parseDateFlag(name, v string) (schedule.Date, error) {
	d, err := schedule.ParseDateInput(v)
	if err != nil {
		return 0, usageError("--%s: %v", name, err)
	}
	return d, nil
}
