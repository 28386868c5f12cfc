package config

import (
	"strings"
	"time"

	"sitecfg/microsoft"
)

// RefreshTokenLifetime is how long Entra keeps a refresh token valid
// after it was issued (90 days, not configurable): every redemption
// returns a new one, valid that long again.
const RefreshTokenLifetime = 90 * 24 * time.Hour

// delegatedAuth is Microsoft Modern Authentication with the authorization
// code grant: a person signs in as the mailbox (or as a user with Send As
// on it) and authorizes sending on their behalf; sitecfg keeps the
// refresh token and redeems it for each check. The app is a public
// client: no client secret or certificate. The endpoint rules are
// microsoft-oauth's.
type delegatedAuth struct{}

func (delegatedAuth) defaults(s *SMTP) { microsoftAuth{}.defaults(s) }

func (delegatedAuth) validate(ps *problemSet, s *SMTP, now time.Time) {
	validateExchange(ps, s)
	o := s.OAuth
	if err := ValidateClientID(o.ClientID); err != nil {
		ps.errorf("smtp.oauth.client_id", "%v", err)
	}
	const public = "microsoft-delegated signs in with a public client app, which has no %s: remove it (for an app-only credential use auth: microsoft-oauth)"
	if !o.ClientSecret.IsZero() {
		ps.errorf("smtp.oauth.client_secret", public, "client secret")
	}
	if o.ClientCertificate != "" {
		ps.errorf("smtp.oauth.client_certificate", public, "client certificate")
	}
	if o.ClientSecretExpires != "" {
		ps.errorf("smtp.oauth.client_secret_expires", public, "client secret")
	}
	if s.Username != "" {
		if err := ValidateEmail(s.Username); err != nil {
			ps.errorf("smtp.username", "the Exchange mailbox: %v", err)
		}
	}
	if o.TokenURL != "" || o.Scope != "" {
		ps.warnf("smtp.oauth", "token_url and scope are derived from the cloud and tenant for microsoft-delegated; the given ones are ignored")
	}
	if o.Mechanism != "" && o.Mechanism != MechXOAuth2 {
		ps.errorf("smtp.oauth.mechanism", "Exchange Online offers only XOAUTH2")
	}
	validateRefreshToken(ps, o, now)
	warnSendAs(ps, s)
}

// validateRefreshToken judges the stored token's expiry, and says that a
// token held by reference rotates where sitecfg cannot store it.
func validateRefreshToken(ps *problemSet, o *OAuth, now time.Time) {
	const field = "smtp.oauth.refresh_token_expires"
	again := "sign in again: sitecfg signin"
	if o.RefreshTokenExpires != "" {
		t, err := ParseRefreshExpiry(o.RefreshTokenExpires)
		switch {
		case err != nil:
			ps.errorf(field, "%q is not a time: use RFC 3339, like 2027-03-07T05:00:00Z", o.RefreshTokenExpires)
		case !t.After(now):
			ps.warnf(field, "the refresh token expired at %s: %s", o.RefreshTokenExpires, again)
		case t.Sub(now) <= ExpiryWarnDays*24*time.Hour:
			ps.warnf(field, "the refresh token expires at %s, in %d days, unless a check redeems it before: run sitecfg check daily, or %s",
				o.RefreshTokenExpires, int(t.Sub(now).Hours()/24), again)
		}
	}
	if o.RefreshToken.Ref != "" {
		ps.warnf("smtp.oauth.refresh_token", "%s: the refresh token rotates at every use and sitecfg keeps the reference, "+
			"so the token it names stops working at its expiry (90 days after it was issued); let sitecfg store the token itself (sitecfg signin)",
			o.RefreshToken.Ref)
	}
}

// ParseRefreshExpiry reads refresh_token_expires (RFC 3339).
func ParseRefreshExpiry(s string) (time.Time, error) {
	return time.Parse(time.RFC3339, strings.TrimSpace(s))
}

// RefreshExpiry is refresh_token_expires for a token issued at now.
func RefreshExpiry(now time.Time) string {
	return now.Add(RefreshTokenLifetime).UTC().Truncate(time.Second).Format(time.RFC3339)
}

func (delegatedAuth) sendsCredentials(*SMTP) bool { return true }

// stored: the token URL and scope follow from the cloud and tenant; a
// public client has no client credential.
func (delegatedAuth) stored(s *SMTP) {
	o := s.OAuth
	o.TokenURL, o.Scope = "", ""
	o.ClientSecret, o.ClientSecretExpires, o.ClientCertificate = Secret{}, "", ""
}

// token: the cloud and tenant decide the endpoint; the scope is the
// delegated SMTP.Send (with a refresh token and the user's name).
func (delegatedAuth) token(s *SMTP) TokenRequest {
	c := s.OAuth.Cloud
	return TokenRequest{URL: c.TokenURL(s.OAuth.TenantID), Scope: c.DelegatedScope(), Audience: c.DelegatedAudience()}
}

// publicClient: the method's app is a public client, whose sign-in
// leaves a refresh token (kept on a re-run) and no client credential.
func (delegatedAuth) publicClient() {}

// publicClientRules is a method whose app is a public client.
type publicClientRules interface{ publicClient() }

// isPublicClient reports whether m signs in with a public client.
func isPublicClient(m AuthMethod) bool {
	_, ok := rulesOf(m).(publicClientRules)
	return ok
}

// keepRefreshToken: the stored refresh token belongs to the stored
// sign-in: the same method, cloud, tenant and app. Its expiry goes with
// it.
func keepRefreshToken(s, prev *SMTP) bool {
	if !isPublicClient(s.Auth) || prev.Auth != s.Auth || prev.OAuth == nil {
		return false
	}
	o, p := s.OAuth, prev.OAuth
	keep := o.Cloud == p.Cloud && strings.EqualFold(o.TenantID, p.TenantID) && strings.EqualFold(o.ClientID, p.ClientID)
	if keep && o.RefreshTokenExpires == "" {
		o.RefreshTokenExpires = p.RefreshTokenExpires
	}
	return keep
}

// SignsIn reports whether the settings' method gets its token from a
// person's sign-in (sitecfg signin) rather than a client credential.
func (s *SMTP) SignsIn() bool { return s.Enabled && isPublicClient(s.Auth) }

// SignInGuide is what 'sitecfg guide microsoft' fills into the delegated
// set-up (microsoft.DelegatedGuide), and false when the settings do not
// sign in as a user.
func (s *SMTP) SignInGuide() (microsoft.GuideInput, bool) {
	if !s.SignsIn() || s.OAuth == nil {
		return microsoft.GuideInput{}, false
	}
	o := s.OAuth
	return microsoft.GuideInput{Cloud: o.Cloud, TenantID: o.TenantID, ClientID: o.ClientID, Mailbox: s.Username}, true
}
