package email

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/smtpconf"
)

// deliveryBatch is how many messages one Send carries over its one
// connection in BenchmarkDeliveryMailpit.
const deliveryBatch = 500

// benchBatch renders and builds deliveryBatch messages, every kind of
// SampleMessages in turn, each with its own key (so its own Message-ID).
func benchBatch(b *testing.B, tm *Templates, round int) (msgs []*mail.Msg, bytes int64) {
	b.Helper()
	samples := SampleMessages()
	msgs = make([]*mail.Msg, 0, deliveryBatch)
	for i := range deliveryBatch {
		m := samples[i%len(samples)]
		m.Key = fmt.Sprintf("bench/%d/%d/%s", round, i, m.Kind)
		r, err := tm.Render(m)
		if err != nil {
			b.Fatal(err)
		}
		msg, err := Build(m, r, tDomain)
		if err != nil {
			b.Fatal(err)
		}
		n, err := msg.WriteTo(io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		bytes += n
		msgs = append(msgs, msg)
	}
	return msgs, bytes
}

// BenchmarkDeliveryMailpit is nhachan's delivery rate to a real Mailpit on
// loopback: batches of 500 messages, each batch over one connection
// (NewSMTPSender, tls=none, no auth). Rendering and building are outside
// the timer; msgs/s counts messages the server answered 250 to. Compare
// with .ci/bench-smtp-source.sh, Postfix's smtp-source on the same server.
func BenchmarkDeliveryMailpit(b *testing.B) {
	mp := mailpittest.Start(b)
	tm, err := LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	sender := NewSMTPSender(smtpconf.Server{Host: mp.Host, Port: mp.Port, TLS: smtpconf.TLSNone, Timeout: 30 * time.Second})
	ctx := context.Background()
	var sent, size int64
	round := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		mp.DeleteAll(b) // the same mailbox size for every batch
		msgs, n := benchBatch(b, tm, round)
		round++
		b.StartTimer()
		for i, r := range sender.Send(ctx, msgs) {
			if r.Class != duty.Delivered || !strings.HasPrefix(r.Response, "250") {
				b.Fatalf("batch %d message %d: %v %q %v", round, i, r.Class, r.Response, r.Err)
			}
		}
		sent += int64(len(msgs))
		size += n
	}
	b.StopTimer()
	if got := len(mp.Messages(b)); got != deliveryBatch {
		b.Fatalf("mailpit holds %d messages of the last batch, want %d", got, deliveryBatch)
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(size)/float64(sent), "B/msg")
}
