package smtpauth

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// sendAsAppRole is the Exchange Online application permission that SMTP
// AUTH with an app-only token needs.
const sendAsAppRole = "SMTP.SendAsApp"

// exchangeAppID is Office 365 Exchange Online's application ID, which
// older (v1) tokens carry as their audience instead of the URL.
const exchangeAppID = "00000002-0000-0ff1-ce00-000000000000"

// tokenClaims are the claims of an access token that the check looks at.
// They are read without verifying the signature: the token is not ours to
// verify, and reading it lets us say "consent not granted" before the mail
// server answers a bare 535.
type tokenClaims struct {
	Audience []string
	Roles    []string
	Scopes   []string // scp: a delegated token's permissions
	Expires  time.Time
	TenantID string
	AppID    string
}

// parseClaims decodes a JWT access token. ok is false for opaque tokens.
func parseClaims(token string) (tokenClaims, bool) {
	var mc jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &mc); err != nil {
		return tokenClaims{}, false
	}
	var c tokenClaims
	c.Audience, _ = mc.GetAudience()
	if exp, err := mc.GetExpirationTime(); err == nil && exp != nil {
		c.Expires = exp.Time
	}
	if roles, ok := mc["roles"].([]any); ok {
		for _, r := range roles {
			if s, ok := r.(string); ok {
				c.Roles = append(c.Roles, s)
			}
		}
	}
	if scp, ok := mc["scp"].(string); ok {
		c.Scopes = strings.Fields(scp)
	}
	c.TenantID, _ = mc["tid"].(string)
	c.AppID, _ = mc["appid"].(string)
	if c.AppID == "" {
		c.AppID, _ = mc["azp"].(string)
	}
	return c, true
}

// describe is a one-line summary for the token step's detail (no token
// material, only claims).
func (c tokenClaims) describe(now time.Time) string {
	var parts []string
	if c.AppID != "" {
		parts = append(parts, "app "+c.AppID)
	}
	if c.TenantID != "" {
		parts = append(parts, "tenant "+c.TenantID)
	}
	if len(c.Audience) > 0 {
		parts = append(parts, "audience "+strings.Join(c.Audience, " "))
	}
	if len(c.Roles) > 0 {
		parts = append(parts, "roles "+strings.Join(c.Roles, " "))
	}
	if !c.Expires.IsZero() {
		parts = append(parts, fmt.Sprintf("expires in %s", c.Expires.Sub(now).Round(time.Minute)))
	}
	return strings.Join(parts, ", ")
}

// audienceMatches reports whether the token is for want, allowing a
// trailing slash and, for Exchange, its application ID.
func (c tokenClaims) audienceMatches(want string) bool {
	want = strings.TrimSuffix(want, "/")
	for _, a := range c.Audience {
		a = strings.TrimSuffix(a, "/")
		if strings.EqualFold(a, want) || (a == exchangeAppID && strings.Contains(want, "outlook")) {
			return true
		}
	}
	return false
}

// hasRole reports whether the token carries the application role.
func (c tokenClaims) hasRole(role string) bool {
	return slices.ContainsFunc(c.Roles, func(r string) bool { return strings.EqualFold(r, role) })
}

// hasScope reports whether the token carries the delegated permission.
func (c tokenClaims) hasScope(scope string) bool {
	return slices.ContainsFunc(c.Scopes, func(s string) bool { return strings.EqualFold(s, scope) })
}

// checkClaims returns the diagnosis for a token that the mail server is
// bound to refuse, or nil.
func checkClaims(s Settings, c tokenClaims, now time.Time) *Diagnosis {
	if !c.Expires.IsZero() && !c.Expires.After(now) {
		return &Diagnosis{
			Step: StepToken, Code: CodeTokenExpired,
			Summary: fmt.Sprintf("the identity provider issued a token that expired at %s (this machine's clock says %s)",
				c.Expires.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)),
			Remedy: "check this machine's clock (NTP) and the identity provider's; a fresh token must be valid now",
		}
	}
	return tokenSide(s).refuseClaims(s, c)
}

// claimsWarning is the method's warning for a token it sends on anyway,
// or nil.
func claimsWarning(s Settings, c tokenClaims) *Diagnosis {
	if w, ok := tokenSide(s).(claimsWarningMethod); ok {
		return w.claimsWarning(s, c)
	}
	return nil
}
