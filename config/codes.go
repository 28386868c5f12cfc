package config

import "strings"

// CanKeepCodes reports whether the saved config prev holds recovery codes
// for the admin these answers configure (SMTP off, the same username):
// then a re-run keeps them unless the operator asks for new ones, so the
// codes the admin stored offline keep working.
func (a *Answers) CanKeepCodes(prev *Site) bool {
	if a.SMTP.Enabled || prev == nil || prev.Users == nil || prev.Users.Admin == nil {
		return false
	}
	p := prev.Users.Admin
	return len(p.RecoveryCodes) > 0 && strings.EqualFold(p.Username, strings.TrimSpace(a.Users.Admin.Username))
}
