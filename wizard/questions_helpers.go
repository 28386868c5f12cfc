package wizard

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"sitecfg/config"
)

func smtpOn(s *State) bool  { return s.Answers.SMTP.Enabled }
func smtpOff(s *State) bool { return !s.Answers.SMTP.Enabled }

// method reports whether SMTP is on with auth method m.
func method(m config.AuthMethod) func(*State) bool {
	return func(s *State) bool { return s.Answers.SMTP.Enabled && s.Answers.SMTP.Auth == m }
}

func sm(s *State) *config.SMTP { return &s.Answers.SMTP }

func (s *State) oauth() *config.OAuth {
	if s.Answers.SMTP.OAuth == nil {
		s.Answers.SMTP.OAuth = &config.OAuth{Cloud: config.CloudGlobal, Mechanism: config.MechXOAuth2}
	}
	return s.Answers.SMTP.OAuth
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

// ruled stores a parsed answer in ptr and keeps it only if the rules
// accept it for field.
func ruled(s *State, field string, ptr *string, v string) error {
	was := *ptr
	*ptr = v
	if err := ruleError(s, field); err != nil {
		*ptr = was
		return err
	}
	return nil
}

// text makes Get/Set for a text field: Set trims the answer, lets check
// judge it (nil: any) and stores it.
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

// ruledText is text judged by the rules for field.
func ruledText(field string, get func(*State) *string) (func(*State) string, func(*State, string) error) {
	return func(s *State) string { return *get(s) },
		func(s *State, v string) error { return ruled(s, field, get(s), strings.TrimSpace(v)) }
}

func optional(check func(string) error) func(string) error {
	return func(v string) error {
		if v == "" {
			return nil
		}
		return check(v)
	}
}

// secretQuestion asks for an SMTP secret that may be kept from the saved
// config by leaving it empty; whether one is kept is config.KeptSecret's
// decision, the same one the pipeline makes.
func secretQuestion(id string, page Page, title string, show func(*State) bool, ptr func(*State) *config.Secret, required bool) *Question {
	kept := func(s *State) (config.Secret, bool) { return s.Answers.KeptSecret(s.Prev, id) }
	return &Question{ID: id, Page: page, Kind: KindPassword, Show: show, Title: title, Secret: true,
		Keepable: func(s *State) bool { _, ok := kept(s); return ok },
		Get:      func(s *State) string { return ptr(s).Value },
		Set: func(s *State, v string) error {
			if v == "" {
				if sec, ok := kept(s); ok {
					*ptr(s) = sec
					return nil
				}
				if ref := config.UnresolvedRef(s.Prev, id); ref != "" {
					return fmt.Errorf("required: the saved config's reference %s cannot be read here; type the secret", ref)
				}
				if required {
					return errors.New("required")
				}
			}
			*ptr(s) = config.Secret{Value: v}
			return nil
		}}
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

// typedAs records how field's answer was typed when it is stored in
// another form, for the reviews to say so; an answer stored as typed
// forgets an earlier one.
func (s *State) typedAs(field, typed, stored string) {
	typed = strings.TrimSpace(typed)
	if typed == stored || typed == "" {
		delete(s.typed, field)
		return
	}
	if s.typed == nil {
		s.typed = map[string]string{}
	}
	s.typed[field] = typed
}

// Normalised lists the answers stored in another form than typed, in
// question order: "emails.ui_admin: Admin@Example.com → admin@example.com".
func Normalised(qs []*Question, s *State) []string {
	var out []string
	for _, q := range Visible(qs, s) {
		if t, ok := s.typed[q.ID]; ok && q.Get(s) != t {
			out = append(out, q.ID+": "+t+" → "+q.Get(s))
		}
	}
	return out
}
