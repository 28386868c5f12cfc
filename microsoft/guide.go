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
	GuideStepPermission GuideStep = 3 // SMTP.SendAsApp and admin consent
	GuideStepPrincipal  GuideStep = 4 // the service principal in Exchange
	GuideStepMailbox    GuideStep = 5 // FullAccess on the mailbox (and Send As)
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

// Guide renders the Entra ID / Exchange Online set-up as numbered steps,
// with the operator's own IDs filled into commands ready to paste.
func Guide(in GuideInput) string {
	cloud := in.Cloud
	if !cloud.Known() {
		cloud = CloudGlobal
	}
	exoEnv := ""
	if env := cloud.ExchangeEnvironment(); env != "" {
		exoEnv = " -ExchangeEnvironmentName " + env
	}
	graphEnv := ""
	if env := cloud.GraphEnvironment(); env != "" {
		graphEnv = " -Environment " + env
	}
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
	w("%d. Grant the SMTP.SendAsApp application permission", GuideStepPermission)
	w("   App registration → API permissions → Add a permission → APIs my organization uses →")
	w("   Office 365 Exchange Online → Application permissions → SMTP.SendAsApp → Add.")
	w("   Then \"Grant admin consent for <your organization>\": a Cloud Application Administrator or an")
	w("   Application Administrator can (SMTP.SendAsApp is an Exchange Online permission, not a Graph one).")
	w("")
	w("%d. Register the app's service principal in Exchange Online", GuideStepPrincipal)
	w("   In PowerShell (module ExchangeOnlineManagement; Microsoft.Graph for the lookup), as an Exchange")
	w("   administrator holding the Role Management role (the Organization Management role group has it):")
	w("     Connect-ExchangeOnline%s", exoEnv)
	w("     Connect-MgGraph%s -TenantId %s -Scopes Application.Read.All", graphEnv, psArg(in.TenantID, tenant))
	w("     $sp = Get-MgServicePrincipal -Filter \"appId eq '%s'\"", client)
	w("     New-ServicePrincipal -AppId %s -ObjectId $sp.Id -DisplayName \"sitecfg SMTP\"", psArg(in.ClientID, client))
	w("     $exoSp = Get-ServicePrincipal | Where-Object AppId -eq '%s'", client)
	w("   The ObjectId is the Enterprise application's Object ID, not the app registration's.")
	w("")
	w("%d. Give the service principal the mailbox", GuideStepMailbox)
	w("     Add-MailboxPermission -Identity %s -User $exoSp.Identity -AccessRights FullAccess", psArg(in.Mailbox, mailbox))
	w("   The mailbox must be an Exchange Online mailbox (a licensed user's, or a shared mailbox).")
	w("   SMTP.SendAsApp reaches exactly the mailboxes granted FullAccess like this: application access")
	w("   policies and RBAC for Applications scope Graph and EWS, not SMTP.")
	w("   Send from this mailbox (smtp.from = %s);", mailbox)
	w("   to send as another address, give the mailbox Send As on it:")
	w("     Add-RecipientPermission -Identity <that address> -Trustee %s -AccessRights SendAs", psArg(in.Mailbox, mailbox))
	w("")
	w("%d. Allow SMTP AUTH for the mailbox", GuideStepSMTPAuth)
	w("     Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", psArg(in.Mailbox, mailbox))
	w("   The per-mailbox setting overrides the tenant's: leave SMTP AUTH off for the tenant and on for this")
	w("   mailbox. Security defaults and Conditional Access can still block it. To verify:")
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
