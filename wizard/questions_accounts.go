package wizard

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	return append(qs, codesChoice(), &Question{ID: "recovery_codes_out", Page: PageCodes, Kind: KindText,
		Show:  func(s *State) bool { return smtpOff(s) && !s.KeepsCodes() },
		Title: "Save the admin's recovery codes to",
		Help:  "The file is written with mode 0600, next to the config unless you choose another place. Move it somewhere safe and offline.",
		Get: func(s *State) string {
			if s.Answers.RecoveryCodesOut == "" {
				return DefaultCodesFile(s.WorkDir, s.ConfigPath, s.Answers.Users.Admin.Username)
			}
			return s.Answers.RecoveryCodesOut
		},
		Set: func(s *State, v string) error {
			p, err := CodesFilePath(s.WorkDir, v)
			if err == nil {
				s.Answers.RecoveryCodesOut = p
			}
			return err
		},
		Check: CheckCodesFolder})
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

// DefaultCodesFile is the recovery-codes file offered: next to the
// config, named for the admin ("/etc/site/siteadmin-recovery-codes.txt");
// a relative config path is taken from dir (the working directory).
// "" when the config path is unknown.
func DefaultCodesFile(dir, configPath, user string) string {
	if configPath == "" {
		return ""
	}
	if user == "" {
		user = "admin"
	}
	return filepath.Join(filepath.Dir(absIn(dir, configPath)), strings.ToLower(user)+"-recovery-codes.txt")
}

// CodesFilePath makes a recovery-codes file answer absolute (relative to
// dir, the working directory), so that the operator sees in full where
// the codes go.
func CodesFilePath(dir, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("a file to save the recovery codes to is required")
	}
	return absIn(dir, v), nil
}

// absIn is p made absolute against dir, without asking the system for
// the working directory ("" dir leaves a relative p as it is).
func absIn(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// CheckCodesFolder judges a recovery-codes file where it is typed: its
// folder must exist and be a folder, and the path must not be one.
func CheckCodesFolder(p string) error {
	dir := filepath.Dir(p)
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the folder %s does not exist: create it (mkdir -p %s) or choose another file", dir, dir)
	case err != nil:
		return fmt.Errorf("the folder %s cannot be used: %v", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder: name a file in it", p)
	}
	return nil
}
