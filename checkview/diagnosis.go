package checkview

import (
	"fmt"
	"strings"

	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// The labels of a diagnosis's lines, the same in every front end.
const (
	LabelRemedy     = "What to do"
	LabelField      = "Field to fix"
	LabelCommands   = "Commands (PowerShell, Exchange Online)"
	LabelServerSaid = "The server said"
	LabelGuide      = "Set-up guide"
)

// Diagnosis is a failure or a warning as shown.
type Diagnosis struct {
	Step       smtpauth.StepName
	Code       smtpauth.Code
	Summary    string
	Remedy     string
	Field      string
	Commands   []string
	ServerSaid string
	// GuideStep is the step of 'sitecfg guide microsoft' that fixes it;
	// zero when none does (or none does for the method checked).
	GuideStep microsoft.GuideStep
}

// NewDiagnosis is d, from a check with method m, as shown: it names the
// set-up guide step that fixes it, when the method says one does
// (smtpauth.Method.GuideStep). Every text is made printable
// (smtpauth.Printable): a summary can quote the server, which may be
// hostile.
func NewDiagnosis(d *smtpauth.Diagnosis, m smtpauth.Method) Diagnosis {
	p := smtpauth.Printable
	cmds := make([]string, len(d.Commands))
	for i, c := range d.Commands {
		cmds[i] = p(c)
	}
	if d.Commands == nil {
		cmds = nil
	}
	v := Diagnosis{Step: d.Step, Code: d.Code, Summary: p(d.Summary), Remedy: p(d.Remedy), Field: p(d.Field),
		Commands: cmds, ServerSaid: p(strings.TrimSpace(d.ServerSaid))}
	v.GuideStep = m.GuideStep(d.Code)
	return v
}

// Where is the step in a sentence ("connect", "OAuth token"), or "" when
// the diagnosis names none.
func (d Diagnosis) Where() string {
	if d.Step == "" {
		return ""
	}
	return StepPhrase(d.Step)
}

// Detail is one line under a diagnosis's heading: a label and its text,
// or (no label) a command.
type Detail struct {
	Indent int
	Label  string
	Text   string
}

// String is the line as plain text.
func (l Detail) String() string {
	pad := strings.Repeat(" ", l.Indent)
	switch {
	case l.Label == "":
		return pad + l.Text
	case l.Text == "":
		return pad + l.Label + ":"
	}
	return pad + l.Label + ": " + l.Text
}

// Details are the lines under the heading, in order: what to do, the
// field to fix, the commands, what the server said, the guide step. Only
// those the diagnosis has.
func (d Diagnosis) Details() []Detail {
	var out []Detail
	if d.Remedy != "" {
		out = append(out, Detail{Indent: 2, Label: LabelRemedy, Text: d.Remedy})
	}
	if d.Field != "" {
		out = append(out, Detail{Indent: 2, Label: LabelField, Text: d.Field})
	}
	if len(d.Commands) > 0 {
		out = append(out, Detail{Indent: 2, Label: LabelCommands})
		for _, c := range d.Commands {
			out = append(out, Detail{Indent: 4, Text: c})
		}
	}
	if d.ServerSaid != "" {
		out = append(out, Detail{Indent: 2, Label: LabelServerSaid, Text: d.ServerSaid})
	}
	if d.GuideStep > 0 {
		out = append(out, Detail{Indent: 2, Label: LabelGuide, Text: fmt.Sprintf("step %d of '%s'", d.GuideStep, microsoft.GuideCommand)})
	}
	return out
}
