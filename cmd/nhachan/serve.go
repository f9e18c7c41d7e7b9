package main

import "flag"

// cmdServe will run the daemon. Until the daemon lands (the store, the
// engine and mail), it validates the configuration and says so plainly
// rather than pretending to run.
func cmdServe(e env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := loadConfig(e, *cfgFile, true); err != nil {
		return err
	}
	return exitError{code: exitFail, msg: "nhachan serve: the configuration is valid, but the daemon (store, reminders, mail) is not built yet; " +
		"it comes with the daemon issue. Use `nhachan plan` and `nhachan check` meanwhile."}
}
