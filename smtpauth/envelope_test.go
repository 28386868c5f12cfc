package smtpauth_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// envelopeOf is the four addresses a cluster mails: one default recipient
// and the three notification emails.
func envelopeOf(addrs ...string) []smtpauth.Address {
	fields := []string{"smtp.default_recipients[0]", "emails.ui_admin", "emails.ui_support", "emails.admiral_alerts"}
	var out []smtpauth.Address
	for i, a := range addrs {
		out = append(out, smtpauth.Address{Addr: a, Field: fields[i]})
	}
	return out
}

var fourAddresses = envelopeOf("noc@example.test", "admin@example.test", "support@example.test", "alerts@example.test")

// The envelope step asks about every address, then RSET: nothing is sent,
// and each answer is in the report (and its JSON).
func TestEnvelopeAccepted(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.Envelope = fourAddresses
	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	wantSteps(t, r, smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO,
		smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepEnvelope, smtpauth.StepQuit)
	if len(r.Recipients) != 4 {
		t.Fatalf("recipients = %+v", r.Recipients)
	}
	for i, rc := range r.Recipients {
		if !rc.Accepted || rc.Step != smtpauth.StepEnvelope || rc.Address != fourAddresses[i].Addr || rc.Field != fourAddresses[i].Field || !strings.HasPrefix(rc.Reply, "2.0.0") && !strings.HasPrefix(rc.Reply, "OK") {
			t.Errorf("recipient %d = %+v", i, rc)
		}
	}
	tr := transcript(r)
	for _, want := range []string{"C: MAIL FROM:<" + testUser + ">", "C: RCPT TO:<noc@example.test>", "C: RCPT TO:<alerts@example.test>", "C: RSET", "C: QUIT"} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %q:\n%s", want, tr)
		}
	}
	if strings.Contains(tr, "C: DATA") || len(srv.received()) != 0 {
		t.Errorf("a message was sent without --send-test:\n%s", tr)
	}
	js, _ := json.Marshal(r)
	if !strings.Contains(string(js), `{"step":"envelope","address":"admin@example.test","field":"emails.ui_admin","accepted":true,"reply":`) {
		t.Errorf("JSON lacks the per-recipient result:\n%s", js)
	}
	if d := r.Steps[6].Detail; d != "sender "+testUser+" and 4 of 4 recipients accepted; RSET, nothing sent" {
		t.Errorf("envelope detail = %q", d)
	}
}

// A test message still goes out after the envelope, in its own
// transaction, only to its own recipients.
func TestEnvelopeThenTestMessage(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.Envelope, s.SendTest, s.Recipients = fourAddresses, true, []string{"noc@example.test"}
	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	wantSteps(t, r, smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO,
		smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepEnvelope, smtpauth.StepMessage, smtpauth.StepQuit)
	msgs := srv.srv.Messages()
	if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "noc@example.test" {
		t.Fatalf("messages = %+v", msgs)
	}
	if len(r.Recipients) != 5 || r.Recipients[4].Step != smtpauth.StepMessage {
		t.Errorf("recipients = %+v", r.Recipients)
	}
}

// A refused recipient fails the check at the envelope, naming the address
// and its field; every address is still tried, and nothing is sent.
func TestEnvelopeRefusedRecipient(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass,
		RejectRecipients: []string{"admin@example.test", "alerts@example.test"}})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.Envelope, s.SendTest, s.Recipients = fourAddresses, true, []string{"noc@example.test"}
	r := run(t, s, smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepEnvelope, "recipient-unknown", "emails.ui_admin")
	for _, want := range []string{"admin@example.test", "emails.ui_admin", "2 addresses were refused", "alerts@example.test (emails.admiral_alerts)"} {
		if !strings.Contains(d.Summary, want) {
			t.Errorf("summary lacks %q: %s", want, d.Summary)
		}
	}
	if !strings.HasPrefix(d.ServerSaid, "550 5.1.1") || !strings.Contains(d.Remedy, "emails.ui_admin") {
		t.Errorf("diagnosis = %+v", d)
	}
	if len(r.Recipients) != 4 || r.Recipients[1].Accepted || !r.Recipients[2].Accepted || r.Recipients[3].Accepted {
		t.Errorf("recipients = %+v", r.Recipients)
	}
	if tr := transcript(r); !strings.Contains(tr, "C: RSET") || strings.Contains(tr, "C: DATA") || len(srv.received()) != 0 {
		t.Errorf("want RSET and no message:\n%s", tr)
	}
}

// Greylisting is a warning: mail will be delayed, not lost.
func TestEnvelopeGreylisted(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass, DeferRecipients: []string{"support@example.test"}})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.Envelope = fourAddresses
	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	if len(r.Warnings) != 1 || r.Warnings[0].Code != smtpauth.CodeRecipientDeferred || r.Warnings[0].Field != "emails.ui_support" ||
		!strings.HasPrefix(r.Warnings[0].ServerSaid, "450 4.2.0") {
		t.Errorf("warnings = %+v", r.Warnings)
	}
	if rc := r.Recipients[2]; rc.Accepted || !rc.Deferred {
		t.Errorf("recipient = %+v", rc)
	}
	if st := r.Steps[6]; st.Name != smtpauth.StepEnvelope || st.Status != smtpauth.StatusWarning || !strings.Contains(st.Detail, "1 deferred") {
		t.Errorf("envelope step = %+v", st)
	}
}

func TestEnvelopeSenderRefused(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass,
		MailError: &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "<boss@example.test>: Sender address rejected: not owned by user " + testUser}})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.From, s.Envelope = "boss@example.test", fourAddresses
	r := run(t, s, smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepEnvelope, "sender-rejected", "smtp.from")
	if !strings.Contains(d.Summary, "boss@example.test") || !strings.Contains(d.Summary, testUser) {
		t.Errorf("summary = %q", d.Summary)
	}
	if len(r.Recipients) != 0 {
		t.Errorf("recipients reported after the sender was refused: %+v", r.Recipients)
	}
	testkit.NoSecret(t, reportText(t, r), testPass)
}

// scriptedRelay is a plain-text relay on loopback that answers RCPT TO
// with rcptReply (and EHLO with ehloReply when set), exactly.
func scriptedRelay(t *testing.T, ehloReply, rcptReply string) *testServer {
	return scriptServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		_, _ = io.WriteString(c, "220 relay.test ESMTP\r\n")
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.Fields(l + " x")[0])
			reply := "250 2.0.0 Ok\r\n"
			switch {
			case cmd == "EHLO" && ehloReply != "":
				reply = ehloReply
			case cmd == "EHLO":
				reply = "250-relay.test\r\n250 AUTH PLAIN\r\n"
			case cmd == "AUTH":
				reply = "235 2.7.0 Authentication successful\r\n"
			case cmd == "RCPT":
				reply = rcptReply
			case cmd == "QUIT":
				_, _ = io.WriteString(c, "221 2.0.0 Bye\r\n")
				return
			}
			if _, err := io.WriteString(c, reply); err != nil {
				return
			}
		}
	})
}

func relaySettings(srv *testServer, m smtpauth.Method) smtpauth.Settings {
	return smtpauth.Settings{Host: srv.host, Port: srv.port, Security: smtpauth.SecurityNone, Method: m,
		From: "alerts@example.test", Envelope: envelopeOf("noc@example.org")}
}

func TestEnvelopeDiagnoses(t *testing.T) {
	for _, tt := range []struct {
		name, ehlo, rcpt string
		method           smtpauth.Method
		step             smtpauth.StepName
		code, field      string
		summary          string
	}{
		{"relay denied with a login", "", "554 5.7.1 <noc@example.org>: Relay access denied\r\n", smtpauth.MethodBasic,
			smtpauth.StepEnvelope, "relay-denied", "smtp.default_recipients[0]", "relay access denied for the recipient noc@example.org (smtp.default_recipients[0])"},
		{"relay denied without a login", "", "554 5.7.1 <noc@example.org>: Relay access denied\r\n", smtpauth.MethodNone,
			smtpauth.StepEnvelope, "auth-required", "smtp.auth", "without a login"},
		{"unknown user", "", "550 5.1.1 <noc@example.org>: Recipient address rejected: User unknown in virtual mailbox table\r\n", smtpauth.MethodNone,
			smtpauth.StepEnvelope, "recipient-unknown", "smtp.default_recipients[0]", "does not exist"},
		{"sender not owned, at RCPT", "", "553 5.7.1 <alerts@example.test>: Sender address rejected: not owned by user bob\r\n", smtpauth.MethodNone,
			smtpauth.StepEnvelope, "sender-rejected", "smtp.from", "refused the sender alerts@example.test"},
		{"HELO refused at RCPT (Postfix)", "", "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname\r\n", smtpauth.MethodNone,
			smtpauth.StepEnvelope, "ehlo-rejected", "smtp.ehlo_name", "refused the name this machine introduced itself with"},
		{"EHLO refused", "550 5.7.1 Your EHLO name is not acceptable\r\n", "250 2.1.5 Ok\r\n", smtpauth.MethodNone,
			smtpauth.StepEHLO, "ehlo-rejected", "smtp.ehlo_name", "refused the name this machine introduced itself with"},
		{"other refusal", "", "550 5.7.1 Policy says no\r\n", smtpauth.MethodNone,
			smtpauth.StepEnvelope, "recipient-refused", "smtp.default_recipients[0]", "refused the recipient noc@example.org"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := scriptedRelay(t, tt.ehlo, tt.rcpt)
			s := relaySettings(srv, tt.method)
			if tt.method == smtpauth.MethodBasic {
				s.Username, s.Password = testUser, testPass // loopback: AUTH without TLS is allowed
			}
			r := run(t, s, smtpauth.Options{})
			d := wantDiag(t, r, tt.step, tt.code, tt.field)
			if !strings.Contains(d.Summary, tt.summary) {
				t.Errorf("summary = %q, want it to contain %q", d.Summary, tt.summary)
			}
		})
	}
}

// With PIPELINING the envelope is one round trip: every command is written
// before the first reply is read. Without it, one command at a time, and
// no recipient is asked about once the sender is refused.
func TestEnvelopePipelining(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		ext := "250 8BITMIME\r\n"
		if pipelining {
			ext = "250 PIPELINING\r\n"
		}
		var order []string
		srv := scriptServer(t, func(c net.Conn) {
			br := bufio.NewReader(c)
			_, _ = io.WriteString(c, "220 relay.test ESMTP\r\n")
			for {
				l, err := br.ReadString('\n')
				if err != nil {
					return
				}
				cmd := strings.ToUpper(strings.Fields(l + " x")[0])
				// What had arrived unread when this command was taken.
				order = append(order, fmt.Sprintf("%s+%d", cmd, br.Buffered()))
				reply := "250 2.0.0 Ok\r\n"
				switch cmd {
				case "EHLO":
					reply = "250-relay.test\r\n" + ext
				case "MAIL":
					reply = "550 5.7.1 Sender refused\r\n"
				case "RCPT":
					reply = "503 5.5.1 Error: need MAIL command\r\n"
				case "QUIT":
					_, _ = io.WriteString(c, "221 2.0.0 Bye\r\n")
					return
				}
				if _, err := io.WriteString(c, reply); err != nil {
					return
				}
			}
		})
		s := relaySettings(srv, smtpauth.MethodNone)
		s.Envelope = fourAddresses
		r := run(t, s, smtpauth.Options{})
		wantDiag(t, r, smtpauth.StepEnvelope, "sender-rejected", "smtp.from")
		got := strings.Join(order, " ")
		// Pipelined, MAIL arrives with the four RCPTs and RSET behind it
		// (MAIL+N, N > 0); one at a time, nothing waits behind MAIL.
		if !pipelining && got != "EHLO+0 MAIL+0 RSET+0" ||
			pipelining && (strings.HasPrefix(got, "EHLO+0 MAIL+0") || strings.Count(got, "RCPT+") != 4 || !strings.Contains(got, "RSET+0")) {
			t.Errorf("pipelining %v: the server saw %s", pipelining, got)
		}
	}
}
