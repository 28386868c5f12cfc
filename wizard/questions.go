package wizard

import (
	"strings"

	"sitecfg/config"
)

// Kind is how a question is asked.
type Kind int

// Question kinds.
const (
	KindText     Kind = iota // one line of text
	KindPassword             // one line, never echoed or shown
	KindSelect               // one of Options
	KindConfirm              // yes / no
)

// Option is one choice of a select question.
type Option struct {
	Label string
	Value string
}

// State is what a front end fills: the answers, plus what is asked but not
// part of them (password confirmations), plus the config being replaced.
type State struct {
	Answers        config.Answers
	AdminConfirm   string
	SupportConfirm string
	// Prev is the saved config on a re-run (nil on first deploy); its
	// stored secrets are kept when the operator leaves a secret empty.
	Prev *config.Site
	// guidSecret is a GUID-shaped client secret the operator was warned
	// about once; given again, it is taken.
	guidSecret string
	// ConfigPath is the site-config file the front end writes (for
	// defaults next to it, such as the recovery-codes file).
	ConfigPath string
	// WorkDir is the working directory, read once when the front end
	// starts, against which relative answers are shown in full.
	WorkDir string
	// advanced are the advanced questions opened (see Question.Advanced).
	advanced map[string]bool
	// typed is, by field, an answer as typed when it is stored in
	// another form (an address lower-cased, a duplicate dropped): the
	// reviews list those normalisations.
	typed map[string]string
	// Credential is the OAuth client credential chosen
	// (CredentialSecret or CredentialCertificate); empty means "whatever
	// the answers hold" (a certificate path, else a secret).
	Credential string
	// beforeSwitch is the SMTP section as it was before the operator took
	// the offer to switch basic (or none) against Exchange Online to
	// microsoft-oauth; nil when the offer was not taken. Declining it
	// again puts the section back.
	beforeSwitch *config.SMTP
}

// OAuth client credentials offered by the "smtp.oauth.credential"
// question (not an answers-file field: the answers file gives one of
// client_secret and client_certificate).
const (
	CredentialSecret      = "secret"
	CredentialCertificate = "certificate"
)

// usesCertificate reports whether the OAuth client authenticates with a
// certificate rather than a secret.
func (s *State) usesCertificate() bool {
	if s.Credential != "" {
		return s.Credential == CredentialCertificate
	}
	return s.Answers.SMTP.OAuth != nil && s.Answers.SMTP.OAuth.ClientCertificate != ""
}

// Question is one field of the flow. The list of questions — what is asked,
// on which page, when it is shown and how each answer is checked — is
// defined once here and drives every front end.
type Question struct {
	// ID is the answers-file field path ("smtp.port"); the live check's
	// diagnoses name the same paths, so a front end can jump to the field.
	ID    string
	Page  Page
	Title string
	Help  string
	Kind  Kind
	// Options lists the choices of a select question.
	Options []Option
	// Show reports whether the question applies (nil: always).
	Show func(s *State) bool
	// Get is the current answer, as text (secrets included: front ends
	// must not echo KindPassword answers).
	Get func(s *State) string
	// Set checks one answer with the same validators the answers file
	// uses, and stores it. An error leaves the state unchanged.
	Set func(s *State, v string) error
	// Check, when set, judges a stored answer by what only the file
	// system can tell (the file exists, reads, holds a certificate). The
	// TUI runs it as a command, off its Update; the line prompts run it
	// after Set. nil: nothing to look at.
	Check func(v string) error
	// Secret marks answers masked in the review.
	Secret bool
	// Keepable secrets may be left empty on a re-run to keep the stored one.
	Keepable func(s *State) bool
	// Advanced questions are left out of the flow until they are opened:
	// by Find (a diagnosis or the operator in the review names the
	// field), by "edit all" in the full-screen review, or by their Show
	// when they already hold a value.
	Advanced bool
}

// openAdvanced makes the advanced question id part of the flow.
func (s *State) openAdvanced(id string) {
	if s.advanced == nil {
		s.advanced = map[string]bool{}
	}
	s.advanced[id] = true
}

// openAllAdvanced makes every advanced question part of the flow (the
// operator asked to edit everything).
func (s *State) openAllAdvanced(qs []*Question) {
	for _, q := range qs {
		if q.Advanced {
			s.openAdvanced(q.ID)
		}
	}
}

// AdvancedOpen reports whether the advanced question id is part of the
// flow.
func (s *State) AdvancedOpen(id string) bool { return s.advanced[id] }

// Page groups questions shown together.
type Page string

// The pages, in order.
const (
	PageSMTP     Page = "SMTP notifications"
	PageAdmin    Page = "UI admin"
	PageSupport  Page = "UI primary customer support"
	PageCodes    Page = "Recovery codes"
	PageEmails   Page = "Notification addresses"
	PageMethod   Page = "SMTP authentication"
	PageServer   Page = "SMTP server"
	PageMS       Page = "Microsoft 365 (OAuth 2.0)"
	PageOAuth2   Page = "OAuth 2.0 provider"
	PageBasic    Page = "SMTP credentials"
	PageDelivery Page = "Sender and recipients"
)

// PageMSCredential asks for the client secret or the certificate chosen
// on PageMS; a page of its own, so that the fields shown follow the
// choice in every front end.
const PageMSCredential Page = "Microsoft 365 credential"

// Optional reports whether q is a text answer that may be left empty
// (its title says "optional"): the line prompts clear it on "-".
func (q *Question) Optional() bool {
	return q.Kind == KindText && strings.Contains(q.Title, "optional")
}

// Applies reports whether q is asked in state s.
func (q *Question) Applies(s *State) bool { return q.Show == nil || q.Show(s) }

// Questions returns the flow's questions in order: the SMTP switch, the
// UI accounts and recovery codes (SMTP off), then the notification
// addresses, the auth method, the server and each method's own questions,
// and the sender and recipients (SMTP on). Only the questions that apply
// to the answers so far are asked (Visible).
func Questions() []*Question {
	qs := []*Question{switchQuestion()}
	qs = append(qs, accountQuestions()...)
	qs = append(qs, emailQuestions()...)
	qs = append(qs, authQuestion())
	qs = append(qs, serverQuestions()...)
	for _, m := range methodUIs {
		qs = append(qs, m.questions()...)
	}
	qs = append(qs, deliveryQuestions()...)
	return qs
}
