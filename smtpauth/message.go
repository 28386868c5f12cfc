package smtpauth

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"os"
	"strings"
	"time"
)

// TestSubject is the Subject of the test message.
const TestSubject = "sitecfg test message"

// Message is a message sitecfg sends instead of the test message.
type Message struct {
	Subject string
	// Text is the plain-text body, lines ending in "\n".
	Text string
}

// buildMessage writes the test message: plain text, saying which machine
// sent it, to which server, and when — or s.Message when set.
func buildMessage(s Settings, server string, now time.Time) []byte {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	var b strings.Builder
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("Date", now.Format(time.RFC1123Z))
	hdr("Message-ID", "<sitecfg."+hex.EncodeToString(id)+"@"+host+">")
	hdr("From", s.From)
	hdr("To", strings.Join(s.Recipients, ", "))
	subject := TestSubject
	if s.Message != nil {
		subject = s.Message.Subject
	}
	hdr("Subject", mime.QEncoding.Encode("utf-8", subject))
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	hdr("Content-Transfer-Encoding", "8bit")
	hdr("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	if s.Message != nil {
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s.Message.Text, "\r\n", "\n"), "\n", "\r\n"))
		return []byte(b.String())
	}
	fmt.Fprintf(&b, "This is a test message from sitecfg on %s.\r\n\r\n", host)
	fmt.Fprintf(&b, "It was sent at %s through %s (auth: %s, security: %s)\r\n",
		now.UTC().Format(time.RFC3339), server, s.Method.orNone(), s.Security)
	b.WriteString("to prove that this site's email settings work. No action is needed.\r\n")
	return []byte(b.String())
}

// message is the message step: MAIL, one RCPT per recipient, DATA. A
// rejected recipient is reported; the step fails only if none is accepted.
func (c *checker) message() (string, *Diagnosis) {
	start := time.Now()
	switch {
	case c.s.From == "":
		return "", &Diagnosis{Code: CodeNoFrom, Field: "smtp.from", Summary: "no sender (From) address for the test message", Remedy: "set smtp.from"}
	case len(c.s.Recipients) == 0:
		return "", &Diagnosis{Code: CodeNoRecipients, Field: "smtp.default_recipients",
			Summary: "no recipient for the test message", Remedy: "set smtp.default_recipients (or emails.admiral_alerts)"}
	}
	if _, _, err := c.conn.cmd(250, "MAIL FROM:<%s>%s", c.s.From, c.utf8Option()); err != nil {
		return "", c.diagnoseMessage(err, "MAIL FROM", start)
	}
	var firstErr error
	accepted := 0
	for _, rcpt := range c.s.Recipients {
		_, msg, err := c.conn.cmd(25, "RCPT TO:<%s>", rcpt)
		rr := RecipientResult{Step: StepMessage, Address: rcpt, Accepted: err == nil}
		if se, ok := asSMTP(err); ok {
			rr.Reply = replyText(se)
		} else if err != nil {
			return "", c.diagnoseMessage(err, "RCPT TO", start)
		} else {
			rr.Reply = firstLine(msg)
			accepted++
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		c.r.Recipients = append(c.r.Recipients, rr)
	}
	if accepted == 0 {
		_, _, _ = c.conn.cmd(250, "RSET")
		return "", c.diagnoseMessage(firstErr, "RCPT TO", start)
	}
	if _, _, err := c.conn.cmd(354, "DATA"); err != nil {
		return "", c.diagnoseMessage(err, "DATA", start)
	}
	w := c.conn.text.DotWriter()
	if _, err := w.Write(buildMessage(c.s, c.addr, c.o.Now())); err != nil {
		return "", c.diagnoseIO(StepMessage, err, start)
	}
	if err := w.Close(); err != nil {
		return "", c.diagnoseIO(StepMessage, err, start)
	}
	_, msg, err := c.conn.readReply(250)
	if err != nil {
		return "", c.diagnoseMessage(err, "the end of DATA", start)
	}
	detail := fmt.Sprintf("accepted for %d of %d recipients: %s", accepted, len(c.s.Recipients), firstLine(msg))
	if accepted < len(c.s.Recipients) {
		w := Diagnosis{Step: StepMessage, Code: CodeRecipientRejected, Field: "smtp.default_recipients",
			Summary: fmt.Sprintf("%d of %d recipients were refused", len(c.s.Recipients)-accepted, len(c.s.Recipients)),
			Remedy:  "check the refused addresses (see recipients)", ServerSaid: errText(firstErr)}
		// Exchange's reading of the first refusal (too many recipients,
		// a throttled sender) when it has one.
		if se, ok := asSMTP(firstErr); ok {
			if d := diagnoseExchange(c.s, StepMessage, se); d != nil {
				d.Summary = w.Summary + ": " + d.Summary
				w = *d
			}
		}
		c.warn(w)
	}
	return detail, nil
}

// quit is the QUIT step. A server that hangs up instead of answering is
// worth a warning, not a failed check: everything that matters has passed.
func (c *checker) quit() (string, *Diagnosis) {
	if err := c.conn.quit(); err != nil {
		c.warn(Diagnosis{Step: StepQuit, Code: CodeQuitFailed, Summary: "the server did not answer QUIT cleanly: " + errText(err),
			Remedy: "nothing to do for the check; the server may be closing connections abruptly"})
		return "no clean answer to QUIT", nil
	}
	return "", nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	if se, ok := asSMTP(err); ok {
		return replyText(se)
	}
	return err.Error()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
