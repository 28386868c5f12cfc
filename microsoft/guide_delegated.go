package microsoft

import (
	"fmt"
	"strings"
)

// DelegatedGuide renders the set-up of microsoft-delegated as numbered
// steps: a public client app (Mobile and desktop applications, redirect
// URI http://localhost; public client flows only for the device code),
// the delegated SMTP.Send permission with admin consent where users may
// not consent, SMTP AUTH for the mailbox, then sitecfg signin. The
// operator's IDs are filled in.
func DelegatedGuide(in GuideInput) string {
	cloud, _, exoEnv := in.environment()
	tenant := orPlaceholder(in.TenantID, "<tenant id>")
	client := orPlaceholder(in.ClientID, "<client id>")
	mailbox := orPlaceholder(in.Mailbox, "<mailbox>")
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("Microsoft 365 set-up for sitecfg (delegated: a user signs in, cloud: %s)", cloud)
	w("Tenant: %s   App (client) ID: %s   Mailbox: %s", tenant, client, mailbox)
	w("")
	w("1. Register a public client application")
	w("   %s → Entra ID → App registrations → New registration; name it (for example \"sitecfg SMTP\"),", cloud.Portal())
	w("   single tenant. Redirect URI: platform \"Mobile and desktop applications\", %s.", RedirectURI)
	w("   (A \"Web\" platform makes Entra ask for a client secret; this app has none.)")
	w("   From its Overview copy the Application (client) ID and the Directory (tenant) ID.")
	w("   Only if you will sign in with a device code (sitecfg signin --device-code): Authentication →")
	w("   Advanced settings → Allow public client flows → Yes. Many tenants block the device code flow")
	w("   with Conditional Access; the browser sign-in needs neither.")
	w("")
	w("2. Add the delegated SMTP.Send permission")
	w("   App registration → API permissions → Add a permission → APIs my organization uses →")
	w("   Office 365 Exchange Online → Delegated permissions → SMTP.Send → Add.")
	w("   Where users may not consent to apps (\"Need admin approval\"), an administrator clicks")
	w("   \"Grant admin consent for <your organization>\".")
	w("")
	w("3. Allow SMTP AUTH for the mailbox")
	w("     Connect-ExchangeOnline%s", exoEnv)
	w("     Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", psArg(in.Mailbox, mailbox))
	w("   The user who signs in sends as this mailbox: their own, or one they have Send As on:")
	w("     Add-RecipientPermission -Identity %s -Trustee <the user who signs in> -AccessRights SendAs", psArg(in.Mailbox, mailbox))
	w("")
	w("4. Sign in")
	w("     sitecfg signin%s", in.Flags)
	w("   Open the address it prints in any browser, sign in as the mailbox's user and accept; paste back")
	w("   the http://localhost… address the browser lands on. The refresh token is stored after a passing")
	w("   live check, and every check renews it (it expires after 90 days unused).")
	w("")
	w("5. Prove it")
	w("     sitecfg check%s --send-test", in.Flags)
	return b.String()
}

// DelegatedScript renders DelegatedGuide's steps as one PowerShell
// script, safe to run twice: it finds or registers the public client app
// (redirect URI http://localhost under Mobile and desktop applications,
// public client flows when -DeviceCode), adds the delegated SMTP.Send of
// Office 365 Exchange Online with admin consent (tenant-wide), and allows
// the mailbox SMTP AUTH; it ends with the sitecfg signin to run.
func DelegatedScript(in GuideInput) string {
	cloud, graphEnv, exoEnv := in.environment()
	return strings.NewReplacer(
		"{{CLOUD}}", string(cloud),
		"{{GRAPH_ENV}}", graphEnv,
		"{{EXO_ENV}}", exoEnv,
		"{{PORTAL}}", cloud.Portal(),
		"{{TENANT}}", psQuote(in.TenantID),
		"{{CLIENT}}", psQuote(in.ClientID),
		"{{MAILBOX}}", psQuote(in.Mailbox),
		"{{EXO_APP}}", exchangeOnlineAppID,
		"{{REDIRECT}}", RedirectURI,
		"{{GUIDE}}", GuideCommand,
		"{{FLAGS}}", in.Flags,
	).Replace(delegatedScriptTemplate)
}

const delegatedScriptTemplate = `# sitecfg: Microsoft 365 set-up for delegated SMTP AUTH (a user signs in; cloud: {{CLOUD}})
# Printed by '{{GUIDE}} --script' for auth: microsoft-delegated; the steps are explained by '{{GUIDE}}'.
#
# Safe to run twice: every step looks for what an earlier run made before it makes anything.
# Run it in PowerShell 7 as an administrator who may grant admin consent and manage Exchange.
#   Install-Module Microsoft.Graph.Applications, Microsoft.Graph.Identity.SignIns, ExchangeOnlineManagement -Scope CurrentUser
#Requires -Modules Microsoft.Graph.Applications, Microsoft.Graph.Identity.SignIns, ExchangeOnlineManagement
param(
    [string]$TenantId = {{TENANT}},
    [string]$ClientId = {{CLIENT}},
    [string]$Mailbox = {{MAILBOX}},
    [string]$AppName = 'sitecfg SMTP',
    [switch]$DeviceCode
)
$ErrorActionPreference = 'Stop'
if (-not $TenantId -or -not $Mailbox) { throw 'Give -TenantId and -Mailbox.' }

Connect-MgGraph{{GRAPH_ENV}} -TenantId $TenantId -NoWelcome -Scopes 'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'
Connect-ExchangeOnline{{EXO_ENV}} -ShowBanner:$false

# Step 1: the public client app ({{PORTAL}} → Entra ID → App registrations).
if ($ClientId) {
    $app = Get-MgApplication -Filter "appId eq '$ClientId'"
    if (-not $app) { throw "No app registration with client ID $ClientId in this tenant: check the ID and the cloud." }
} else {
    $app = Get-MgApplication -Filter "displayName eq '$AppName'" | Select-Object -First 1
    if (-not $app) {
        $app = New-MgApplication -DisplayName $AppName -SignInAudience AzureADMyOrg
        Write-Host "Registered the app '$AppName'."
    }
}
$uris = @($app.PublicClient.RedirectUris)
if ($uris -notcontains '{{REDIRECT}}') {
    Update-MgApplication -ApplicationId $app.Id -PublicClient @{ RedirectUris = @($uris + '{{REDIRECT}}' | Where-Object { $_ }) }
    Write-Host 'Added the redirect URI {{REDIRECT}} (Mobile and desktop applications).'
}
if ($DeviceCode -and -not $app.IsFallbackPublicClient) {
    Update-MgApplication -ApplicationId $app.Id -IsFallbackPublicClient
    Write-Host 'Allowed public client flows (for sitecfg signin --device-code).'
}
$sp = Get-MgServicePrincipal -Filter "appId eq '$($app.AppId)'"
if (-not $sp) { $sp = New-MgServicePrincipal -AppId $app.AppId }

# Step 2: the delegated SMTP.Send of Office 365 Exchange Online, with admin consent.
$exo = Get-MgServicePrincipal -Filter "appId eq '{{EXO_APP}}'"
$send = $exo.Oauth2PermissionScopes | Where-Object Value -eq 'SMTP.Send'
$access = @($app.RequiredResourceAccess)
$forExo = $access | Where-Object ResourceAppId -eq '{{EXO_APP}}'
if (-not ($forExo.ResourceAccess | Where-Object Id -eq $send.Id)) {
    $others = @($access | Where-Object ResourceAppId -ne '{{EXO_APP}}')
    $exoAccess = @($forExo.ResourceAccess | Where-Object { $_ }) + @{ Id = $send.Id; Type = 'Scope' }
    Update-MgApplication -ApplicationId $app.Id -RequiredResourceAccess ($others + @{ ResourceAppId = '{{EXO_APP}}'; ResourceAccess = $exoAccess })
    Write-Host 'Added the delegated permission SMTP.Send.'
}
$grant = Get-MgOauth2PermissionGrant -Filter "clientId eq '$($sp.Id)' and resourceId eq '$($exo.Id)' and consentType eq 'AllPrincipals'" | Select-Object -First 1
if (-not $grant) {
    New-MgOauth2PermissionGrant -ClientId $sp.Id -ResourceId $exo.Id -ConsentType AllPrincipals -Scope 'SMTP.Send' | Out-Null
    Write-Host 'Granted admin consent for SMTP.Send.'
} elseif (($grant.Scope -split ' ') -notcontains 'SMTP.Send') {
    Update-MgOauth2PermissionGrant -OAuth2PermissionGrantId $grant.Id -Scope (($grant.Scope + ' SMTP.Send').Trim())
    Write-Host 'Granted admin consent for SMTP.Send.'
}

# Step 3: SMTP AUTH for the mailbox.
Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false

Write-Host ''
Write-Host 'Done. In the sitecfg configuration:'
Write-Host '  auth: microsoft-delegated'
Write-Host "  oauth: cloud {{CLOUD}}, tenant_id $TenantId, client_id $($app.AppId)"
Write-Host 'Then sign in as the mailbox (or a user with Send As on it) on the cluster:'
Write-Host '  sitecfg signin{{FLAGS}}'
`
