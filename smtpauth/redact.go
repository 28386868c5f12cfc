package smtpauth

import (
	"encoding/base64"
	"strings"
)

// minScrubLen is the shortest secret scrubbed by value: replacing a
// one-letter password everywhere would garble the report and protect
// nothing.
const minScrubLen = 4

// scrub is the last line of defence: every known secret, and its base64
// form, is replaced wherever it might have slipped into the report, and
// every string is made printable (Printable), so that a server's escape
// sequences reach no terminal, JSON reader or bundle. Structured
// redaction (the AUTH lines, the unrecorded token bodies) is the first;
// this catches what a server echoes back.
func scrub(r *Report, f forms) {
	for i := range r.Transcript {
		r.Transcript[i] = f.scrub(r.Transcript[i])
	}
	for i := range r.Steps {
		r.Steps[i].Detail = f.scrub(r.Steps[i].Detail)
	}
	if r.Diagnosis != nil {
		scrubDiagnosis(r.Diagnosis, f)
	}
	for i := range r.Warnings {
		scrubDiagnosis(&r.Warnings[i], f)
	}
	for i := range r.Also {
		scrubDiagnosis(&r.Also[i], f)
	}
	for i := range r.Recipients {
		r.Recipients[i].Reply = f.scrub(r.Recipients[i].Reply)
	}
}

func scrubDiagnosis(d *Diagnosis, f forms) {
	d.Summary = f.scrub(d.Summary)
	d.Remedy = f.scrub(d.Remedy)
	d.ServerSaid = f.scrub(d.ServerSaid)
	for i := range d.Commands {
		d.Commands[i] = f.scrub(d.Commands[i])
	}
}

// forms are the strings a set of secrets can show up as: each secret and
// its base64 forms. They are worked out once per secret, not once per
// line scrubbed (a check records dozens of lines).
type forms []string

// secretForms adds the forms of secrets to f (secrets shorter than
// minScrubLen have none).
func secretForms(f forms, secrets ...string) forms {
	for _, sec := range secrets {
		if len(sec) < minScrubLen {
			continue
		}
		f = append(f, sec, base64.StdEncoding.EncodeToString([]byte(sec)))
		f = append(f, base64Cores(sec)...)
	}
	return f
}

// scrub replaces every form in s and makes it printable.
func (f forms) scrub(s string) string { return Printable(f.replace(s)) }

// replace replaces every form in s.
func (f forms) replace(s string) string {
	for _, x := range f {
		s = strings.ReplaceAll(s, x, redacted)
	}
	return s
}

// base64Cores are the parts of the base64 encoding of sec that are the same
// wherever sec sits inside a longer encoded blob (such as an echoed
// "\x00user\x00password"): one per alignment of sec to the 3-byte groups,
// without the groups it shares with its neighbours.
func base64Cores(sec string) []string {
	var out []string
	for pad := range 3 {
		b := append(make([]byte, pad), sec...)
		enc := base64.StdEncoding.EncodeToString(b)
		start, end := 0, len(b)/3*4
		if pad > 0 {
			start = 4
		}
		if end-start >= 8 {
			out = append(out, enc[start:end])
		}
	}
	return out
}
