package smtpauth

import (
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// envelope is the envelope step: MAIL FROM:<from>, one RCPT TO for every
// address the cluster will mail, then RSET — so the server says whether it
// will take the cluster's mail (relay access, the sender's ownership, the
// recipients' existence) without a message being sent. A temporary
// refusal (4xx, greylisting) is a warning; a permanent one fails the step,
// naming the address and the field it came from. All recipients are tried,
// so the report shows every refused address at once.
func (c *checker) envelope() (string, *Diagnosis) {
	start := time.Now()
	from := Address{Addr: c.s.From, Field: "smtp.from"}
	if _, _, err := c.conn.cmd(250, "MAIL FROM:<%s>%s", from.Addr, c.utf8Option()); err != nil {
		se, ok := asSMTP(err)
		if !ok {
			return "", c.diagnoseIO(StepEnvelope, err, start)
		}
		if se.Code/100 == 4 {
			c.warn(Diagnosis{Step: StepEnvelope, Code: CodeSenderDeferred, Field: from.Field,
				Summary:    fmt.Sprintf("the server deferred the sender %s for now (%s); the recipients were not tried", from.Addr, replyText(se)),
				Remedy:     "a temporary refusal (greylisting, a busy server): run the check again in a few minutes",
				ServerSaid: replyText(se)})
			if d := c.rset(start); d != nil {
				return "", d
			}
			return "sender deferred (" + replyText(se) + "); recipients not tried; RSET, nothing sent", nil
		}
		return "", c.envelopeRefused(se, from, true)
	}
	var refused []*smtp.SMTPError
	var refusedAt []Address
	accepted, deferred := 0, 0
	for _, a := range c.s.Envelope {
		_, msg, err := c.conn.cmd(25, "RCPT TO:<%s>", a.Addr)
		rr := RecipientResult{Step: StepEnvelope, Address: a.Addr, Field: a.Field, Accepted: err == nil}
		se, isReply := asSMTP(err)
		switch {
		case err == nil:
			rr.Reply = firstLine(msg)
			accepted++
		case !isReply:
			return "", c.diagnoseIO(StepEnvelope, err, start)
		case se.Code/100 == 4:
			rr.Deferred, rr.Reply = true, replyText(se)
			deferred++
			c.warn(Diagnosis{Step: StepEnvelope, Code: CodeRecipientDeferred, Field: a.Field,
				Summary:    fmt.Sprintf("the server deferred %s (%s) for now: mail to it will be delayed, not lost", a.Addr, a.Field),
				Remedy:     "a temporary refusal, usually greylisting: the server takes the address on a later try; if it persists, ask its administrator",
				ServerSaid: replyText(se)})
		default:
			rr.Reply = replyText(se)
			refused = append(refused, se)
			refusedAt = append(refusedAt, a)
		}
		c.r.Recipients = append(c.r.Recipients, rr)
	}
	if d := c.rset(start); d != nil {
		return "", d
	}
	if len(refused) > 0 {
		d := c.envelopeRefused(refused[0], refusedAt[0], false)
		if len(refused) > 1 {
			var all []string
			for _, a := range refusedAt {
				all = append(all, a.Addr+" ("+a.Field+")")
			}
			d.Summary += fmt.Sprintf("; %d addresses were refused in all: %s", len(refused), strings.Join(all, ", "))
		}
		return "", d
	}
	detail := fmt.Sprintf("sender %s and %d of %d recipients accepted", from.Addr, accepted, len(c.s.Envelope))
	if deferred > 0 {
		detail += fmt.Sprintf(", %d deferred", deferred)
	}
	return detail + "; RSET, nothing sent", nil
}

// rset ends the envelope's transaction so that nothing is sent.
func (c *checker) rset(start time.Time) *Diagnosis {
	if _, _, err := c.conn.cmd(250, "RSET"); err != nil {
		return c.diagnoseIO(StepEnvelope, err, start)
	}
	return nil
}

// utf8Option is " SMTPUTF8" when an address needs it and the server
// offers it.
func (c *checker) utf8Option() string {
	all := c.s.From + strings.Join(c.s.Recipients, "")
	for _, a := range c.s.Envelope {
		all += a.Addr
	}
	if c.conn.has("SMTPUTF8") && !isASCII(all) {
		return " SMTPUTF8"
	}
	return ""
}
