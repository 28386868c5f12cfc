package microsoft

import (
	"fmt"
	"strings"
)

// GuideInput is what the set-up guide fills in. Empty fields are shown as
// <placeholders>; an unknown cloud is shown as global.
type GuideInput struct {
	Cloud    Cloud
	TenantID string
	ClientID string
	Mailbox  string
	// Flags are added to every sitecfg command the guide prints (the
	// operator's own --config), ready to paste: " --config /srv/site.yaml".
	Flags string
}

// GuideStep is a numbered step of the set-up guide, as printed; live-check
// diagnoses point to them (smtpauth.Code.GuideStep).
type GuideStep int

// The guide's steps, in the order printed.
const (
	GuideStepRegister   GuideStep = 1 // register the application
	GuideStepSecret     GuideStep = 2 // client secret or certificate
	GuideStepPermission GuideStep = 3 // App RBAC, or SMTP.SendAsApp and admin consent
	GuideStepPrincipal  GuideStep = 4 // the service principal in Exchange
	GuideStepMailbox    GuideStep = 5 // the RBAC role assignment or FullAccess on the mailbox (and Send As)
	GuideStepSMTPAuth   GuideStep = 6 // SMTP AUTH allowed for the mailbox
	GuideStepCheck      GuideStep = 7 // run the check
)

// GuideCommand is the command that prints the guide, as an operator types it.
const GuideCommand = "sitecfg guide microsoft"

// CredentialPlace is where a new client secret or certificate for the app
// is made, as a notice says it.
const CredentialPlace = "in Entra ID (App registrations → the app → Certificates & secrets)"

func orPlaceholder(v, placeholder string) string {
	if strings.TrimSpace(v) == "" {
		return placeholder
	}
	return v
}

// environment is the input's cloud (global when none is known) and the
// -Environment / -ExchangeEnvironmentName arguments Connect-MgGraph and
// Connect-ExchangeOnline need for it ("" in the global cloud).
func (in GuideInput) environment() (cloud Cloud, graphEnv, exoEnv string) {
	cloud = in.Cloud
	if !cloud.Known() {
		cloud = CloudGlobal
	}
	if env := cloud.GraphEnvironment(); env != "" {
		graphEnv = " -Environment " + env
	}
	if env := cloud.ExchangeEnvironment(); env != "" {
		exoEnv = " -ExchangeEnvironmentName " + env
	}
	return cloud, graphEnv, exoEnv
}

// Guide renders the Entra ID / Exchange Online set-up as numbered steps,
// with the operator's own IDs filled into commands ready to paste.
func Guide(in GuideInput) string {
	cloud, graphEnv, exoEnv := in.environment()
	tenant := orPlaceholder(in.TenantID, "<tenant id>")
	client := orPlaceholder(in.ClientID, "<client id>")
	mailbox := orPlaceholder(in.Mailbox, "<mailbox>")
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("Microsoft 365 set-up for sitecfg (SMTP AUTH with OAuth 2.0, cloud: %s)", cloud)
	w("Tenant: %s   App (client) ID: %s   Mailbox: %s", tenant, client, mailbox)
	w("")
	w("%d. Register an application", GuideStepRegister)
	w("   %s → Entra ID → App registrations → New registration.", cloud.Portal())
	w("   Name it (for example \"sitecfg SMTP\"), single tenant, no redirect URI.")
	w("   From its Overview copy the Application (client) ID and the Directory (tenant) ID.")
	if cloud == CloudGlobal {
		w("   GCC (\"moderate\") tenants use the global cloud too; GCC High, DoD and 21Vianet have their own.")
	}
	w("")
	w("%d. Create a client secret (or upload a certificate)", GuideStepSecret)
	w("   App registration → Certificates & secrets → Client secrets → New client secret.")
	w("   Copy the secret's VALUE at once (it is shown only once) — not its Secret ID.")
	w("   Note the expiry date for smtp.oauth.client_secret_expires; sitecfg check warns 30 days before.")
	w("   Or, instead of a secret: Certificates → Upload certificate (its public part, .cer/.pem), and give")
	w("   sitecfg the PEM file with that certificate and its private key in smtp.oauth.client_certificate.")
	w("   The certificate must have an RSA key (2048 bits or more): Entra refuses ECDSA client assertions.")
	w("")
	rbac := cloud.AppRBACForSMTP()
	if rbac {
		w("%d. Choose how the app may send as the mailbox: App RBAC (scoped) or SMTP.SendAsApp", GuideStepPermission)
		w("   App RBAC (Exchange's RBAC for Applications), the scoped way: the app gets no API permission at all;")
		w("   step 5 assigns it the Exchange role '%s' on a scope holding only this mailbox.", RBACRole)
		w("   Nothing to do here then: with SMTP.SendAsApp in its token Exchange would check mailbox permissions too.")
		w("   Or the SMTP.SendAsApp application permission, which reaches the mailboxes given FullAccess in step 5:")
	} else {
		w("%d. Grant the SMTP.SendAsApp application permission", GuideStepPermission)
		w("   Exchange's RBAC for Applications covers SMTP in the worldwide service only so far: in this cloud the")
		w("   app needs this permission, and FullAccess on the mailbox in step 5.")
	}
	w("   App registration → API permissions → Add a permission → APIs my organization uses →")
	w("   Office 365 Exchange Online → Application permissions → SMTP.SendAsApp → Add.")
	w("   Then \"Grant admin consent for <your organization>\": a Cloud Application Administrator or an")
	w("   Application Administrator can (SMTP.SendAsApp is an Exchange Online permission, not a Graph one).")
	w("")
	w("%d. Register the app's service principal in Exchange Online", GuideStepPrincipal)
	w("   Exchange needs the Enterprise application's Object ID, not the app registration's: Entra ID →")
	w("   Enterprise applications → the app → Object ID, or in PowerShell (module Microsoft.Graph.Applications):")
	w("     Connect-MgGraph%s -TenantId %s -Scopes Application.Read.All", graphEnv, psArg(in.TenantID, tenant))
	w("     (Get-MgServicePrincipal -Filter \"appId eq '%s'\").Id", client)
	w("   Then in a new PowerShell session (module ExchangeOnlineManagement: with current versions it and")
	w("   Microsoft.Graph fail to connect in one session), as an Exchange Administrator or a member of")
	w("   Organization Management (which holds the Role Management role):")
	w("     Connect-ExchangeOnline%s", exoEnv)
	w("     New-ServicePrincipal -AppId %s -ObjectId <Enterprise application object ID>", psArg(in.ClientID, client))
	w("     $exoSp = Get-ServicePrincipal | Where-Object AppId -eq '%s'", client)
	w("   A new app can take minutes to reach Exchange: if New-ServicePrincipal does not find it, wait and retry.")
	w("")
	w("%d. Give the service principal the mailbox", GuideStepMailbox)
	if rbac {
		w("   With App RBAC (step 3's scoped way), in the same Exchange Online session:")
		for _, c := range RBACCommands("$exoSp.AppId", mailbox) {
			w("     %s", c)
		}
		w("   InScope True means the role reaches the mailbox; App RBAC needs no mailbox permission. Changes can")
		w("   take up to two hours to reach Exchange.")
		w("   Or, with SMTP.SendAsApp (step 3), FullAccess on the mailbox — the mailboxes it reaches are those:")
	} else {
		w("   SMTP.SendAsApp reaches exactly the mailboxes granted FullAccess like this (application access")
		w("   policies scope Graph and EWS, not SMTP):")
	}
	w("     Add-MailboxPermission -Identity %s -User $exoSp.Identity -AccessRights FullAccess", psArg(in.Mailbox, mailbox))
	w("   The mailbox must be an Exchange Online mailbox (a licensed user's, or a shared mailbox).")
	w("   Send from this mailbox (smtp.from = %s);", mailbox)
	w("   to send as another address, give the mailbox Send As on it:")
	w("     Add-RecipientPermission -Identity <that address> -Trustee %s -AccessRights SendAs", psArg(in.Mailbox, mailbox))
	w("")
	w("%d. Allow SMTP AUTH for the mailbox", GuideStepSMTPAuth)
	w("     Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", psArg(in.Mailbox, mailbox))
	w("   The per-mailbox setting overrides the tenant's: leave SMTP AUTH off for the tenant and on for this")
	w("   mailbox. Security defaults do not block this OAuth sign-in (they block basic authentication); a")
	w("   Conditional Access policy for workload identities can still block the app's token. To verify:")
	w("     Get-CASMailbox -Identity %s | Format-List SmtpClientAuthenticationDisabled", psArg(in.Mailbox, mailbox))
	w("     Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled")
	w("   Changes can take up to an hour to apply.")
	w("")
	w("%d. Check", GuideStepCheck)
	w("   sitecfg check --send-test%s", in.Flags)
	w("")
	w("All of this as one PowerShell script, safe to run twice: %s --script%s", GuideCommand, in.Flags)
	return b.String()
}
