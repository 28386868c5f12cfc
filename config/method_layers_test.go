package config

import (
	"strings"
	"testing"

	"sitecfg/smtpauth"
)

// config's side of each method and the live check's agree on what the
// method is: an OAuth method (the check fetches a token) is one whose
// rules give it OAuth settings, and a method the set-up guide sets up
// (Guide) is one whose diagnoses name the guide's steps. The message for
// an unknown method offers each.
func TestMethodSidesAgree(t *testing.T) {
	for _, m := range AuthMethods() {
		t.Run(string(m), func(t *testing.T) {
			if !strings.Contains(methodChoices, string(m)) {
				t.Errorf("the message for an unknown method does not offer %s: %s", m, methodChoices)
			}
			s := SMTP{Enabled: true, Auth: m}
			rulesOf(m).defaults(&s)
			if got := s.OAuth != nil; got != m.IsOAuth() {
				t.Errorf("config gives OAuth settings: %v; the check fetches a token: %v", got, m.IsOAuth())
			}
			if s.OAuth == nil {
				s.OAuth = &OAuth{}
			}
			_, guided := s.Guide()
			// A wrong client secret is the guide's step for its own
			// methods only (unlike the basic-to-OAuth codes).
			if named := m.GuideStep(smtpauth.CodeAADSTS7000215) != 0; named != guided {
				t.Errorf("config's guide: %v; the check names the guide's steps: %v", guided, named)
			}
		})
	}
}
