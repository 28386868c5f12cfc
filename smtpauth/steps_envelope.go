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
// so the report shows every refused address at once, in one round trip
// when the server offers PIPELINING.
func (c *checker) envelope() (string, *Diagnosis) {
	start := time.Now()
	from := Address{Addr: c.s.From, Field: "smtp.from"}
	replies, err := c.envelopeReplies()
	if err != nil {
		return "", c.diagnoseIO(StepEnvelope, err, start)
	}
	mail, rcpts, rset := replies[0], replies[1:len(replies)-1], replies[len(replies)-1]
	if se, refused := asSMTP(mail.err); refused {
		// The recipients' replies (503, no MAIL) say nothing then: only
		// the sender's counts.
		if se.Code/100 == 4 {
			c.warn(c.deferred(se, Diagnosis{Step: StepEnvelope, Code: CodeSenderDeferred, Field: from.Field,
				Summary:    fmt.Sprintf("the server deferred the sender %s for now (%s), so the recipients could not be checked", from.Addr, replyText(se)),
				Remedy:     "a temporary refusal (greylisting, a busy server): run the check again in a few minutes",
				ServerSaid: replyText(se)}))
			return "sender deferred (" + replyText(se) + "); recipients not checked; RSET, nothing sent", nil
		}
		return "", c.envelopeRefused(se, from, true)
	}
	var refused []*smtp.SMTPError
	var refusedAt []Address
	accepted, deferred := 0, 0
	for i, a := range c.s.Envelope {
		err := rcpts[i].err
		rr := RecipientResult{Step: StepEnvelope, Address: a.Addr, Field: a.Field, Accepted: err == nil}
		se, isReply := asSMTP(err)
		switch {
		case err == nil:
			rr.Reply = firstLine(rcpts[i].msg)
			accepted++
		case !isReply:
			return "", c.diagnoseIO(StepEnvelope, err, start)
		case se.Code/100 == 4:
			rr.Deferred, rr.Reply = true, replyText(se)
			deferred++
			c.warn(c.deferred(se, Diagnosis{Step: StepEnvelope, Code: CodeRecipientDeferred, Field: a.Field,
				Summary:    fmt.Sprintf("the server deferred %s (%s) for now: mail to it will be delayed, not lost", a.Addr, a.Field),
				Remedy:     "a temporary refusal, usually greylisting: the server takes the address on a later try; if it persists, ask its administrator",
				ServerSaid: replyText(se)}))
		default:
			rr.Reply = replyText(se)
			refused = append(refused, se)
			refusedAt = append(refusedAt, a)
		}
		c.r.Recipients = append(c.r.Recipients, rr)
	}
	if rset.err != nil {
		return "", c.diagnoseIO(StepEnvelope, rset.err, start)
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

// deferred is the warning for a temporary refusal se in the envelope:
// Exchange Online's reading of it when it has one (a throttled sender,
// too many recipients), else w, the greylisting reading.
func (c *checker) deferred(se *smtp.SMTPError, w Diagnosis) Diagnosis {
	if d := diagnoseExchange(c.s, StepEnvelope, se); d != nil {
		if d.Field == "" {
			d.Field = w.Field
		}
		return *d
	}
	return w
}

// reply is one command's reply: its text, or the error it came as.
type reply struct {
	msg string
	err error
}

// envelopeReplies sends MAIL FROM, the RCPT TOs and RSET and returns their
// replies in that order. A server that offers PIPELINING (RFC 2920) gets
// them in one go and answers them in one round trip instead of one per
// command — on a wide-area link with four recipients, six round trips
// become one. The error is a connection failure; refusals are replies.
func (c *checker) envelopeReplies() ([]reply, error) {
	cmds := []command{{250, fmt.Sprintf("MAIL FROM:<%s>%s", c.s.From, c.utf8Option())}}
	for _, a := range c.s.Envelope {
		cmds = append(cmds, command{25, fmt.Sprintf("RCPT TO:<%s>", a.Addr)})
	}
	cmds = append(cmds, command{250, "RSET"})
	out := make([]reply, len(cmds))
	if !c.conn.has("PIPELINING") {
		for i, cmd := range cmds {
			if i > 0 && i < len(cmds)-1 && out[0].err != nil {
				continue // a refused sender: no recipient is asked about, straight to RSET
			}
			_, msg, err := c.conn.cmd(cmd.expect, "%s", cmd.line)
			if _, ok := asSMTP(err); err != nil && !ok {
				return nil, err
			}
			out[i] = reply{msg, err}
		}
		return out, nil
	}
	w := c.conn.text.W
	for _, cmd := range cmds {
		if _, err := w.WriteString(cmd.line + "\r\n"); err != nil {
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	for i, cmd := range cmds {
		_, msg, err := c.conn.readReply(cmd.expect)
		if _, ok := asSMTP(err); err != nil && !ok {
			return nil, err
		}
		out[i] = reply{msg, err}
	}
	return out, nil
}

// command is one command line and the reply code it expects (see
// smtpConn.readReply).
type command struct {
	expect int
	line   string
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
