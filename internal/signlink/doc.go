// Package signlink makes and checks the signed links that reminders carry:
// "Xác nhận đã nộp" (ActionSubmit), "Xin gia hạn" (ActionExtend), and the
// tokenised URL of an agency's iCalendar feed (ActionCalendar).
//
// The package is pure: no clock, no logger, no storage. Sign and Verify take
// the claims and the caller's now; only KeyFromFile touches the file system.
//
// # Token format (version 1)
//
// A token is two unpadded base64url parts joined by one dot:
//
//	base64url(payload) "." base64url(HMAC-SHA256(secret, macDomain || payload))
//
// macDomain is the fixed string "nhachan/signlink\x00", so a MAC made here can
// never be confused with a MAC the same secret might make for something else.
// The payload is fixed-layout binary, big-endian, so each set of claims has
// exactly one encoding and each encoding exactly one meaning:
//
//	offset  size  field
//	0       1     version, 0x01
//	1       1     n = length of the key id, 1..32
//	2       n     key id, [A-Za-z0-9_-]
//	2+n     1     action: 1 submit, 2 extend, 3 calendar (never renumbered)
//	3+n     8     occurrence id, int64; 0 for calendar, > 0 otherwise
//	11+n    8     expiry, Unix seconds, int64 > 0
//	19+n    1     m = length of the agency id, 1..64
//	20+n    m     agency id, [A-Za-z0-9_-]
//
// Nothing may follow the agency id. Version 2 is version 1 with the version
// byte 0x02 and one more byte after the agency id: who the link was issued
// to (1: the follow-up agency, in its copy of the agency's letter). Sign
// makes a version-1 token for a link issued to the agency itself, so tokens
// mailed before version 2 existed and those made since for agencies are
// the same bytes. The version byte is inside the MAC, so it
// cannot be changed without the key; the key id is read before the MAC is
// checked (it picks the key), everything else only after.
//
// Verify rejects anything that is not byte for byte what Sign produces:
// tokens longer than MaxTokenLen before looking at them, any byte outside the
// base64url alphabet and the one dot (whitespace, padding, NUL, non-ASCII —
// Go's base64 decoder would silently skip '\r' and '\n'), non-canonical
// base64 (non-zero trailing bits), and trailing payload bytes. The MAC is
// compared with hmac.Equal.
//
// # Replay
//
// A token is a bearer credential valid until its expiry; this package cannot
// tell a first use from a replay, and does not try. The HTTP layer makes
// replays harmless instead: GET and HEAD only show a confirmation page, and
// POST records the submission idempotently (one submission per occurrence; a
// second POST answers "đã ghi nhận" and changes nothing). Keep expiries short
// — a set time after the due date — and rotate keys to cut old links off.
//
// # Keys and rotation
//
// A Signer signs with its current key and also verifies with previous keys.
// To rotate: generate a new key, make it current and keep the old one as
// previous until every link it signed has expired, then drop it; its links
// then fail with ErrUnknownKey. Build a new Signer on reload rather than
// changing one in place: a Signer is immutable and safe for concurrent use.
package signlink
