package signlink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Action is what a link lets its holder do.
type Action string

// The actions. Their wire codes (see the package doc) are fixed forever:
// a token in a mail sent last year must still mean the same thing.
const (
	ActionSubmit   Action = "submit"   // "Xác nhận đã nộp": record a submission
	ActionExtend   Action = "extend"   // "Xin gia hạn": ask for an extension
	ActionCalendar Action = "calendar" // read an agency's iCalendar feed
)

// Valid reports whether a is one of the actions above.
func (a Action) Valid() bool { _, ok := actionCode(a); return ok }

func actionCode(a Action) (byte, bool) {
	switch a {
	case ActionSubmit:
		return 1, true
	case ActionExtend:
		return 2, true
	case ActionCalendar:
		return 3, true
	}
	return 0, false
}

func actionFromCode(b byte) (Action, bool) {
	switch b {
	case 1:
		return ActionSubmit, true
	case 2:
		return ActionExtend, true
	case 3:
		return ActionCalendar, true
	}
	return "", false
}

// IssuedTo says who a link was mailed to: the agency itself, or the
// follow-up agency (Sở Nội vụ) in its copy of the agency's letter. Both may
// act on the duty; the store records who did.
type IssuedTo byte

// The recipients of a link. The zero value is the agency, which is what
// every version-1 token means.
const (
	IssuedToAgency   IssuedTo = 0
	IssuedToFollowUp IssuedTo = 1
)

// MaxAgencyLen bounds an agency id in a token.
const MaxAgencyLen = 64

// Claims are what a token says.
type Claims struct {
	// Occurrence is the occurrence's row id: > 0 for ActionSubmit and
	// ActionExtend, 0 for ActionCalendar (a feed covers all of them).
	Occurrence int64
	// Agency is the agency id: 1..MaxAgencyLen bytes of [A-Za-z0-9_-]. For
	// submit and extend the caller must still check that the occurrence
	// belongs to this agency; the token only proves who it was sent to.
	Agency string
	Action Action
	// Expires is the first instant at which the token is no longer valid.
	// Tokens carry whole Unix seconds: Sign drops the fraction (so a token
	// expires at most a second early, never late) and Verify returns UTC.
	Expires time.Time
	// KeyID is set by Verify to the id of the key that verified the token.
	// Sign ignores it and always names its current key.
	KeyID string
	// IssuedTo is who the link was mailed to. A link for the agency itself
	// is a version-1 token, byte for byte as before this field existed; a
	// link in the follow-up agency's copy is a version-2 token.
	IssuedTo IssuedTo
}

// ErrInvalidClaims is wrapped by Sign's errors.
var ErrInvalidClaims = errors.New("signlink: invalid claims")

// check says what is wrong with c, or nil.
func (c Claims) check() error {
	if !c.Action.Valid() {
		return fmt.Errorf("unknown action %q", c.Action)
	}
	switch {
	case c.Action == ActionCalendar && c.Occurrence != 0:
		return fmt.Errorf("action %s with occurrence %d, want 0", c.Action, c.Occurrence)
	case c.Action != ActionCalendar && c.Occurrence <= 0:
		return fmt.Errorf("action %s with occurrence %d, want > 0", c.Action, c.Occurrence)
	}
	if err := checkID("agency id", c.Agency, MaxAgencyLen); err != nil {
		return fmt.Errorf("%w (%q)", err, c.Agency)
	}
	if c.Expires.Unix() <= 0 {
		return fmt.Errorf("expiry %s is not after 1970", c.Expires.UTC().Format(time.RFC3339))
	}
	if c.IssuedTo != IssuedToAgency && c.IssuedTo != IssuedToFollowUp {
		return fmt.Errorf("unknown recipient %d", c.IssuedTo)
	}
	return nil
}

const (
	payloadVersion = 1
	// payloadVersion2 adds one byte after the agency id: who the link was
	// issued to (IssuedTo, never 0: that is a version-1 token).
	payloadVersion2 = 2
	// maxPayloadLen is the longest payload: the layout in the package doc
	// with the longest key id and agency, and version 2's extra byte.
	maxPayloadLen = 1 + 1 + MaxKeyIDLen + 1 + 8 + 8 + 1 + MaxAgencyLen + 1
)

// appendPayload encodes checked claims under key id kid.
func appendPayload(dst []byte, c Claims, kid string) []byte {
	code, _ := actionCode(c.Action)
	version := byte(payloadVersion)
	if c.IssuedTo != IssuedToAgency {
		version = payloadVersion2
	}
	dst = append(dst, version, byte(len(kid)))
	dst = append(dst, kid...)
	dst = append(dst, code)
	dst = binary.BigEndian.AppendUint64(dst, uint64(c.Occurrence))
	dst = binary.BigEndian.AppendUint64(dst, uint64(c.Expires.Unix()))
	dst = append(dst, byte(len(c.Agency)))
	dst = append(dst, c.Agency...)
	if version == payloadVersion2 {
		dst = append(dst, byte(c.IssuedTo))
	}
	return dst
}

// payloadKeyID reads the version and key id, all Verify may look at before
// the MAC is checked.
func payloadKeyID(p []byte) ([]byte, error) {
	if len(p) < 2 {
		return nil, errors.New("payload too short")
	}
	if p[0] != payloadVersion && p[0] != payloadVersion2 {
		return nil, fmt.Errorf("payload version %d, want %d or %d", p[0], payloadVersion, payloadVersion2)
	}
	n := int(p[1])
	if n == 0 || n > MaxKeyIDLen || len(p) < 2+n {
		return nil, fmt.Errorf("key id length %d out of range", n)
	}
	return p[2 : 2+n], nil
}

// decodePayload decodes an authenticated payload strictly: fixed fields,
// nothing left over, and claims Sign would have accepted.
func decodePayload(p []byte) (Claims, error) {
	kid, err := payloadKeyID(p)
	if err != nil {
		return Claims{}, err
	}
	rest := p[2+len(kid):]
	if len(rest) < 1+8+8+1 {
		return Claims{}, errors.New("payload too short")
	}
	action, ok := actionFromCode(rest[0])
	if !ok {
		return Claims{}, fmt.Errorf("unknown action code %d", rest[0])
	}
	c := Claims{
		Action:     action,
		Occurrence: int64(binary.BigEndian.Uint64(rest[1:9])),
		Expires:    time.Unix(int64(binary.BigEndian.Uint64(rest[9:17])), 0).UTC(),
		KeyID:      string(kid),
	}
	m, agency := int(rest[17]), rest[18:]
	if p[0] == payloadVersion2 {
		if len(agency) == 0 {
			return Claims{}, errors.New("payload too short")
		}
		c.IssuedTo = IssuedTo(agency[len(agency)-1])
		agency = agency[:len(agency)-1]
		if c.IssuedTo == IssuedToAgency {
			return Claims{}, errors.New("version 2 payload issued to the agency (that is version 1)")
		}
	}
	if len(agency) != m {
		return Claims{}, fmt.Errorf("agency length %d, %d bytes follow", m, len(agency))
	}
	c.Agency = string(agency)
	if err := checkID("key id", c.KeyID, MaxKeyIDLen); err != nil {
		return Claims{}, err
	}
	if err := c.check(); err != nil {
		return Claims{}, err
	}
	return c, nil
}
