package wizard

import (
	"fmt"
	"strings"

	"sitecfg/config"
)

// GuideInput is what the Microsoft set-up guide fills in. Empty fields
// are shown as <placeholders>.
type GuideInput struct {
	Cloud    config.Cloud
	TenantID string
	ClientID string
	Mailbox  string
}

// Guide steps, numbered as printed; diagnoses point to them.
const (
	GuideStepRegister   = 1
	GuideStepSecret     = 2
	GuideStepPermission = 3
	GuideStepPrincipal  = 4
	GuideStepMailbox    = 5
	GuideStepSMTPAuth   = 6
	GuideStepCheck      = 7
)

type cloudPortal struct{ entra, exchangeEnv string }

var portals = map[config.Cloud]cloudPortal{
	config.CloudGlobal:  {"https://entra.microsoft.com", ""},
	config.CloudGCCHigh: {"https://entra.microsoft.us", " -ExchangeEnvironmentName O365USGovGCCHigh"},
	config.CloudDoD:     {"https://entra.microsoft.us", " -ExchangeEnvironmentName O365USGovDoD"},
	config.CloudChina:   {"https://entra.microsoftonline.cn", " -ExchangeEnvironmentName O365China"},
}

func orPlaceholder(v, placeholder string) string {
	if strings.TrimSpace(v) == "" {
		return placeholder
	}
	return v
}

// MicrosoftGuide renders the Entra ID / Exchange Online set-up as numbered
// steps, with the operator's own IDs filled into commands ready to paste.
func MicrosoftGuide(in GuideInput) string {
	cloud := in.Cloud
	if !cloud.Known() {
		cloud = config.CloudGlobal
	}
	p := portals[cloud]
	tenant := orPlaceholder(in.TenantID, "<tenant id>")
	client := orPlaceholder(in.ClientID, "<client id>")
	mailbox := orPlaceholder(in.Mailbox, "<mailbox>")
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("Microsoft 365 set-up for sitecfg (SMTP AUTH with OAuth 2.0, cloud: %s)", cloud)
	w("Tenant: %s   App (client) ID: %s   Mailbox: %s", tenant, client, mailbox)
	w("")
	w("%d. Register an application", GuideStepRegister)
	w("   %s → Identity → Applications → App registrations → New registration.", p.entra)
	w("   Name it (for example \"sitecfg SMTP\"), single tenant, no redirect URI.")
	w("   From its Overview copy the Application (client) ID and the Directory (tenant) ID.")
	w("")
	w("%d. Create a client secret (or upload a certificate)", GuideStepSecret)
	w("   App registration → Certificates & secrets → Client secrets → New client secret.")
	w("   Copy the secret's VALUE at once (it is shown only once) — not its Secret ID.")
	w("   Note the expiry date for smtp.oauth.client_secret_expires; sitecfg check warns 30 days before.")
	w("   Or, instead of a secret: Certificates → Upload certificate (its public part, .cer/.pem), and give")
	w("   sitecfg the PEM file with that certificate and its private key in smtp.oauth.client_certificate.")
	w("")
	w("%d. Grant the SMTP.SendAsApp application permission", GuideStepPermission)
	w("   App registration → API permissions → Add a permission → APIs my organization uses →")
	w("   Office 365 Exchange Online → Application permissions → SMTP.SendAsApp → Add.")
	w("   Then \"Grant admin consent for <your organization>\" (needs a Global or Privileged Role Administrator).")
	w("")
	w("%d. Register the app's service principal in Exchange Online", GuideStepPrincipal)
	w("   In PowerShell (module ExchangeOnlineManagement; Microsoft.Graph for the lookup):")
	w("     Connect-ExchangeOnline%s", p.exchangeEnv)
	w("     Connect-MgGraph -TenantId %s -Scopes Application.Read.All", tenant)
	w("     $sp = Get-MgServicePrincipal -Filter \"appId eq '%s'\"", client)
	w("     New-ServicePrincipal -AppId %s -ObjectId $sp.Id -DisplayName \"sitecfg SMTP\"", client)
	w("   The ObjectId is the Enterprise application's Object ID, not the app registration's.")
	w("")
	w("%d. Let the service principal send as the mailbox", GuideStepMailbox)
	w("     Add-MailboxPermission -Identity %s -User $sp.Id -AccessRights FullAccess", mailbox)
	w("   Send from this mailbox (smtp.from = %s); to send as another address, grant it:", mailbox)
	w("     Add-RecipientPermission -Identity <that address> -Trustee $sp.Id -AccessRights SendAs")
	w("")
	w("%d. Allow SMTP AUTH for the mailbox", GuideStepSMTPAuth)
	w("     Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", mailbox)
	w("   The per-mailbox setting overrides the tenant's (Set-TransportConfig). Security defaults")
	w("   block SMTP AUTH altogether. Changes can take up to an hour to apply.")
	w("")
	w("%d. Check", GuideStepCheck)
	w("   sitecfg check --send-test")
	return b.String()
}

// GuideStepFor returns the guide step a live-check diagnosis concerns (0
// when none does), matched on the diagnosis code.
func GuideStepFor(code string) int {
	c := strings.ToLower(code)
	switch {
	case strings.Contains(c, "7000215"), strings.Contains(c, "7000222"), strings.Contains(c, "7000218"), strings.Contains(c, "700027"), strings.Contains(c, "secret"), strings.Contains(c, "certificate-expired"),
		strings.Contains(c, "7000214"), strings.Contains(c, "1000502"), strings.Contains(c, "client-assertion"):
		return GuideStepSecret
	case strings.Contains(c, "700016"), strings.Contains(c, "90002"), strings.Contains(c, "900023"), strings.Contains(c, "client-id"), strings.Contains(c, "tenant"):
		return GuideStepRegister
	case strings.Contains(c, "sendasapp"), strings.Contains(c, "consent"), strings.Contains(c, "70011"), strings.Contains(c, "1002012"), strings.Contains(c, "scope"), strings.Contains(c, "audience"):
		return GuideStepPermission
	case strings.Contains(c, "5.7.3"), strings.Contains(c, "principal"):
		return GuideStepPrincipal
	case strings.Contains(c, "5.7.60"), strings.Contains(c, "sendas"):
		return GuideStepMailbox
	case strings.Contains(c, "5.7.139"), strings.Contains(c, "smtp-auth-disabled"):
		return GuideStepSMTPAuth
	}
	return 0
}
