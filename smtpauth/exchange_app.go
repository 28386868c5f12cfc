package smtpauth

import (
	"fmt"
	"strings"

	"sitecfg/microsoft"
)

// The two ways an app-only token reaches a mailbox at Exchange Online,
// as the remedies word them.
const (
	// wayRBAC is RBAC for Applications (global cloud): Microsoft's scoped
	// way, without API permissions or mailbox permissions.
	wayRBAC = "App RBAC, the scoped way: a management scope holding only the mailbox, and the Exchange role '" +
		microsoft.RBACRole + "' assigned to the app on it (the app then needs no API permission; " +
		"Test-ServicePrincipalAuthorization shows whether the assignment reaches the mailbox)"
	// wayConsent is the SMTP.SendAsApp application permission with
	// FullAccess on the mailbox.
	wayConsent = "the " + sendAsAppRole + " application permission (App registrations → the app → API permissions → " +
		"Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → " +
		sendAsAppRole + ", then Grant admin consent) and FullAccess for the service principal on the mailbox"
	// rbacDelay is how long Exchange takes to see a change of app
	// permissions (RBAC for Applications: 30 minutes to 2 hours).
	rbacDelay = "changes can take up to two hours to reach Exchange"
)

// appCloud is the Microsoft cloud the settings name; global when unknown.
func appCloud(s Settings) microsoft.Cloud {
	if c := microsoft.Cloud(s.Cloud); c.Known() {
		return c
	}
	return microsoft.CloudGlobal
}

// missingRoleWarning is the warning for an app-only token without
// SMTP.SendAsApp: right for App RBAC, where Exchange's role assignment
// decides, and wrong otherwise — the AUTH step asks Exchange.
func missingRoleWarning(s Settings, c tokenClaims) *Diagnosis {
	roles := "none"
	if len(c.Roles) > 0 {
		roles = strings.Join(c.Roles, ", ")
	}
	mailbox := orDefault(s.Username, "<mailbox>")
	client := orDefault(s.ClientID, "<client id>")
	d := &Diagnosis{Step: StepToken, Code: CodeMissingSendAsApp, Field: "smtp.oauth.client_id"}
	cloud := appCloud(s)
	if cloud.AppRBACForSMTP() {
		d.Summary = fmt.Sprintf("the token has no %s role (its roles: %s): Exchange takes it only if the app holds an App RBAC "+
			"role assignment for %s; the check goes on to AUTH to ask", sendAsAppRole, roles, mailbox)
		d.Remedy = "nothing to do if the app was given the mailbox through " + wayRBAC + ". Otherwise give it the mailbox that way, or with " +
			wayConsent + " (" + microsoft.GuideCommand + ", steps 3 to 5)"
		d.Commands = microsoft.RBACCommands(client, mailbox)[3:] // the test that shows the assignment
		return d
	}
	d.Summary = fmt.Sprintf("the token has no %s role (its roles: %s): in the %s cloud Exchange Online is only known to take app-only tokens "+
		"that carry it (App RBAC for SMTP was announced for the worldwide service); the check goes on to AUTH to ask", sendAsAppRole, roles, cloud)
	d.Remedy = fmt.Sprintf("in the Entra admin center, App registrations → the app %s → API permissions → Add a permission → "+
		"APIs my organization uses → Office 365 Exchange Online → Application permissions → %s → Add, then Grant admin consent",
		client, sendAsAppRole)
	return d
}

// appTokenRefused words Exchange's 535 5.7.3 to an app-only token (d, as
// diagnoseExchange read it) with what the token carried (c; nil for an
// opaque token). Without SMTP.SendAsApp in the token, both ways in are
// named where App RBAC covers SMTP.
func appTokenRefused(s Settings, c *tokenClaims, d *Diagnosis) *Diagnosis {
	hasRole := c != nil && c.hasRole(sendAsAppRole)
	cloud := appCloud(s)
	if hasRole {
		return d // the role is there: the service principal or the mailbox permission is missing (diagnoseExchange's reading)
	}
	mailbox := orDefault(s.Username, "<mailbox>")
	client := orDefault(s.ClientID, "<client id>")
	register := fmt.Sprintf("New-ServicePrincipal -AppId %s -ObjectId %s", client, placeholderObjectID)
	fullAccess := fmt.Sprintf("Add-MailboxPermission -Identity %s -User %s -AccessRights FullAccess", mailbox, placeholderSPID)
	why := "the token carries no " + sendAsAppRole + " role"
	if c == nil {
		why = "the app may not send as it"
	}
	if !cloud.AppRBACForSMTP() {
		d.Summary = fmt.Sprintf("Exchange refused the token for mailbox %s (535 5.7.3): %s", mailbox, why)
		d.Remedy = "give the app " + wayConsent + "; register its service principal in Exchange Online PowerShell first, with the Object ID " +
			"from Entra → Enterprise applications (not the App registration's); changes can take up to an hour to apply"
		d.Commands = []string{register, fmt.Sprintf("Get-ServicePrincipal | Where-Object AppId -eq '%s'", client), fullAccess}
		return d
	}
	d.Summary = fmt.Sprintf("Exchange refused the token for mailbox %s (535 5.7.3): %s, and Exchange found no App RBAC role assignment "+
		"that lets this app send as the mailbox", mailbox, why)
	if c == nil {
		d.Summary = fmt.Sprintf("Exchange refused the token for mailbox %s (535 5.7.3): the app has neither an App RBAC role assignment "+
			"for the mailbox nor %s with a mailbox permission on it", mailbox, sendAsAppRole)
	}
	d.Remedy = "give the app the mailbox one of two ways, in Exchange Online PowerShell after registering its service principal with the " +
		"Object ID from Entra → Enterprise applications (not the App registration's): " + wayRBAC + "; or " + wayConsent +
		" — not both: with " + sendAsAppRole + " in the token Exchange checks mailbox permissions. " + strings.ToUpper(rbacDelay[:1]) + rbacDelay[1:]
	d.Commands = append([]string{register}, microsoft.RBACCommands(client, mailbox)...)
	d.Commands = append(d.Commands, "# or, with "+sendAsAppRole+" granted with admin consent instead:", fullAccess)
	return d
}
