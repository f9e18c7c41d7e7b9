package mailpittest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// Address is a mailbox as Mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Summary is one entry of the message list.
type Summary struct {
	ID        string
	MessageID string
	Subject   string
	From      Address
	To        []Address
	Created   time.Time
}

// Message is one message in full, as Mailpit decoded it.
type Message struct {
	ID        string
	MessageID string
	Subject   string
	From      Address
	To        []Address
	Date      time.Time
	Text      string
	HTML      string
}

// Messages lists every message received, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct {
		Total    int
		Messages []Summary
	}
	// Mailpit pages its list; one large page is plenty for tests.
	s.getJSON(t, "/api/v1/messages?limit=100000", &out)
	return out.Messages
}

// Message returns one message, decoded.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.getJSON(t, "/api/v1/message/"+id, &m)
	return m
}

// Headers returns one message's headers, decoded by Mailpit.
func (s *Server) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	h := map[string][]string{}
	s.getJSON(t, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// Raw returns one message exactly as it was received.
func (s *Server) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return s.get(t, "/api/v1/message/"+id+"/raw")
}

// DeleteAll empties the mailbox.
func (s *Server) DeleteAll(t testing.TB) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, s.APIURL+"/api/v1/messages", nil)
	if err != nil {
		t.Fatalf("mailpittest: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpittest: delete all: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpittest: delete all: %s", resp.Status)
	}
}

func (s *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(s.get(t, path), v); err != nil {
		t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
}

func (s *Server) get(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := http.Get(s.APIURL + path)
	if err != nil {
		t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpittest: GET %s: %s: %s", path, resp.Status, b)
	}
	return b
}

// String identifies the server in test logs.
func (s *Server) String() string { return fmt.Sprintf("mailpit smtp=%s api=%s", s.SMTPAddr, s.APIURL) }
