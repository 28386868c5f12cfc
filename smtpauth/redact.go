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
func scrub(r *Report, secrets []string) {
	for i := range r.Transcript {
		r.Transcript[i] = scrubString(r.Transcript[i], secrets)
	}
	for i := range r.Steps {
		r.Steps[i].Detail = scrubString(r.Steps[i].Detail, secrets)
	}
	if r.Diagnosis != nil {
		scrubDiagnosis(r.Diagnosis, secrets)
	}
	for i := range r.Warnings {
		scrubDiagnosis(&r.Warnings[i], secrets)
	}
	for i := range r.Recipients {
		r.Recipients[i].Reply = scrubString(r.Recipients[i].Reply, secrets)
	}
}

// scrubString replaces the secrets in s and makes it printable.
func scrubString(s string, secrets []string) string {
	return Printable(replaceSecrets(s, secrets))
}

func scrubDiagnosis(d *Diagnosis, secrets []string) {
	d.Summary = scrubString(d.Summary, secrets)
	d.Remedy = scrubString(d.Remedy, secrets)
	d.ServerSaid = scrubString(d.ServerSaid, secrets)
	for i := range d.Commands {
		d.Commands[i] = scrubString(d.Commands[i], secrets)
	}
}

// replaceSecrets replaces every secret in s, and its base64 forms.
func replaceSecrets(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) < minScrubLen {
			continue
		}
		s = strings.ReplaceAll(s, sec, redacted)
		s = strings.ReplaceAll(s, base64.StdEncoding.EncodeToString([]byte(sec)), redacted)
		for _, f := range base64Cores(sec) {
			s = strings.ReplaceAll(s, f, redacted)
		}
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
