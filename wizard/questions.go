package wizard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

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
	// Credential is the OAuth client credential chosen
	// (CredentialSecret or CredentialCertificate); empty means "whatever
	// the answers hold" (a certificate path, else a secret).
	Credential string
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
	// Secret marks answers masked in the review.
	Secret bool
	// Keepable secrets may be left empty on a re-run to keep the stored one.
	Keepable func(s *State) bool
}

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

// Applies reports whether q is asked in state s.
func (q *Question) Applies(s *State) bool { return q.Show == nil || q.Show(s) }

func smtpOn(s *State) bool  { return s.Answers.SMTP.Enabled }
func smtpOff(s *State) bool { return !s.Answers.SMTP.Enabled }
func method(m config.AuthMethod) func(*State) bool {
	return func(s *State) bool { return s.Answers.SMTP.Enabled && s.Answers.SMTP.Auth == m }
}
func oauthOn(s *State) bool { return s.Answers.SMTP.Enabled && s.Answers.SMTP.Auth.IsOAuth() }

func (s *State) oauth() *config.OAuth {
	if s.Answers.SMTP.OAuth == nil {
		s.Answers.SMTP.OAuth = &config.OAuth{Cloud: config.CloudGlobal, Mechanism: config.MechXOAuth2}
	}
	return s.Answers.SMTP.OAuth
}

func text(get func(*State) *string, check func(string) error) (func(*State) string, func(*State, string) error) {
	return func(s *State) string { return *get(s) },
		func(s *State, v string) error {
			v = strings.TrimSpace(v)
			if check != nil {
				if err := check(v); err != nil {
					return err
				}
			}
			*get(s) = v
			return nil
		}
}

func optional(check func(string) error) func(string) error {
	return func(v string) error {
		if v == "" {
			return nil
		}
		return check(v)
	}
}

// Questions returns the flow's questions in order.
func Questions() []*Question {
	qs := []*Question{
		{ID: "smtp.enabled", Page: PageSMTP, Kind: KindConfirm,
			Title: "Send email through an SMTP server?",
			Help:  "On: notifications and password resets go by email. Off: the UI admin and support accounts are managed here, with recovery codes for the admin.",
			Get:   func(s *State) string { return strconv.FormatBool(s.Answers.SMTP.Enabled) },
			Set: func(s *State, v string) error {
				b, err := parseBool(v)
				if err == nil {
					s.Answers.SMTP.Enabled = b
				}
				return err
			}},
	}
	qs = append(qs, userQuestions(PageAdmin, "users.admin", "UI admin", func(s *State) *config.UserAnswer { return &s.Answers.Users.Admin }, func(s *State) *string { return &s.AdminConfirm })...)
	qs = append(qs, userQuestions(PageSupport, "users.support", "UI primary customer support", func(s *State) *config.UserAnswer { return &s.Answers.Users.Support }, func(s *State) *string { return &s.SupportConfirm })...)
	get, set := text(func(s *State) *string { return &s.Answers.RecoveryCodesOut }, func(v string) error {
		if v == "" {
			return errors.New("a file to save the recovery codes to is required")
		}
		return nil
	})
	qs = append(qs, &Question{ID: "recovery_codes_out", Page: PageCodes, Kind: KindText, Show: smtpOff,
		Title: "Save the admin's recovery codes to",
		Help:  "The file is written with mode 0600. Move it somewhere safe and offline.", Get: get, Set: set})
	qs = append(qs, emailQuestions()...)
	qs = append(qs, smtpQuestions()...)
	return qs
}

func userQuestions(page Page, path, who string, user func(*State) *config.UserAnswer, confirm func(*State) *string) []*Question {
	keep := func(s *State) bool { return user(s).Keep }
	return []*Question{
		{ID: path + ".username", Page: page, Kind: KindText, Show: smtpOff, Title: who + " username",
			Help: "1–64 letters, digits, '.', '_' or '-', starting with a letter.",
			Get:  func(s *State) string { return user(s).Username },
			Set: func(s *State, v string) error {
				v = strings.TrimSpace(v)
				u := user(s)
				was := u.Username
				u.Username = v
				err := ruleError(s, path+".username")
				u.Username = was
				if err != nil {
					return err
				}
				if prev, _ := s.Prev.Account(v); prev == nil || !strings.EqualFold(prev.Username, v) {
					u.Keep = false
				} else if u.Password.Value == "" {
					u.Keep = prev.PasswordHash != ""
				}
				u.Username = v
				return nil
			}},
		{ID: path + ".password", Page: page, Kind: KindPassword, Show: smtpOff, Secret: true, Keepable: keep,
			Title: who + " password",
			Help:  "8–128 characters with a lower-case and an upper-case letter, a digit and a special character.",
			Get:   func(s *State) string { return user(s).Password.Value },
			Set: func(s *State, v string) error {
				u := user(s)
				if v == "" && u.Keep {
					u.Password = config.Secret{}
					return nil
				}
				if err := config.ValidatePassword(u.Username, v); err != nil {
					return err
				}
				u.Password = config.Secret{Value: v}
				return nil
			}},
		{ID: path + ".password_confirm", Page: page, Kind: KindPassword, Show: smtpOff, Secret: true, Keepable: keep,
			Title: "Confirm the " + who + " password",
			Get:   func(s *State) string { return *confirm(s) },
			Set: func(s *State, v string) error {
				if err := config.ValidateConfirm(user(s).Password.Value, v); err != nil {
					return err
				}
				*confirm(s) = v
				return nil
			}},
	}
}

func emailQuestions() []*Question {
	type field struct {
		id, title string
		ptr       func(*State) *string
	}
	fs := []field{
		{"emails.ui_admin", "UI admin email", func(s *State) *string { return &s.Answers.Emails.UIAdmin }},
		{"emails.ui_support", "UI primary customer support email", func(s *State) *string { return &s.Answers.Emails.UISupport }},
		{"emails.admiral_alerts", "Admiral alert email", func(s *State) *string { return &s.Answers.Emails.AdmiralAlerts }},
	}
	var qs []*Question
	for _, f := range fs {
		q := &Question{ID: f.id, Page: PageEmails, Kind: KindText, Show: smtpOn, Title: f.title,
			Help: "A bare address (name@example.com). The three addresses must differ.",
			Get:  func(s *State) string { return *f.ptr(s) }}
		q.Set = func(s *State, v string) error {
			v = config.NormalizeEmail(v)
			was := *f.ptr(s)
			*f.ptr(s) = v
			if err := ruleError(s, f.id); err != nil {
				*f.ptr(s) = was
				return err
			}
			return nil
		}
		qs = append(qs, q)
	}
	return qs
}

// ruleError is the first problem the rules of package config report for
// one field of the answers as they stand: a question parses its answer,
// and the rules — the same ones apply and check use — judge it.
func ruleError(s *State, field string) error {
	if ps := s.Answers.FieldProblems(field, time.Now()); len(ps) > 0 {
		return errors.New(ps[0].Message)
	}
	return nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "y", "yes", "true", "on", "1":
		return true, nil
	case "n", "no", "false", "off", "0":
		return false, nil
	}
	return false, fmt.Errorf("answer yes or no")
}
