package wizard

import "sitecfg/config"

// emailQuestions are the three notification addresses (SMTP on); the
// rules (three different bare addresses) are config's.
func emailQuestions() []*Question {
	fs := []struct {
		id, title, what string
		ptr             func(*State) *string
	}{
		{"emails.ui_admin", "UI admin email", "", func(s *State) *string { return &s.Answers.Emails.UIAdmin }},
		{"emails.ui_support", "UI primary customer support email", "", func(s *State) *string { return &s.Answers.Emails.UISupport }},
		{"emails.admiral_alerts", "Admiral alert email", "Receives the cluster's health alerts (Admiral). ",
			func(s *State) *string { return &s.Answers.Emails.AdmiralAlerts }},
	}
	var qs []*Question
	for _, f := range fs {
		qs = append(qs, &Question{ID: f.id, Page: PageEmails, Kind: KindText, Show: smtpOn, Title: f.title,
			Help: f.what + "A bare address (name@example.com). The three addresses must differ.",
			Get:  func(s *State) string { return *f.ptr(s) },
			Set: func(s *State, v string) error {
				if err := ruled(s, f.id, f.ptr(s), config.NormalizeEmail(v)); err != nil {
					return err
				}
				s.typedAs(f.id, v, *f.ptr(s))
				return nil
			}})
	}
	return qs
}
