package config

import (
	"fmt"
	"strings"
	"unicode"

	"sitecfg/microsoft"
)

// psUnsafe returns the first character of s that no tenant ID, client ID
// or Exchange mailbox holds and that PowerShell reads as code or as the
// end of a string: $, |, the backtick, the quotes U+2018–U+201B (ASCII '
// is doubled by the script's quoting), whitespace, and control and format
// characters (invisible, or reordering the text shown).
func psUnsafe(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '$' || r == '|' || r == '`' || '\u2018' <= r && r <= '\u201b',
			unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return r, true
		}
	}
	return 0, false
}

// ValidateMailbox accepts an Exchange mailbox: an email address
// (ValidateEmail) without a character psUnsafe refuses — the address is
// printed into PowerShell commands (sitecfg guide microsoft, the
// diagnoses) that a tenant administrator runs.
func ValidateMailbox(s string) error {
	if err := ValidateEmail(s); err != nil {
		return err
	}
	if r, bad := psUnsafe(strings.TrimSpace(s)); bad {
		return fmt.Errorf("%s holds %U, which no Exchange mailbox does (PowerShell would read it as code)", quoteStart(s), r)
	}
	return nil
}

// ValidateGuideInput checks the values `sitecfg guide microsoft` fills into
// commands and its script before it prints them: a tenant, a client ID
// and a mailbox, each empty (a placeholder is shown) or valid.
func ValidateGuideInput(g microsoft.GuideInput) error {
	check := func(field, v string, validate func(string) error) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		if r, bad := psUnsafe(strings.TrimSpace(v)); bad {
			return fmt.Errorf("%s: holds %U, which PowerShell would read as code", field, r)
		}
		if err := validate(v); err != nil {
			return fmt.Errorf("%s: %v", field, err)
		}
		return nil
	}
	if err := check("smtp.oauth.tenant_id", g.TenantID, ValidateTenant); err != nil {
		return err
	}
	if err := check("smtp.oauth.client_id", g.ClientID, ValidateClientID); err != nil {
		return err
	}
	return check("smtp.username", g.Mailbox, ValidateMailbox)
}
