package wizard

import (
	"errors"
	"strconv"
	"strings"

	"sitecfg/pipeline"

	"sitecfg/config"
)

// ErrCancelled is returned by the interactive front ends when the operator
// cancels (Ctrl+C); nothing was written.
var ErrCancelled = errors.New("cancelled by the operator: nothing was written")

// ErrCodesVoid joins ErrCancelled when recovery codes were shown in the
// cancelled run: no config holds them, so they are void (and their file
// was taken back).
var ErrCodesVoid = errors.New("the recovery codes just shown are void: no config holds them, and their file was taken back")

// ErrNotSaved is returned by the interactive front ends when the live check
// failed and the operator chose to quit without saving.
var ErrNotSaved = errors.New("live check failed; nothing was written")

// Masked values the review shows instead of a secret.
const (
	MaskNew       = pipeline.MaskNew
	MaskUnchanged = "stored, unchanged"
	MaskStored    = pipeline.MaskStored
)

// ReviewRow is one value of the review: the field path, its question's
// title, the page it was asked on and the value as shown (secrets masked,
// never in clear).
type ReviewRow struct {
	Field  string
	Label  string
	Page   Page
	Value  string
	Secret bool
}

// ReviewRows lists every answer that applies, in question order, with
// secrets masked: "•••• (new)" for a typed secret, "stored, unchanged" for
// a kept one. Password confirmations and the credential choice are left
// out.
func ReviewRows(s *State) []ReviewRow {
	var rows []ReviewRow
	for _, q := range Visible(Questions(), s) {
		// Confirmations repeat a password, and the credential choice shows
		// in the secret or certificate row that follows it.
		if strings.HasSuffix(q.ID, "_confirm") || q.ID == "smtp.oauth.credential" || q.ID == "recovery_codes" || q.ID == switchToMicrosoftID {
			continue
		}
		rows = append(rows, ReviewRow{Field: q.ID, Label: q.Title, Page: q.Page, Value: shown(q, s), Secret: q.Secret})
		if q.ID == "smtp.oauth.cloud" {
			// The cloud sets the server, port and security: not asked, but
			// written, so shown.
			a := s.Answers.SMTP
			rows = append(rows,
				ReviewRow{Field: "smtp.server", Label: "SMTP server (set by the cloud)", Page: q.Page, Value: a.Server},
				ReviewRow{Field: "smtp.port", Label: "Port (set by the cloud)", Page: q.Page, Value: strconv.Itoa(a.Port)},
				ReviewRow{Field: "smtp.security", Label: "Secure connection (set by the cloud)", Page: q.Page, Value: string(a.Security)})
		}
	}
	return rows
}

// shown is an answer as the review prints it.
func shown(q *Question, s *State) string {
	v := q.Get(s)
	if q.Secret {
		switch {
		case v == "" && q.SecretStored(s):
			return MaskUnchanged
		case v == "":
			return "(none)"
		case v == storedSecret(q.ID, s):
			return MaskUnchanged
		}
		return MaskNew
	}
	switch q.Kind {
	case KindConfirm:
		if b, err := parseBool(v); err == nil {
			if b {
				return "yes"
			}
			return "no"
		}
	}
	if v == "" {
		return "(none)"
	}
	return v
}

// storedSecret is the saved config's value of an SMTP secret that an
// empty answer keeps ("" when there is none), to tell a kept secret from
// a new one.
func storedSecret(id string, s *State) string {
	if sec, ok := s.Answers.KeptSecret(s.Prev, id); ok {
		return sec.Value
	}
	return ""
}

// ChangeKind says how a value differs from the saved config.
type ChangeKind = pipeline.ChangeKind

// Change kinds.
const (
	Added   = pipeline.Added
	Changed = pipeline.Changed
	Removed = pipeline.Removed
)

// Change is one difference between the saved config and what the write
// puts there (package pipeline decides what changes), with the title of
// the question that asks the field, when there is one. Secrets are masked
// in Old and New.
type Change struct {
	Field string
	Label string
	Kind  ChangeKind
	Old   string
	New   string
}

// Diff lists what the answers change in the saved config prev (nil on a
// first deploy, which has no changes to show).
func Diff(prev *config.Site, s *State) []Change {
	if prev == nil {
		return nil
	}
	return changesOf(pipeline.With("", prev, nil), s)
}

// changesOf lists every change the write makes to the file run read:
// values on the form, and those the write changes by itself
// (normalisation, migration, new recovery codes).
func changesOf(run *pipeline.Run, s *State) []Change {
	titles := map[string]string{}
	for _, q := range Questions() {
		titles[q.ID] = q.Title
	}
	var out []Change
	for _, c := range run.Changes(&s.Answers, !s.Answers.SMTP.Enabled && !s.KeepsCodes()) {
		label := titles[strings.Replace(c.Field, "password_hash", "password", 1)]
		out = append(out, Change{Field: c.Field, Label: label, Kind: c.Kind, Old: c.Old, New: c.New})
	}
	return out
}
