package smtpauth_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

const (
	testUser = "alerts@example.test"
	testPass = "Canary-Passw0rd-7f3e!"
)

// run runs a check and fails the test on misuse; the report is logged
// when the test fails (the diagnosis alone when SMTPAUTH_DUMP is set, to
// review the wording).
func run(t *testing.T, s smtpauth.Settings, o smtpauth.Options) *smtpauth.Report {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	r, err := smtpauth.Check(context.Background(), s, o)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if r == nil {
		t.Fatal("nil report")
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("SMTPAUTH_DUMP") != "" {
			js, _ := json.MarshalIndent(r.Diagnosis, "", "  ")
			if t.Failed() {
				js, _ = json.MarshalIndent(r, "", "  ")
			}
			t.Logf("report:\n%s", js)
		}
	})
	return r
}

func wantOK(t *testing.T, r *smtpauth.Report) {
	t.Helper()
	if !r.OK || r.Diagnosis != nil {
		t.Fatalf("check failed: %+v", r.Diagnosis)
	}
}

// wantDiag asserts a failure at step with code and field.
func wantDiag(t *testing.T, r *smtpauth.Report, step smtpauth.StepName, code, field string) *smtpauth.Diagnosis {
	t.Helper()
	if r.OK || r.Diagnosis == nil {
		t.Fatalf("check passed, want %s at %s", code, step)
	}
	d := r.Diagnosis
	if d.Step != step || string(d.Code) != code || d.Field != field {
		t.Fatalf("diagnosis = step %q code %q field %q, want %q %q %q\n summary: %s\n remedy: %s", d.Step, d.Code, d.Field, step, code, field, d.Summary, d.Remedy)
	}
	if d.Summary == "" || d.Remedy == "" {
		t.Errorf("diagnosis lacks summary or remedy: %+v", d)
	}
	last := r.Steps[len(r.Steps)-1]
	if last.Name != step || last.Status != smtpauth.StatusFailed {
		t.Errorf("last step = %s %s, want %s failed", last.Name, last.Status, step)
	}
	return d
}

func wantSteps(t *testing.T, r *smtpauth.Report, names ...smtpauth.StepName) {
	t.Helper()
	var got []smtpauth.StepName
	for _, s := range r.Steps {
		got = append(got, s.Name)
	}
	if strings.Join(stepStrings(got), ",") != strings.Join(stepStrings(names), ",") {
		t.Errorf("steps = %v, want %v", got, names)
	}
}

func stepStrings(ns []smtpauth.StepName) []string {
	var out []string
	for _, n := range ns {
		out = append(out, string(n))
	}
	return out
}

func transcript(r *smtpauth.Report) string { return strings.Join(r.Transcript, "\n") }

// reportText is everything a report shows: its JSON, then its transcript,
// for testkit.NoSecret.
func reportText(t *testing.T, r *smtpauth.Report) string {
	t.Helper()
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(js) + "\n" + transcript(r)
}

// noAuthSent asserts that the client never began AUTH.
func noAuthSent(t *testing.T, r *smtpauth.Report) {
	t.Helper()
	for _, l := range r.Transcript {
		if strings.HasPrefix(strings.ToUpper(l), "C: AUTH") {
			t.Errorf("AUTH was sent: %q", l)
		}
	}
}

func TestStartTLSPlainWithMessage(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.SendTest, s.Recipients = true, []string{"noc@example.test", "oncall@example.test"}

	var mu sync.Mutex
	var events []smtpauth.Step
	r := run(t, s, smtpauth.Options{OnStep: func(st smtpauth.Step) {
		mu.Lock()
		events = append(events, st)
		mu.Unlock()
	}})
	wantOK(t, r)
	wantSteps(t, r, smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO,
		smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepMessage, smtpauth.StepQuit)
	if len(events) != 2*len(r.Steps) {
		t.Errorf("OnStep called %d times, want %d (start and end of each step)", len(events), 2*len(r.Steps))
	}
	for i := 0; i+1 < len(events); i += 2 {
		if events[i].Status != smtpauth.StatusRunning || events[i+1].Name != events[i].Name || events[i+1].Status == smtpauth.StatusRunning {
			t.Errorf("OnStep events %d,%d = %+v, %+v", i, i+1, events[i], events[i+1])
		}
	}
	tr := transcript(r)
	for _, want := range []string{"C: STARTTLS", "S: 220", "C: AUTH PLAIN <redacted>", "C: MAIL FROM:<" + testUser + ">", "C: QUIT"} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %q:\n%s", want, tr)
		}
	}
	if len(r.Recipients) != 2 || !r.Recipients[0].Accepted || !r.Recipients[1].Accepted {
		t.Errorf("recipients = %+v", r.Recipients)
	}
	msgs := srv.received()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages", len(msgs))
	}
	for _, h := range []string{"Date: ", "Message-ID: <", "From: " + testUser, "To: noc@example.test, oncall@example.test",
		"Subject: sitecfg test message", "MIME-Version: 1.0", "Content-Type: text/plain"} {
		if !strings.Contains(msgs[0], h) {
			t.Errorf("message lacks %q:\n%s", h, msgs[0])
		}
	}
	if !strings.Contains(msgs[0], "test message from sitecfg on ") {
		t.Errorf("message body does not say who sent it:\n%s", msgs[0])
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

func TestLoginWhenPlainNotOffered(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass, Mechanisms: []string{sasl.Login}})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	wantOK(t, r)
	tr := transcript(r)
	if !strings.Contains(tr, "C: AUTH LOGIN\n") || strings.Count(tr, "C: <redacted>") != 2 {
		t.Errorf("want AUTH LOGIN then two redacted answers:\n%s", tr)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

func TestImplicitTLS(t *testing.T) {
	srv := startServer(t, smtptest.Options{ImplicitTLS: true, Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityTLS, testUser, testPass)
	s.RootCAs, s.CAFile = nil, testkit.CAFile(t, testkit.TestCA(t)) // the CA as a file, added to the system roots
	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	wantSteps(t, r, smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepTLS, smtpauth.StepBanner,
		smtpauth.StepEHLO, smtpauth.StepAuth, smtpauth.StepQuit)
	if d := r.Steps[2].Detail; !strings.Contains(d, "TLS 1.3") || !strings.Contains(d, "localhost") {
		t.Errorf("TLS detail = %q", d)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// No username: no AUTH at all, even when the server offers it.
func TestNoUsernameNoAuth(t *testing.T) {
	srv := startServer(t, smtptest.Options{})
	for _, m := range []smtpauth.Method{smtpauth.MethodNone, smtpauth.MethodBasic} {
		s := srv.basic(smtpauth.SecurityStartTLS, "", "")
		s.Method, s.From = m, "noreply@example.test"
		r := run(t, s, smtpauth.Options{})
		wantOK(t, r)
		noAuthSent(t, r)
	}
}

// A refused recipient is reported; the check passes if another is taken,
// fails if none is.
func TestRecipients(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass,
		RejectRecipients: []string{"gone@example.test", "left@example.test"}})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.SendTest, s.Recipients = true, []string{"gone@example.test", "noc@example.test"}
	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	if len(r.Recipients) != 2 || r.Recipients[0].Accepted || !strings.Contains(r.Recipients[0].Reply, "550") || !r.Recipients[1].Accepted {
		t.Errorf("recipients = %+v", r.Recipients)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Code != "recipient-rejected" {
		t.Errorf("warnings = %+v", r.Warnings)
	}

	s.Recipients = []string{"gone@example.test", "left@example.test"}
	r = run(t, s, smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepMessage, "recipients-rejected", "smtp.default_recipients")
	if len(srv.received()) != 1 {
		t.Error("a message was sent with no accepted recipient")
	}
}

func TestInvalidSettingsIsMisuse(t *testing.T) {
	r, err := smtpauth.Check(context.Background(), smtpauth.Settings{Host: "", Port: 587}, smtpauth.Options{})
	if err == nil || r == nil || r.OK {
		t.Fatalf("want an error and a failed report, got %v, %+v", err, r)
	}
}
