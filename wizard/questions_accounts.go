package wizard

import (
	"errors"
	"strconv"
	"strings"

	"sitecfg/config"
)

// switchQuestion is the SMTP on/off switch: it decides which questions
// follow.
func switchQuestion() *Question {
	return &Question{ID: "smtp.enabled", Page: PageSMTP, Kind: KindConfirm,
		Title: "Send email through an SMTP server?",
		Help:  "On: notifications and password resets go by email. Off: the UI admin and support accounts are managed here, with recovery codes for the admin.",
		Get:   func(s *State) string { return strconv.FormatBool(s.Answers.SMTP.Enabled) },
		Set: func(s *State, v string) error {
			b, err := parseBool(v)
			if err == nil {
				s.Answers.SMTP.Enabled = b
			}
			return err
		}}
}

// accountQuestions are the UI accounts and the recovery-codes file (SMTP
// off).
func accountQuestions() []*Question {
	qs := userQuestions(PageAdmin, "users.admin", "UI admin", func(s *State) *config.UserAnswer { return &s.Answers.Users.Admin }, func(s *State) *string { return &s.AdminConfirm })
	qs = append(qs, userQuestions(PageSupport, "users.support", "UI primary customer support", func(s *State) *config.UserAnswer { return &s.Answers.Users.Support }, func(s *State) *string { return &s.SupportConfirm })...)
	get, set := text(func(s *State) *string { return &s.Answers.RecoveryCodesOut }, func(v string) error {
		if v == "" {
			return errors.New("a file to save the recovery codes to is required")
		}
		return nil
	})
	return append(qs, codesChoice(), &Question{ID: "recovery_codes_out", Page: PageCodes, Kind: KindText,
		Show:  func(s *State) bool { return smtpOff(s) && !s.KeepsCodes() },
		Title: "Save the admin's recovery codes to",
		Help:  "The file is written with mode 0600. Move it somewhere safe and offline.", Get: get, Set: set})
}

func userQuestions(page Page, path, who string, user func(*State) *config.UserAnswer, confirm func(*State) *string) []*Question {
	keep := func(s *State) bool { return user(s).Keep }
	return []*Question{
		{ID: path + ".username", Page: page, Kind: KindText, Show: smtpOff, Title: who + " username",
			Help: "1–64 letters, digits, '.', '_' or '-', starting with a letter.",
			Get:  func(s *State) string { return user(s).Username },
			Set: func(s *State, v string) error {
				u := user(s)
				if err := ruled(s, path+".username", &u.Username, strings.TrimSpace(v)); err != nil {
					return err
				}
				if prev, _ := s.Prev.Account(u.Username); prev == nil {
					u.Keep = false
				} else if u.Password.Value == "" {
					u.Keep = prev.PasswordHash != ""
				}
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

// Choices of the "recovery_codes" question (not an answers-file field).
const (
	CodesKeep = "keep"
	CodesNew  = "new"
)

// codesChoice asks, on a re-run whose config holds the admin's recovery
// codes, whether to keep them (the default: an upgrade changes nothing it
// is not asked to) or to make new ones, which stops the old ones working.
func codesChoice() *Question {
	return &Question{ID: "recovery_codes", Page: PageCodes, Kind: KindSelect,
		Show:  func(s *State) bool { return smtpOff(s) && s.CanKeepCodes() },
		Title: "The admin's recovery codes",
		Help:  "The saved config holds recovery codes for this admin. Keep them, or make new ones: new codes stop every earlier code working.",
		Options: []Option{
			{"Keep the existing codes (they keep working)", CodesKeep},
			{"Make new codes (the existing ones stop working)", CodesNew},
		},
		Get: func(s *State) string {
			if s.Answers.KeepCodes {
				return CodesKeep
			}
			return CodesNew
		},
		Set: func(s *State, v string) error {
			switch strings.ToLower(strings.TrimSpace(v)) {
			case CodesKeep:
				s.Answers.KeepCodes = true
			case CodesNew:
				s.Answers.KeepCodes = false
			default:
				return errors.New("choose keep or new")
			}
			return nil
		}}
}
