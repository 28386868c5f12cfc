package smtpauth

import (
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"
)

// ehloRefused is the diagnosis of a server refusing the name this check
// introduced itself with, at EHLO or — Postfix delays its HELO
// restrictions to RCPT TO by default — later in the envelope.
func (c *checker) ehloRefused(se *smtp.SMTPError) *Diagnosis {
	name := c.ehloName()
	d := &Diagnosis{
		Code:       CodeEHLORejected,
		Field:      "smtp.ehlo_name",
		Summary:    fmt.Sprintf("the server refused the name this machine introduced itself with, %q (%s)", name, replyText(se)),
		ServerSaid: replyText(se),
		Remedy:     "set smtp.ehlo_name to this machine's fully qualified DNS name (one the server can resolve, ideally matching its reverse DNS), or ask the server's administrator to accept this machine's name",
	}
	if c.s.EHLOName == "" {
		d.Remedy = "set smtp.ehlo_name to this machine's fully qualified DNS name (the default is the host name when it has a dot, else the address literal " +
			AddressLiteral(c.conn.raw.LocalAddr()) + "), or ask the server's administrator to accept this machine's name"
	}
	return d
}

// mentionsHelo reports a refusal that is about the HELO/EHLO name,
// whichever command it came at ("Helo command rejected" is Postfix's).
func mentionsHelo(se *smtp.SMTPError) bool {
	l := strings.ToLower(se.Message)
	return strings.Contains(l, "helo command rejected") || strings.Contains(l, "ehlo command rejected") ||
		strings.Contains(l, "invalid helo") || strings.Contains(l, "bad helo") || strings.Contains(l, "helo name")
}

// envelopeRefused explains a permanent refusal in the envelope step of
// address a (the sender when sender is set), naming the address and the
// field it came from.
func (c *checker) envelopeRefused(se *smtp.SMTPError, a Address, sender bool) *Diagnosis {
	if mentionsHelo(se) {
		return c.ehloRefused(se)
	}
	if d := diagnoseExchange(c.s, StepEnvelope, se); d != nil {
		return d
	}
	said := replyText(se)
	lower := strings.ToLower(said)
	d := &Diagnosis{ServerSaid: said, Field: a.Field, Code: ReplyCode(se.Code, enhanced(se))}
	what := "recipient"
	if sender {
		what = "sender"
	}
	relay := strings.Contains(lower, "relay") || strings.Contains(lower, "access denied")
	needsAuth := se.Code == 530 || enhanced(se) == "5.7.0" && strings.Contains(lower, "auth") ||
		strings.Contains(lower, "authentication required")
	switch {
	case (relay || needsAuth) && !c.m.sendsCredentials(c.s):
		d.Code, d.Field = CodeAuthRequired, "smtp.auth"
		d.Summary = fmt.Sprintf("the server refused the %s %s (%s) without a login: it does not relay for this machine unauthenticated (%s)", what, a.Addr, a.Field, said)
		d.Remedy = "use auth: basic (or OAuth) with a mailbox's credentials, or ask the server's administrator to allow relaying from this machine's address"
	case relay:
		d.Code = CodeRelayDenied
		d.Summary = fmt.Sprintf("relay access denied for the %s %s (%s): the server will not pass mail on there for this account (%s)", what, a.Addr, a.Field, said)
		d.Remedy = "ask the server's administrator to let this account send to " + domainOf(a.Addr) + ", or use an address the server delivers to"
	case sender || strings.Contains(lower, "sender address rejected") || strings.Contains(lower, "not owned"):
		d.Code, d.Field = CodeSenderRejected, "smtp.from"
		d.Summary = fmt.Sprintf("the server refused the sender %s (smtp.from) for %s (%s)", c.s.From, orDefault(c.s.Username, "this connection"), said)
		d.Remedy = "use a From address the logged-in account owns or may send as (often the mailbox itself), or ask the server's administrator to allow this one"
		if !sender {
			d.Summary = fmt.Sprintf("the server refused the sender %s (smtp.from) when given the recipient %s (%s)", c.s.From, a.Addr, said)
		}
	case se.Code == 550 && (enhanced(se) == "5.1.1" || strings.Contains(lower, "unknown") || strings.Contains(lower, "no such") ||
		strings.Contains(lower, "does not exist") || strings.Contains(lower, "not found")):
		d.Code = CodeRecipientUnknown
		d.Summary = fmt.Sprintf("the server says the recipient %s (%s) does not exist (%s)", a.Addr, a.Field, said)
		d.Remedy = "correct the address in " + a.Field + ": mail to it would bounce"
	default:
		d.Code = CodeRecipientRefused
		d.Summary = fmt.Sprintf("the server refused the recipient %s (%s): %s", a.Addr, a.Field, said)
		d.Remedy = "correct the address in " + a.Field + ", or ask the server's administrator why it is refused"
	}
	return d
}

// domainOf is the part of an address after its last @.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return addr
}
