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
// form, is replaced wherever it might have slipped into the report.
// Structured redaction (the AUTH lines, the unrecorded token bodies) is the
// first; this catches what a server echoes back.
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

func scrubDiagnosis(d *Diagnosis, secrets []string) {
	d.Summary = scrubString(d.Summary, secrets)
	d.Remedy = scrubString(d.Remedy, secrets)
	d.ServerSaid = scrubString(d.ServerSaid, secrets)
	for i := range d.Commands {
		d.Commands[i] = scrubString(d.Commands[i], secrets)
	}
}

func scrubString(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) < minScrubLen {
			continue
		}
		s = strings.ReplaceAll(s, sec, redacted)
		s = strings.ReplaceAll(s, base64.StdEncoding.EncodeToString([]byte(sec)), redacted)
		s = strings.ReplaceAll(s, base64.RawStdEncoding.EncodeToString([]byte(sec)), redacted)
	}
	return s
}
