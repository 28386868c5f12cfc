package microsoft

import (
	"strings"
)

// exchangeOnlineAppID is the application ID of Office 365 Exchange Online,
// the resource whose SMTP.SendAsApp role the app needs; the same in every
// cloud.
const exchangeOnlineAppID = "00000002-0000-0ff1-ce00-000000000000"

// Script renders the set-up guide as one PowerShell script that an
// administrator runs once, or again: each step looks for what an earlier
// run made before it makes anything (find or create). It registers the
// app (or finds it by client ID or name), uploads a certificate or creates
// a client secret, assigns SMTP.SendAsApp with admin consent, registers
// the Enterprise application's object ID in Exchange Online, grants the
// mailbox, allows it SMTP AUTH, and prints the answers-file fragment for
// sitecfg. A new client secret's value is printed once, by the script, on
// the administrator's console, with where to put it; neither the script
// nor sitecfg writes it into a config.
func Script(in GuideInput) string {
	cloud := in.Cloud
	if !cloud.Known() {
		cloud = CloudGlobal
	}
	graphEnv, exoEnv := "", ""
	if env := cloud.GraphEnvironment(); env != "" {
		graphEnv = " -Environment " + env
	}
	if env := cloud.ExchangeEnvironment(); env != "" {
		exoEnv = " -ExchangeEnvironmentName " + env
	}
	return strings.NewReplacer(
		"{{CLOUD}}", string(cloud),
		"{{GRAPH_ENV}}", graphEnv,
		"{{EXO_ENV}}", exoEnv,
		"{{SMTP_HOST}}", cloud.SMTPHost(),
		"{{PORTAL}}", cloud.Portal(),
		"{{TENANT}}", psQuote(in.TenantID),
		"{{CLIENT}}", psQuote(in.ClientID),
		"{{MAILBOX}}", psQuote(in.Mailbox),
		"{{EXO_APP}}", exchangeOnlineAppID,
		"{{GUIDE}}", GuideCommand,
		"{{BT}}", "`",
	).Replace(scriptTemplate)
}

// psQuote makes v a PowerShell single-quoted string. PowerShell ends such
// a string at any of five quote characters — ASCII ' and U+2018–U+201B —
// so each is doubled, as PowerShell's own escaping does; doubling ASCII '
// alone would let a value with ’ end the string and run what follows.
func psQuote(v string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range strings.TrimSpace(v) {
		b.WriteRune(r)
		if r == '\'' || '\u2018' <= r && r <= '\u201b' {
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// psArg is v as a PowerShell argument (single-quoted, psQuote), or the
// placeholder when v is empty.
func psArg(v, placeholder string) string {
	if strings.TrimSpace(v) == "" {
		return placeholder
	}
	return psQuote(v)
}

// scriptTemplate is the script; {{NAME}} are filled in by Script. In a
// double-quoted PowerShell string a literal $ is written `$ ({{BT}} is
// PowerShell's escape character, the backtick).
const scriptTemplate = `# sitecfg: Microsoft 365 set-up for SMTP AUTH with OAuth 2.0 (cloud: {{CLOUD}})
# Printed by '{{GUIDE}} --script'; the same steps as '{{GUIDE}}', explained there.
#
# Safe to run twice: every step looks for what an earlier run made before it makes anything.
# Run it in PowerShell 7 as an administrator who may grant admin consent (Cloud Application
# Administrator or Application Administrator) and holds Exchange's Role Management role
# (Organization Management). Modules:
#   Install-Module Microsoft.Graph.Applications, ExchangeOnlineManagement -Scope CurrentUser
#
# Parameters (the defaults are your sitecfg configuration's):
#   -TenantId         the Directory (tenant) ID or a verified domain
#   -ClientId         the Application (client) ID of an existing app; empty: find or register -AppName
#   -Mailbox          the Exchange Online mailbox to send as (a licensed user's, or a shared mailbox)
#   -CertificateFile  a certificate (.cer/.pem, public part only, RSA) to upload instead of creating a client secret
#Requires -Modules Microsoft.Graph.Applications, ExchangeOnlineManagement
param(
    [string]$TenantId = {{TENANT}},
    [string]$ClientId = {{CLIENT}},
    [string]$Mailbox = {{MAILBOX}},
    [string]$AppName = 'sitecfg SMTP',
    [string]$CertificateFile = ''
)
$ErrorActionPreference = 'Stop'
if (-not $TenantId -or -not $Mailbox) { throw 'Give -TenantId and -Mailbox.' }

# Sign in to Microsoft Graph and Exchange Online in the {{CLOUD}} cloud.
Connect-MgGraph{{GRAPH_ENV}} -TenantId $TenantId -NoWelcome -Scopes 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'
Connect-ExchangeOnline{{EXO_ENV}} -ShowBanner:$false

# Step 1: the app registration ({{PORTAL}} → Entra ID → App registrations).
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
Write-Host "App: $($app.DisplayName), client ID $($app.AppId)"
# Its Enterprise application (service principal): the object ID Exchange needs.
$sp = Get-MgServicePrincipal -Filter "appId eq '$($app.AppId)'"
if (-not $sp) { $sp = New-MgServicePrincipal -AppId $app.AppId }

# Step 2: the credential — the certificate given, or a client secret.
$credential = ''
if ($CertificateFile) {
    $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($CertificateFile)
    if (-not $cert.GetRSAPublicKey()) { throw 'The certificate has no RSA key: Entra refuses ECDSA client assertions.' }
    $hash = [Convert]::ToBase64String($cert.GetCertHash())
    # Graph returns the certificates' contents only when asked for them: every one must be sent back.
    $current = (Get-MgApplication -ApplicationId $app.Id -Property keyCredentials).KeyCredentials
    $uploaded = $current | Where-Object { $_.CustomKeyIdentifier -and [Convert]::ToBase64String($_.CustomKeyIdentifier) -eq $hash }
    if (-not $uploaded) {
        $keys = @($current | ForEach-Object { @{ Type = $_.Type; Usage = $_.Usage; Key = $_.Key; DisplayName = $_.DisplayName } })
        $keys += @{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $cert.RawData; DisplayName = 'sitecfg' }
        Update-MgApplication -ApplicationId $app.Id -KeyCredentials $keys
        Write-Host "Uploaded certificate $($cert.Thumbprint)."
    }
    $credential = "    client_certificate: /path/to/the-certificate-and-its-key.pem   # PEM: this certificate and its private key"
} else {
    $existing = $app.PasswordCredentials | Where-Object DisplayName -eq 'sitecfg' | Sort-Object EndDateTime -Descending | Select-Object -First 1
    if ($existing) {
        Write-Host "A client secret named 'sitecfg' exists (expires $($existing.EndDateTime.ToString('yyyy-MM-dd'))); its value was shown once, when it was made."
        Write-Host "For a new one: Remove-MgApplicationPassword -ApplicationId $($app.Id) -KeyId $($existing.KeyId), then run this script again."
        $expires = $existing.EndDateTime.ToString('yyyy-MM-dd')
    } else {
        $secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ DisplayName = 'sitecfg'; EndDateTime = (Get-Date).AddMonths(12) }
        $expires = $secret.EndDateTime.ToString('yyyy-MM-dd')
        Write-Host ''
        Write-Host 'The new client secret VALUE follows. It is shown this once: put it where sitecfg reads it —'
        Write-Host 'the environment variable SMTP_OAUTH_CLIENT_SECRET, or a file only root can read (client_secret: file:PATH) —'
        Write-Host 'never in the answers file itself, and do not keep it in this console history.'
        Write-Host $secret.SecretText
        Write-Host ''
    }
    $credential = "    client_secret: {{BT}}${SMTP_OAUTH_CLIENT_SECRET}{{BT}}n    client_secret_expires: $expires"
}

# Step 3: SMTP.SendAsApp (Office 365 Exchange Online, application permission) and admin consent.
$exo = Get-MgServicePrincipal -Filter "appId eq '{{EXO_APP}}'"
$role = $exo.AppRoles | Where-Object Value -eq 'SMTP.SendAsApp'
if (-not ($app.RequiredResourceAccess | Where-Object ResourceAppId -eq $exo.AppId)) {
    $access = @($app.RequiredResourceAccess | ForEach-Object { @{ ResourceAppId = $_.ResourceAppId; ResourceAccess = @($_.ResourceAccess | ForEach-Object { @{ Id = $_.Id; Type = $_.Type } }) } })
    $access += @{ ResourceAppId = $exo.AppId; ResourceAccess = @(@{ Id = $role.Id; Type = 'Role' }) }
    Update-MgApplication -ApplicationId $app.Id -RequiredResourceAccess $access
}
$granted = Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id | Where-Object { $_.ResourceId -eq $exo.Id -and $_.AppRoleId -eq $role.Id }
if (-not $granted) {
    New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exo.Id -AppRoleId $role.Id | Out-Null
    Write-Host 'Granted SMTP.SendAsApp (admin consent).'
}

# Step 4: the service principal in Exchange Online, by the Enterprise application's object ID.
$exoSp = Get-ServicePrincipal | Where-Object AppId -eq $app.AppId
if (-not $exoSp) {
    $exoSp = New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id -DisplayName $AppName
    Write-Host "Registered the service principal in Exchange Online (object ID $($sp.Id))."
}

# Step 5: FullAccess on the mailbox — the only mailboxes SMTP.SendAsApp reaches.
$full = Get-MailboxPermission -Identity $Mailbox -User $exoSp.Identity -ErrorAction SilentlyContinue | Where-Object { $_.AccessRights -contains 'FullAccess' }
if (-not $full) {
    Add-MailboxPermission -Identity $Mailbox -User $exoSp.Identity -AccessRights FullAccess | Out-Null
    Write-Host "Gave the service principal FullAccess to $Mailbox."
}

# Step 6: SMTP AUTH for this mailbox only (it overrides the tenant's setting).
Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false
Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled
Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled

# Step 7: the answers for sitecfg (changes can take up to an hour to apply; then 'sitecfg check --send-test').
$tenant = (Get-MgContext).TenantId
Write-Host @"

Answers for sitecfg (sitecfg apply --answers FILE):
smtp:
  enabled: true
  auth: microsoft-oauth
  server: {{SMTP_HOST}}
  port: 587
  security: starttls
  username: $Mailbox
  from: $Mailbox
  oauth:
    cloud: {{CLOUD}}
    tenant_id: $tenant
    client_id: $($app.AppId)
$credential
"@
`
