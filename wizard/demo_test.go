package wizard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

func startDemo(t *testing.T) *DemoServer {
	t.Helper()
	d, err := StartDemoServer(DemoServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// demoTLS trusts only the demo's CA, from its CA file, and verifies the
// certificate for 127.0.0.1.
func demoTLS(t *testing.T, d *DemoServer) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(d.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: d.Host}
}

// The demo server behaves like a submission server: the certificate
// verifies against the CA file, AUTH needs STARTTLS, both PLAIN and LOGIN
// work, a wrong password is refused, and accepted mail is recorded.
func TestDemoServer(t *testing.T) {
	t.Parallel()
	d := startDemo(t)

	plain, err := smtp.Dial(d.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if plain.SupportsAuth(sasl.Plain) {
		t.Error("AUTH offered before STARTTLS")
	}
	if err := plain.Mail("x@sitecfg.test", nil); err == nil {
		t.Error("MAIL accepted without AUTH")
	}
	plain.Close()

	for _, tt := range []struct {
		name string
		auth sasl.Client
		ok   bool
	}{
		{"plain", sasl.NewPlainClient("", d.Username, d.Password), true},
		{"login", sasl.NewLoginClient(d.Username, d.Password), true},
		{"wrong password", sasl.NewPlainClient("", d.Username, d.Password+"x"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := smtp.DialStartTLS(d.Addr, demoTLS(t, d))
			if err != nil {
				t.Fatalf("STARTTLS with the demo CA: %v", err)
			}
			defer c.Close()
			err = c.Auth(tt.auth)
			if tt.ok != (err == nil) {
				t.Fatalf("auth: %v", err)
			}
			if !tt.ok {
				if se, ok := err.(*smtp.SMTPError); !ok || se.Code != 535 {
					t.Errorf("refusal = %v, want 535", err)
				}
				return
			}
			body := "Subject: " + tt.name + "\r\n\r\nhello\r\n"
			if err := c.SendMail("from@sitecfg.test", []string{"to@sitecfg.test"}, strings.NewReader(body)); err != nil {
				t.Fatal(err)
			}
		})
	}
	msgs := d.Messages()
	if len(msgs) != 2 || !strings.Contains(string(msgs[1].Data), "Subject: login") || msgs[0].User != d.Username {
		t.Fatalf("messages = %+v", msgs)
	}
	if f := msgs[0].Format(); !strings.Contains(f, "MAIL FROM:<from@sitecfg.test> RCPT TO:<to@sitecfg.test>") || !strings.Contains(f, "\nhello\n") {
		t.Errorf("formatted:\n%s", f)
	}
}

// The live check, with the demo's own answers, sends a test message the
// demo server receives.
func TestDemoLiveCheck(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	a := d.DemoAnswers()
	r, err := pipeline.Check(context.Background(), &a, pipeline.CheckOptions{SendTest: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("check failed: %+v\n%s", r.Diagnosis, strings.Join(r.Transcript, "\n"))
	}
	msgs := d.Messages()
	if len(msgs) != 1 || msgs[0].From != demoFrom || len(msgs[0].To) != 1 || msgs[0].To[0] != demoRecipient {
		t.Fatalf("messages = %+v", msgs)
	}
}

// The demo in line mode, Enter for every default: the config is written
// and the test message arrives.
func TestDemoRunLines(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	r := runLinesWith(t, ans(make([]string, 20)...), &fakeCheck{}, func(o *LineOptions) {
		o.Defaults, o.SendTest, o.Check = d.Defaults(), true, smtpauth.Check
	})
	if r.err != nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	if s := r.site.SMTP; s.Port != d.Port || s.CAFile != d.CAFile || s.Password.Value != d.Password {
		t.Errorf("smtp = %+v", s)
	}
	if len(d.Messages()) != 1 {
		t.Errorf("%d messages received\n%s", len(d.Messages()), r.screen)
	}
}
