package smtpauth_test

// Tests of the envelope step and the EHLO name against real mail servers;
// how to start them, and how these tests skip without them, is in
// mta_env_test.go. .ci/mta/start.sh also starts a Postfix listener with
// strict HELO rules and makes every Postfix listener refuse one recipient.

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

// mtaStrict is what start.sh wrote about the strict listener and the
// refused recipient; the test skips when this setup predates them.
type mtaStrict struct {
	StrictAddr, Refused string
}

func realStrictPostfix(t *testing.T) mtaStrict {
	t.Helper()
	vals, err := mtaReadEnvFile(os.Getenv(mtaEnvVar))
	if err != nil {
		t.Fatal(err)
	}
	s := mtaStrict{StrictAddr: vals["SITECFG_MTA_POSTFIX_STRICT_ADDR"], Refused: vals["SITECFG_MTA_REFUSED_RCPT"]}
	if vals["SITECFG_MTA_POSTFIX_STARTTLS_ADDR"] == "" {
		t.Skip("Postfix was left out of this MTA setup (MTA_POSTFIX=0)")
	}
	if s.StrictAddr == "" || s.Refused == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no strict Postfix listener in the MTA setup: run .ci/mta/start.sh again")
		}
		t.Skip("no strict Postfix listener in this MTA setup (started by an older .ci/mta/start.sh)")
	}
	return s
}

// mtaEnvelope is the four addresses a cluster mails, tagged for this test.
func mtaEnvelope(tag string) []smtpauth.Address {
	return []smtpauth.Address{
		{Addr: "noc+" + tag + "@example.test", Field: "smtp.default_recipients[0]"},
		{Addr: "admin+" + tag + "@example.test", Field: "emails.ui_admin"},
		{Addr: "support+" + tag + "@example.test", Field: "emails.ui_support"},
		{Addr: "health+" + tag + "@example.test", Field: "emails.admiral_alerts"},
	}
}

// mtaNoMessageWith asserts that no message mentioning tag reached the
// sink. Absence cannot be waited for, so a test message is sent after
// the check through the same server, and waited for: once it has been
// relayed, anything sent before it would have been too.
func mtaNoMessageWith(t *testing.T, e mtaEnv, addr, tag string) {
	t.Helper()
	marker := "after+" + mtaTag(t) + "@example.test"
	s := e.basicSettings(t, addr, smtpauth.SecurityStartTLS)
	s.SendTest, s.Recipients = true, []string{marker}
	mtaWantOK(t, mtaCheck(t, e, s, smtpauth.Options{}))
	mtaWaitForMessage(t, e.MailDir, "<"+marker+">", 15*time.Second)
	_ = filepath.WalkDir(e.MailDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), tag) {
			t.Errorf("a message reached the sink for this check (%s):\n%s", p, b)
		}
		return nil
	})
}

// A good check asks about every address (MAIL FROM, RCPT TO each, RSET)
// and sends no message.
func TestMTAEnvelopeSendsNothing(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		tag := mtaTag(t)
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Envelope = mtaEnvelope(tag)
		r := mtaCheck(t, e, s, smtpauth.Options{})
		mtaWantOK(t, r)
		mtaWantStepsOK(t, r, smtpauth.StepEHLO, smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepEnvelope)
		if len(r.Recipients) != 4 {
			t.Fatalf("recipients = %+v", r.Recipients)
		}
		for _, rc := range r.Recipients {
			if !rc.Accepted || rc.Step != smtpauth.StepEnvelope || !strings.HasPrefix(rc.Reply, "2") {
				t.Errorf("recipient %+v", rc)
			}
		}
		tr := strings.Join(r.Transcript, "\n")
		if !strings.Contains(tr, "C: RSET") || strings.Contains(tr, "C: DATA") {
			t.Errorf("want RSET and no DATA:\n%s", tr)
		}
		mtaNoMessageWith(t, e, srv.StartTLSAddr, tag)
	})
}

// Postfix refuses one recipient: the check fails at the envelope step,
// naming the address and its field, and nothing reaches the sink — not
// even the test message that was asked for.
func TestMTAEnvelopeRefusedRecipient(t *testing.T) {
	t.Parallel()
	e := realMTA(t)
	st := realStrictPostfix(t)
	for _, srv := range e.Servers {
		if srv.Name != "postfix" {
			continue
		}
		tag := mtaTag(t)
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Envelope = mtaEnvelope(tag)
		s.Envelope[2].Addr = st.Refused // emails.ui_support
		s.SendTest, s.Recipients = true, []string{s.Envelope[0].Addr}
		r := mtaCheck(t, e, s, smtpauth.Options{})
		d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepEnvelope}, "recipient-unknown")
		mtaWantField(t, d, "emails.ui_support")
		if !strings.Contains(d.Summary, st.Refused) || !strings.HasPrefix(d.ServerSaid, "550 5.1.1") {
			t.Errorf("diagnosis = %+v", d)
		}
		if strings.Contains(strings.Join(r.Transcript, "\n"), "C: DATA") {
			t.Error("DATA was sent")
		}
		mtaNoMessageWith(t, e, srv.StartTLSAddr, tag)
	}
}

// Behind strict HELO rules (reject_non_fqdn_helo_hostname and
// reject_invalid_helo_hostname) the default EHLO name is accepted;
// "localhost" is refused, and the diagnosis points at smtp.ehlo_name.
func TestMTAStrictHELO(t *testing.T) {
	t.Parallel()
	e := realMTA(t)
	st := realStrictPostfix(t)
	s := e.basicSettings(t, st.StrictAddr, smtpauth.SecurityStartTLS)
	s.Envelope = mtaEnvelope(mtaTag(t))
	r := mtaCheck(t, e, s, smtpauth.Options{})
	mtaWantOK(t, r)
	mtaWantStepsOK(t, r, smtpauth.StepEHLO, smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepEnvelope)
	if tr := strings.ToLower(strings.Join(r.Transcript, "\n")); strings.Contains(tr, "ehlo localhost") {
		t.Errorf("the default EHLO name is localhost:\n%s", tr)
	}

	s.EHLOName = "localhost"
	r = mtaCheck(t, e, s, smtpauth.Options{})
	d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepEnvelope, smtpauth.StepEHLO}, "ehlo-rejected")
	mtaWantField(t, d, "smtp.ehlo_name")
	if !strings.Contains(d.ServerSaid, "Helo command rejected") {
		t.Errorf("server said %q", d.ServerSaid)
	}
}
