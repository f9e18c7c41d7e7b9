package duty

import (
	"time"
)

// Notification is one row of the outbox: one step of one occurrence for
// one recipient. Several rows for the same recipient go out as one message.
type Notification struct {
	ID int64
	// Key is unique: (occurrence, step, recipient), built by the engine.
	// Enqueueing a key twice is a no-op.
	Key          string
	OccurrenceID int64 // 0 when the notification is about no single occurrence (a digest)
	Step         string
	Recipient    string
	Kind         string
	// NotBefore is when the row may first be claimed (the send window's
	// opening hour); the zero time means at once. Read back as LeaseUntil.
	NotBefore time.Time

	State      string // pending, claimed, sent, failed or cancelled; read back only
	Attempts   int
	LeaseUntil time.Time
	ClaimedBy  string
	MessageID  string
	LastError  string
	CreatedAt  time.Time
}

// Depth counts the outbox rows not yet done with; sent and cancelled rows
// are not counted (they only grow).
type Depth struct {
	Pending, Claimed, Failed int
}

// SentRow is one delivered (or failed) notification, for reports.
type SentRow struct {
	Key, Step, Recipient, Kind, State, MessageID, Response, LastError string
	OccurrenceID                                                      int64
	SentAt                                                            string
}

// OutboxRow is one notification of an occurrence as the timeline shows it.
type OutboxRow struct {
	ID           int64
	Step         string
	Recipient    string
	Kind         string
	State        string // pending, claimed, sent, failed or cancelled
	Attempts     int
	CreatedAt    time.Time
	SentAt       time.Time // zero when not sent
	SMTPResponse string
	LastError    string
}
