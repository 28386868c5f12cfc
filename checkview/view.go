package checkview

import (
	"fmt"
	"time"

	"sitecfg/smtpauth"
)

// View is a whole report as shown.
type View struct {
	Server     string // host:port
	Rows       []Row
	Recipients []Recipient
	Warnings   []Diagnosis
	Failure    *Diagnosis // nil when the check passed
	// Also are failures of steps that ran on after Failure because they
	// do not need what failed (the OAuth token when SMTP failed).
	Also []Diagnosis
	OK   bool
	Took time.Duration // rounded to the millisecond
}

// New is r as shown; its diagnoses name their set-up guide step as the
// method checked says (r.Method).
func New(r *smtpauth.Report) View {
	v := View{Server: smtpauth.Printable(r.Server), OK: r.OK, Took: r.Duration.Round(time.Millisecond)}
	for _, s := range r.Steps {
		v.Rows = append(v.Rows, NewRow(s))
	}
	for _, rc := range r.Recipients {
		rc.Address, rc.Reply = smtpauth.Printable(rc.Address), smtpauth.Printable(rc.Reply)
		v.Recipients = append(v.Recipients, Recipient(rc))
	}
	for i := range r.Warnings {
		v.Warnings = append(v.Warnings, NewDiagnosis(&r.Warnings[i], r.Method))
	}
	if r.Diagnosis != nil {
		d := NewDiagnosis(r.Diagnosis, r.Method)
		v.Failure = &d
	}
	for i := range r.Also {
		v.Also = append(v.Also, NewDiagnosis(&r.Also[i], r.Method))
	}
	return v
}

// Recipient is one address's answer to RCPT TO: in the envelope step
// (with the field it came from) or for the test message.
type Recipient smtpauth.RecipientResult

// Line is the recipient's result as one line of text, without indent:
// "envelope: emails.ui_admin admin@example.com: accepted 250 2.1.5 Ok".
func (r Recipient) Line() string {
	state := "accepted"
	switch {
	case r.Deferred:
		state = "deferred"
	case !r.Accepted:
		state = "REJECTED"
	}
	if r.Step == smtpauth.StepEnvelope {
		return fmt.Sprintf("envelope: %s %s: %s %s", r.Field, r.Address, state, r.Reply)
	}
	return fmt.Sprintf("test message to %s: %s %s", r.Address, state, r.Reply)
}
