// Package duty holds the lifecycle of a duty once it is planned: the stored
// occurrence and its state, submissions, waivers and extensions, the
// notification log, the reminder and escalation policy with its steps, the
// notices the engine hands a delivery channel, and the errors the store
// returns. It imports only the pure packages (schedule, calendar, model);
// the adapters (sqlite, email) and the engine, the web pages and the
// reports import it. Its policy core is pure: no I/O and no clock; every
// function takes the dates it reasons about, so a test can walk a whole
// simulated decade.
package duty
