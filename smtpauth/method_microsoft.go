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
type microsoftMethod struct{ clientCredentials }

func (microsoftMethod) validate(s Settings) error      { return validateClientCredentials(s) }
func (microsoftMethod) sendsCredentials(Settings) bool { return true }
func (microsoftMethod) mechanisms(Settings) []string   { return []string{XOAuth2} }
func (microsoftMethod) mechanismField() string         { return "smtp.auth" }
func (microsoftMethod) scopeField() string             { return "smtp.oauth.cloud" }
func (microsoftMethod) endpointField() string          { return "smtp.oauth.tenant_id" }

// guideStep: every step of the guide is about this method's set-up.
func (microsoftMethod) guideStep(c Code) microsoft.GuideStep { return c.GuideStep() }

// reword: a network failure is about reaching the cloud (cloudNetwork).
func (microsoftMethod) reword(s Settings, d *Diagnosis) *Diagnosis { return cloudNetwork(s, d) }

func (microsoftMethod) saslClient(s Settings, _, token string) sasl.Client {
	return newXOAuth2Client(s.Username, token)
}

// refuseClaims explains a token for another resource, or one without the
// SMTP.SendAsApp role that Exchange requires.
func (microsoftMethod) refuseClaims(s Settings, c tokenClaims) *Diagnosis {
	if s.Audience != "" && !c.audienceMatches(s.Audience) {
		return &Diagnosis{
			Step: StepToken, Code: CodeWrongAudience, Field: "smtp.oauth.cloud",
			Summary: fmt.Sprintf("the token is for %q, not for Exchange Online (%s)", strings.Join(c.Audience, " "), s.Audience),
			Remedy: fmt.Sprintf("request the token with scope %s/.default: pick the cloud your tenant is in (global, usgov-gcchigh, usgov-dod, china)",
				strings.TrimSuffix(s.Audience, "/")),
		}
	}
	if !c.hasRole(sendAsAppRole) {
		roles := "none"
		if len(c.Roles) > 0 {
			roles = strings.Join(c.Roles, ", ")
		}
		return &Diagnosis{
			Step: StepToken, Code: CodeMissingSendAsApp, Field: "smtp.oauth.client_id",
			Summary: fmt.Sprintf("the token has no %s permission (its roles: %s): Exchange will refuse it with 535 5.7.3", sendAsAppRole, roles),
			Remedy: fmt.Sprintf("in the Entra admin center, App registrations → the app %s → API permissions → Add a permission → "+
				"APIs my organization uses → Office 365 Exchange Online → Application permissions → %s → Add, then Grant admin consent",
				s.ClientID, sendAsAppRole),
		}
	}
	return nil
}
