package smtpauth

import (
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"

	"sitecfg/microsoft"
)

// microsoftMethod logs in to Exchange Online with an Entra app-only token
// over XOAUTH2, the only bearer mechanism Exchange offers. Its token is
// read before SMTP sees it: the wrong audience or a missing SMTP.SendAsApp
// role is explained instead of a bare 535. It gets its token with the
// client credentials grant; 'sitecfg guide microsoft' sets it up; its
// cloud fixes the host, so a network failure is worded for the cloud.
type microsoftMethod struct {
	clientCredentials
	exchangeOnline
}

func (microsoftMethod) validate(s Settings) error { return validateClientCredentials(s) }

// exchangeOnline is what both Microsoft 365 methods share: a token sent
// over XOAUTH2 to the cloud's Exchange Online (the cloud sets the scope,
// the tenant the token endpoint).
type exchangeOnline struct{}

func (exchangeOnline) sendsCredentials(Settings) bool { return true }
func (exchangeOnline) mechanisms(Settings) []string   { return []string{XOAuth2} }
func (exchangeOnline) mechanismField() string         { return "smtp.auth" }
func (exchangeOnline) scopeField() string             { return "smtp.oauth.cloud" }
func (exchangeOnline) endpointField() string          { return "smtp.oauth.tenant_id" }
func (exchangeOnline) saslClient(s Settings, _, token string) sasl.Client {
	return newXOAuth2Client(s.Username, token)
}

// guideStep: every step of the guide is about this method's set-up.
func (microsoftMethod) guideStep(c Code) microsoft.GuideStep { return c.GuideStep() }

// reword: a network failure is about reaching the cloud (cloudNetwork).
func (microsoftMethod) reword(s Settings, d *Diagnosis) *Diagnosis { return cloudNetwork(s, d) }

// refuseClaims explains a token for another resource. A token without
// the SMTP.SendAsApp role is not refused: App RBAC's tokens have none,
// and only Exchange knows whether the app holds a role assignment for the
// mailbox (claimsWarning, loginRefused).
func (microsoftMethod) refuseClaims(s Settings, c tokenClaims) *Diagnosis {
	if s.Audience != "" && !c.audienceMatches(s.Audience) {
		return &Diagnosis{
			Step: StepToken, Code: CodeWrongAudience, Field: "smtp.oauth.cloud",
			Summary: fmt.Sprintf("the token is for %q, not for Exchange Online (%s)", strings.Join(c.Audience, " "), s.Audience),
			Remedy: fmt.Sprintf("request the token with scope %s/.default: pick the cloud your tenant is in (global, usgov-gcchigh, usgov-dod, china)",
				strings.TrimSuffix(s.Audience, "/")),
		}
	}
	return nil
}

// claimsWarning: a token without SMTP.SendAsApp goes on to AUTH with a
// warning that says which way the app may still be allowed in.
func (microsoftMethod) claimsWarning(s Settings, c tokenClaims) *Diagnosis {
	if c.hasRole(sendAsAppRole) {
		return nil
	}
	return missingRoleWarning(s, c)
}

// loginRefused: Exchange's 535 5.7.3 to an app-only token, worded with
// whether the token carried SMTP.SendAsApp.
func (microsoftMethod) loginRefused(s Settings, c *tokenClaims, d *Diagnosis) *Diagnosis {
	if d.Code != CodeExchangeAuthUnsuccessful {
		return d
	}
	return appTokenRefused(s, c, d)
}
