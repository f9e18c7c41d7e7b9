package email

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/textproto"
	"strings"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Result is the outcome of one message of a batch.
type Result struct {
	Class duty.Class
	Err   error
	// Response is the server's final reply to the message, e.g.
	// "250 2.0.0 Ok: queued as 4F2…", or where the directory sender wrote it.
	Response string
}

// classifyDial sorts a failure to connect, greet, start TLS or
// authenticate. Nothing was sent, so the class applies to the whole batch.
func classifyDial(err error) duty.Class {
	var tpErr *textproto.Error
	switch {
	case isTLSFailure(err), isAuthFailure(err):
		// A 4xx during AUTH (454 "temporary authentication failure") is
		// the server's own trouble, not ours.
		if errors.As(err, &tpErr) && tpErr.Code/100 == 4 {
			return duty.Temporary
		}
		return duty.Misconfigured
	case errors.As(err, &tpErr):
		if tpErr.Code/100 == 4 {
			return duty.Temporary
		}
		// A 5xx greeting or EHLO: this server will not talk to us.
		return duty.Misconfigured
	}
	return duty.Temporary // network trouble, or unknown: retrying is the safe side
}

// isTLSFailure recognises TLS that is required but missing, or failing.
func isTLSFailure(err error) bool {
	var (
		certErr   *tls.CertificateVerificationError
		recErr    tls.RecordHeaderError
		alertErr  tls.AlertError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	if errors.As(err, &certErr) || errors.As(err, &recErr) || errors.As(err, &alertErr) ||
		errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &invalid) {
		return true
	}
	msg := err.Error()
	// go-mail reports a missing STARTTLS with a plain fmt error, and
	// received TLS alerts are an unexported type: match their text.
	return strings.Contains(msg, "does not support STARTTLS") || strings.Contains(msg, "tls: ")
}

func isAuthFailure(err error) bool {
	return errors.Is(err, smtp.ErrUnencrypted) || errors.Is(err, mail.ErrNoSupportedAuthDiscovered) ||
		errors.Is(err, mail.ErrPlainAuthNotSupported) || errors.Is(err, mail.ErrLoginAuthNotSupported) ||
		strings.Contains(err.Error(), "SMTP AUTH")
}

// classifySend sorts the outcome of one message on an open connection.
// lost reports that the connection can no longer be used, so the rest of
// the batch must wait.
func classifySend(msg *mail.Msg, err error) (r Result, lost bool) {
	if msg.IsDelivered() {
		// The server said 250: the message is delivered even if a later
		// step (RSET) failed. Retrying it would send it twice.
		return Result{Class: duty.Delivered, Response: okResponse(msg)}, err != nil
	}
	if err == nil {
		return Result{Class: duty.Delivered, Response: okResponse(msg)}, false
	}
	r = Result{Err: err, Response: err.Error()}
	var se *mail.SendError
	if !errors.As(err, &se) {
		r.Class = duty.Temporary
		return r, true
	}
	code := se.ErrorCode()
	switch {
	case code == 421:
		// "Service not available, closing transmission channel."
		r.Class = duty.Temporary
		return r, true
	case code/100 == 4:
		r.Class = duty.Temporary
		return r, false
	case code/100 == 5 && se.Reason == mail.ErrSMTPMailFrom:
		// The sender is refused: the same for every message.
		r.Class = duty.Misconfigured
		return r, false
	case code/100 == 5:
		r.Class = duty.Permanent
		return r, false
	}
	switch se.Reason {
	case mail.ErrGetSender, mail.ErrGetRcpts, mail.ErrNoUnencoded:
		// The message itself is malformed; no retry will fix it.
		r.Class = duty.Permanent
		return r, false
	}
	// No SMTP code: the connection broke (EOF, reset, timeout).
	r.Class = duty.Temporary
	return r, true
}

// okResponse restores the reply code that go-mail strips from the final
// reply: DATA only completes on a 250.
func okResponse(msg *mail.Msg) string {
	return strings.TrimSpace("250 " + msg.ServerResponse())
}
