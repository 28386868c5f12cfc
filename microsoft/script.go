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
// run made before it makes anything (find or create), and replaces what
// cannot work. Its Entra half registers the app (or finds it by client ID
// or by the tag an earlier run gave it), uploads a certificate or creates
// a client secret, and, unless App RBAC is the way, assigns
// SMTP.SendAsApp with admin consent; its Exchange half, in a PowerShell
// session of its own, registers the Enterprise application's object ID in
// Exchange Online, gives the app the mailbox (App RBAC's role assignment
// on a scope, or FullAccess), allows it SMTP AUTH; then it prints the
// answers-file fragment for sitecfg. A new client secret's value is printed once, by the script, on
// the administrator's console, with where to put it; neither the script
// nor sitecfg writes it into a config.
func Script(in GuideInput) string {
	cloud, graphEnv, exoEnv := in.environment()
	access, accessDoc := "SendAsApp", accessSendAsAppDoc
	if cloud.AppRBACForSMTP() {
		access, accessDoc = "Rbac", accessRBACDoc
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
		"{{TAG}}", scriptTag,
		"{{ACCESS}}", access,
		"{{ACCESS_DOC}}", accessDoc,
		"{{RBAC_ROLE}}", RBACRole,
		"{{BT}}", "`",
	).Replace(scriptTemplate)
}

// scriptTag is the tag the script gives the app registration it makes:
// how a later run finds it again without a client ID (never by its name,
// which another app may have).
const scriptTag = "sitecfg-smtp"

// The -Access parameter as the script documents it: App RBAC is the
// default where it covers SMTP, SMTP.SendAsApp elsewhere.
const (
	accessRBACDoc = `#   -Access           Rbac (the default): App RBAC, the scoped way: the Exchange role '` + RBACRole + `'
#                     on a management scope holding only the mailbox, and no API permission;
#                     SendAsApp: the SMTP.SendAsApp permission with admin consent, and FullAccess on the mailbox`
	accessSendAsAppDoc = `#   -Access           SendAsApp (the default): the SMTP.SendAsApp permission with admin consent, and FullAccess
#                     on the mailbox; Rbac: App RBAC, announced for SMTP in the worldwide service only`
)

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
// PowerShell's escape character, the backtick), and a variable followed
// by a colon as ${name}: (else PowerShell reads a drive-qualified name).
const scriptTemplate = `# sitecfg: Microsoft 365 set-up for SMTP AUTH with OAuth 2.0 (cloud: {{CLOUD}})
# Printed by '{{GUIDE}} --script'; the same steps as '{{GUIDE}}', explained there.
#
# Safe to run twice: every step looks for what an earlier run made before it makes anything, and
# replaces what cannot work (an expired client secret, an Exchange service principal registered
# with another object ID than the Enterprise application's).
#
# It runs in two halves, each in a PowerShell 7 session of its own (with current versions
# Microsoft.Graph and ExchangeOnlineManagement fail to connect in one session):
#   Entra ID, steps 1-3, in this session: a Cloud Application Administrator or Application
#     Administrator (registers the app and its credential, grants admin consent);
#   Exchange Online, steps 4-6, in a child pwsh this script starts: an Exchange Administrator, or a
#     member of Organization Management (which holds the Role Management role).
# An administrator holding both roles runs it once. Otherwise the first runs it with -Part Entra,
# and the second with -Part Exchange and the -ClientId and -ObjectId the first run printed.
# Modules:
#   Install-Module Microsoft.Graph.Applications, ExchangeOnlineManagement -Scope CurrentUser
#
# Parameters (the defaults are your sitecfg configuration's):
#   -TenantId         the Directory (tenant) ID or a verified domain
#   -ClientId         the Application (client) ID of an existing app; empty: the app an earlier run
#                     registered (it carries the tag '{{TAG}}'), else a new one named -AppName
#   -Mailbox          the Exchange Online mailbox to send as (a licensed user's, or a shared mailbox)
{{ACCESS_DOC}}
#   -CertificateFile  a certificate (.cer/.pem, public part only, RSA) to upload instead of creating a client secret
#   -Part             All (the default), Entra (steps 1-3) or Exchange (steps 4-6)
#   -ObjectId         with -Part Exchange: the Enterprise application's object ID that -Part Entra printed
#Requires -Version 7.0
param(
    [string]$TenantId = {{TENANT}},
    [string]$ClientId = {{CLIENT}},
    [string]$Mailbox = {{MAILBOX}},
    [string]$AppName = 'sitecfg SMTP',
    [ValidateSet('Rbac', 'SendAsApp')][string]$Access = '{{ACCESS}}',
    [string]$CertificateFile = '',
    [ValidateSet('All', 'Entra', 'Exchange')][string]$Part = 'All',
    [string]$ObjectId = ''
)
$ErrorActionPreference = 'Stop'
if (-not $TenantId -or -not $Mailbox) { throw 'Give -TenantId and -Mailbox.' }
if ($Part -eq 'Exchange' -and (-not $ClientId -or -not $ObjectId)) { throw 'With -Part Exchange, give -ClientId and -ObjectId (-Part Entra prints them).' }

# Steps 4 to 6, in Exchange Online: a script block of their own, which -Part All runs in a child pwsh.
$exchangeHalf = {
    param([string]$AppId, [string]$ObjectId, [string]$Mailbox, [string]$AppName, [string]$Access)
    $ErrorActionPreference = 'Stop'
    Import-Module ExchangeOnlineManagement
    Connect-ExchangeOnline{{EXO_ENV}} -ShowBanner:$false
    # Exchange sees a new app some minutes after Entra made it: what it cannot find yet is tried
    # again every 30 seconds, for five minutes at most; any other error stops the script.
    function Invoke-WhenReplicated([scriptblock]$Action, [string]$What) {
        for ($try = 1; ; $try++) {
            try { return & $Action }
            catch {
                if ($try -ge 10 -or $_.Exception.Message -notmatch "not found|couldn't be found|could not be found|cannot find|does not exist") { throw }
                Write-Host "${What}: Exchange does not see the app yet; trying again in 30 s ($try of 9)."
                Start-Sleep -Seconds 30
            }
        }
    }

    # Step 4: the service principal in Exchange Online, by the Enterprise application's object ID.
    # One registered with another object ID (the app registration's: the most common mistake) fails
    # every login with 535 5.7.3, so it is replaced.
    $exoSp = Get-ServicePrincipal | Where-Object AppId -eq $AppId
    $registered = @($exoSp.ObjectId, $exoSp.ServiceId) | Where-Object { $_ } | ForEach-Object { "$_" }
    if ($exoSp -and $registered -and $registered -notcontains $ObjectId) {
        Write-Host "Exchange Online has the app's service principal with object ID $($registered -join ', '), not the Enterprise application's $ObjectId; replacing it."
        Remove-ServicePrincipal -Identity $exoSp.Identity -Confirm:$false
        $exoSp = $null
    }
    if (-not $exoSp) {
        $exoSp = Invoke-WhenReplicated { New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $AppName } 'New-ServicePrincipal'
        Write-Host "Registered the service principal in Exchange Online (object ID $ObjectId)."
    }

    # Step 5: the mailbox: App RBAC's role on a management scope holding only it, or FullAccess.
    if ($Access -eq 'Rbac') {
        $scope = 'sitecfg SMTP ' + $Mailbox
        if (-not (Get-ManagementScope -Identity $scope -ErrorAction SilentlyContinue)) {
            New-ManagementScope -Name $scope -RecipientRestrictionFilter "PrimarySmtpAddress -eq '$($Mailbox -replace "'", "''")'" | Out-Null
            Write-Host "Made the management scope '$scope'."
        }
        if (-not (Get-ManagementRoleAssignment -Identity $scope -ErrorAction SilentlyContinue)) {
            Invoke-WhenReplicated { New-ManagementRoleAssignment -Name $scope -App $AppId -Role '{{RBAC_ROLE}}' -CustomResourceScope $scope } 'New-ManagementRoleAssignment' | Out-Null
            Write-Host "Assigned '{{RBAC_ROLE}}' to the app on '$scope'; changes can take up to two hours to reach Exchange."
        }
        # InScope True: the role reaches the mailbox.
        Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox | Format-Table RoleName, AllowedResourceScope, InScope | Out-Host
    } else {
        # FullAccess on the mailbox: the only mailboxes SMTP.SendAsApp reaches.
        $full = Get-MailboxPermission -Identity $Mailbox -User $exoSp.Identity -ErrorAction SilentlyContinue | Where-Object { $_.AccessRights -contains 'FullAccess' }
        if (-not $full) {
            Invoke-WhenReplicated { Add-MailboxPermission -Identity $Mailbox -User $exoSp.Identity -AccessRights FullAccess } 'Add-MailboxPermission' | Out-Null
            Write-Host "Gave the service principal FullAccess to $Mailbox."
        }
    }

    # Step 6: SMTP AUTH for this mailbox only (it overrides the tenant's setting).
    Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false
    Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled | Out-Host
    Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled | Out-Host
    Disconnect-ExchangeOnline -Confirm:$false
}

if ($Part -ne 'Exchange') {
    # Sign in to Microsoft Graph in the {{CLOUD}} cloud.
    Import-Module Microsoft.Graph.Applications
    Connect-MgGraph{{GRAPH_ENV}} -TenantId $TenantId -NoWelcome -Scopes 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'

    # Step 1: the app registration ({{PORTAL}} → Entra ID → App registrations): by its client ID,
    # or the one an earlier run registered (tagged '{{TAG}}'); never another app found by its name.
    if ($ClientId) {
        $app = Get-MgApplication -Filter "appId eq '$ClientId'"
        if (-not $app) { throw "No app registration with client ID $ClientId in this tenant: check the ID and the cloud." }
    } else {
        $tagged = @(Get-MgApplication -Filter "tags/any(t:t eq '{{TAG}}')")
        if ($tagged.Count -gt 1) { throw "Several app registrations carry the tag '{{TAG}}' ($($tagged.AppId -join ', ')): give the one to use with -ClientId." }
        $app = $tagged | Select-Object -First 1
        if (-not $app) {
            $named = @(Get-MgApplication -Filter "displayName eq '$($AppName -replace "'", "''")'")
            if ($named) { throw "An app registration named '$AppName' exists ($($named.AppId -join ', ')): give its client ID with -ClientId to use it, or choose another -AppName." }
            $app = New-MgApplication -DisplayName $AppName -SignInAudience AzureADMyOrg -Tags '{{TAG}}'
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
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path $CertificateFile).Path)
        # GetRSAPublicKey is a C# extension method, which PowerShell does not bind to the object: call it statically.
        if (-not [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPublicKey($cert)) { throw 'The certificate has no RSA key: Entra refuses ECDSA client assertions.' }
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
        # A 'sitecfg' secret that has expired cannot sign in: it is removed, and a new one made.
        $now = [DateTime]::UtcNow
        $ours = @($app.PasswordCredentials | Where-Object DisplayName -eq 'sitecfg')
        foreach ($old in @($ours | Where-Object { $_.EndDateTime -le $now })) {
            Remove-MgApplicationPassword -ApplicationId $app.Id -KeyId $old.KeyId
            Write-Host "Removed the client secret 'sitecfg' that expired on $($old.EndDateTime.ToString('yyyy-MM-dd'))."
        }
        $existing = $ours | Where-Object { $_.EndDateTime -gt $now } | Sort-Object EndDateTime -Descending | Select-Object -First 1
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

    # Step 3: how the app reaches the mailbox.
    $exo = Get-MgServicePrincipal -Filter "appId eq '{{EXO_APP}}'"
    $role = $exo.AppRoles | Where-Object Value -eq 'SMTP.SendAsApp'
    $granted = Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id | Where-Object { $_.ResourceId -eq $exo.Id -and $_.AppRoleId -eq $role.Id }
    if ($Access -eq 'SendAsApp') {
        # SMTP.SendAsApp (Office 365 Exchange Online, application permission), listed beside whatever
        # else the app lists, even another Exchange Online permission; then admin consent.
        $listed = $app.RequiredResourceAccess | Where-Object ResourceAppId -eq $exo.AppId
        if (-not ($listed.ResourceAccess | Where-Object Id -eq $role.Id)) {
            $access = @($app.RequiredResourceAccess | ForEach-Object {
                $resource = $_
                $entry = @{ ResourceAppId = $resource.ResourceAppId; ResourceAccess = @($resource.ResourceAccess | ForEach-Object { @{ Id = $_.Id; Type = $_.Type } }) }
                if ($resource.ResourceAppId -eq $exo.AppId) { $entry.ResourceAccess += @{ Id = $role.Id; Type = 'Role' } }
                $entry
            })
            if (-not $listed) { $access += @{ ResourceAppId = $exo.AppId; ResourceAccess = @(@{ Id = $role.Id; Type = 'Role' }) } }
            Update-MgApplication -ApplicationId $app.Id -RequiredResourceAccess $access
        }
        if (-not $granted) {
            New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exo.Id -AppRoleId $role.Id | Out-Null
            Write-Host 'Granted SMTP.SendAsApp (admin consent).'
        }
    } elseif ($granted) {
        # App RBAC: no API permission. With SMTP.SendAsApp in the token Exchange checks mailbox permissions too.
        Write-Warning ("The app holds SMTP.SendAsApp with admin consent, so Exchange will also want mailbox permissions, which App RBAC " +
            "does not give. For App RBAC alone remove it: Remove-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $($sp.Id) " +
            "-AppRoleAssignmentId $($granted.Id)")
    }

    $tenant = (Get-MgContext).TenantId
    $ClientId, $ObjectId = $app.AppId, $sp.Id
    Disconnect-MgGraph | Out-Null
}

if ($Part -eq 'Exchange') {
    & $exchangeHalf $ClientId $ObjectId $Mailbox $AppName $Access
    Write-Host "Exchange Online is set up; changes can take up to two hours to apply. Then: sitecfg check --send-test"
    return
}
if ($Part -eq 'Entra') {
    Write-Host ''
    Write-Host 'Entra ID is set up. For Exchange Online, an Exchange Administrator runs this script again with:'
    Write-Host "  -Part Exchange -TenantId $tenant -ClientId $ClientId -ObjectId $ObjectId -Mailbox $Mailbox -Access $Access"
} else {
    & (Get-Process -Id $PID).Path -NoProfile -Command $exchangeHalf -args $ClientId, $ObjectId, $Mailbox, $AppName, $Access
    if ($LASTEXITCODE) { throw "The Exchange Online half stopped (above). Once fixed, run it alone: -Part Exchange -ClientId $ClientId -ObjectId $ObjectId" }
}

# Step 7: the answers for sitecfg (changes can take up to two hours to apply; then 'sitecfg check --send-test').
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
    client_id: $ClientId
$credential
"@
`
