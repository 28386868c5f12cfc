package checkview

import (
	"strings"
	"time"

	"sitecfg/smtpauth"
)

// Row is one step of the check as shown.
type Row struct {
	Name   smtpauth.StepName
	Status smtpauth.Status
	Took   time.Duration // rounded to the millisecond
	Detail string
}

// NewRow is the row of step s. Its detail (an EHLO keyword list, a
// server's words) is made printable: no server string reaches a terminal
// raw.
func NewRow(s smtpauth.Step) Row {
	return Row{Name: s.Name, Status: s.Status, Took: s.Duration.Round(time.Millisecond), Detail: smtpauth.Printable(s.Detail)}
}

// stepLabels are the steps' names in words.
var stepLabels = map[smtpauth.StepName]string{
	smtpauth.StepResolve: "Resolve the host", smtpauth.StepConnect: "Connect",
	smtpauth.StepBanner: "Server greeting", smtpauth.StepEHLO: "EHLO",
	smtpauth.StepTLS: "TLS", smtpauth.StepToken: "OAuth token",
	smtpauth.StepAuth: "Authenticate", smtpauth.StepEnvelope: "Envelope",
	smtpauth.StepMessage: "Test message",
	smtpauth.StepQuit:    "QUIT",
}

// Label is the step's name in words ("Resolve the host"), or its
// identifier for a step without one.
func (r Row) Label() string { return StepLabel(r.Name) }

// StepLabel is step n's name in words, as a row shows it.
func StepLabel(n smtpauth.StepName) string {
	if l, ok := stepLabels[n]; ok {
		return l
	}
	return string(n)
}

// StepPhrase is step n's name inside a sentence ("Failed at connect"):
// the label, lower-cased unless it starts with an acronym.
func StepPhrase(n smtpauth.StepName) string {
	l := StepLabel(n)
	if len(l) > 1 && strings.ToLower(l[1:2]) == l[1:2] {
		return strings.ToLower(l[:1]) + l[1:]
	}
	return l
}

var words = map[smtpauth.Status]string{
	smtpauth.StatusOK: "ok", smtpauth.StatusFailed: "FAILED", smtpauth.StatusSkipped: "skipped",
	smtpauth.StatusWarning: "warning", smtpauth.StatusRunning: "running",
}

var glyphs = map[smtpauth.Status]string{
	smtpauth.StatusOK: "✓", smtpauth.StatusFailed: "✗", smtpauth.StatusSkipped: "–",
	smtpauth.StatusWarning: "!", smtpauth.StatusRunning: "…",
}

// Word is the status as a word ("ok", "FAILED", "skipped", "warning"),
// for plain-text front ends.
func (r Row) Word() string {
	if w, ok := words[r.Status]; ok {
		return w
	}
	return string(r.Status)
}

// Glyph is the status as one character (✓ ✗ – ! …), for the full-screen
// wizard, which colours it.
func (r Row) Glyph() string {
	if g, ok := glyphs[r.Status]; ok {
		return g
	}
	return "?"
}
