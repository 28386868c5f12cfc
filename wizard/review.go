package wizard

import (
	"errors"
	"strings"

	"sitecfg/config"
)

// ErrCancelled is returned by the interactive front ends when the operator
// cancels (Ctrl+C); nothing was written.
var ErrCancelled = errors.New("cancelled by the operator: nothing was written")

// ErrNotSaved is returned by the interactive front ends when the live check
// failed and the operator chose to quit without saving.
var ErrNotSaved = errors.New("live check failed; nothing was written")

// Masked values the review shows instead of a secret.
const (
	MaskNew       = "•••• (new)"
	MaskUnchanged = "stored, unchanged"
	MaskStored    = "••••"
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
		if strings.HasSuffix(q.ID, "_confirm") || q.ID == "smtp.oauth.credential" {
			continue
		}
		rows = append(rows, ReviewRow{Field: q.ID, Label: q.Title, Page: q.Page, Value: shown(q, s), Secret: q.Secret})
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
type ChangeKind string

// Change kinds.
const (
	Added   ChangeKind = "added"
	Changed ChangeKind = "changed"
	Removed ChangeKind = "removed"
)

// Change is one difference between the saved config and the answers.
// Secrets are masked in Old and New.
type Change struct {
	Field string
	Label string
	Kind  ChangeKind
	Old   string
	New   string
}

// Diff lists what the answers change in the saved config prev (nil on a
// first deploy, which has no changes to show): values added, changed and
// removed, in question order, secrets masked.
func Diff(prev *config.Site, s *State) []Change {
	if prev == nil {
		return nil
	}
	old := &State{Answers: *prev.Answers(), Prev: prev}
	before := map[string]ReviewRow{}
	var order []string
	for _, r := range ReviewRows(old) {
		if r.Secret && r.Value != "(none)" {
			r.Value = MaskStored
		}
		before[r.Field] = r
		order = append(order, r.Field)
	}
	var out []Change
	seen := map[string]bool{}
	for _, r := range ReviewRows(s) {
		if r.Field == "recovery_codes_out" {
			continue // not part of the saved config
		}
		seen[r.Field] = true
		b, ok := before[r.Field]
		switch {
		case !ok || b.Value == "(none)" && r.Value != "(none)":
			if r.Value != "(none)" {
				out = append(out, Change{Field: r.Field, Label: r.Label, Kind: Added, New: r.Value})
			}
		case r.Value == "(none)" && b.Value != "(none)":
			out = append(out, Change{Field: r.Field, Label: r.Label, Kind: Removed, Old: b.Value})
		case r.Secret && r.Value == MaskNew:
			out = append(out, Change{Field: r.Field, Label: r.Label, Kind: Changed, Old: b.Value, New: r.Value})
		case !r.Secret && b.Value != r.Value:
			out = append(out, Change{Field: r.Field, Label: r.Label, Kind: Changed, Old: b.Value, New: r.Value})
		}
	}
	for _, f := range order {
		if b := before[f]; !seen[f] && b.Value != "(none)" && f != "recovery_codes_out" {
			out = append(out, Change{Field: f, Label: b.Label, Kind: Removed, Old: b.Value})
		}
	}
	return out
}
