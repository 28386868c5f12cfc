# sitecfg: Microsoft 365 set-up for SMTP AUTH with OAuth 2.0 (cloud: usgov-dod)
# Printed by 'sitecfg guide microsoft --script'; the same steps as 'sitecfg guide microsoft', explained there.
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
    [string]$TenantId = 'contoso.onmicrosoft.us',
    [string]$ClientId = '',
    [string]$Mailbox = 'alerts@contoso.mil',
    [string]$AppName = 'sitecfg SMTP',
    [string]$CertificateFile = ''
)
$ErrorActionPreference = 'Stop'
if (-not $TenantId -or -not $Mailbox) { throw 'Give -TenantId and -Mailbox.' }

# Sign in to Microsoft Graph and Exchange Online in the usgov-dod cloud.
Connect-MgGraph -Environment USGovDoD -TenantId $TenantId -NoWelcome -Scopes 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'
Connect-ExchangeOnline -ExchangeEnvironmentName O365USGovDoD -ShowBanner:$false

# Step 1: the app registration (https://entra.microsoft.us → Entra ID → App registrations).
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
    $credential = "    client_secret: `${SMTP_OAUTH_CLIENT_SECRET}`n    client_secret_expires: $expires"
}

# Step 3: SMTP.SendAsApp (Office 365 Exchange Online, application permission) and admin consent.
$exo = Get-MgServicePrincipal -Filter "appId eq '00000002-0000-0ff1-ce00-000000000000'"
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
  server: outlook-dod.office365.us
  port: 587
  security: starttls
  username: $Mailbox
  from: $Mailbox
  oauth:
    cloud: usgov-dod
    tenant_id: $tenant
    client_id: $($app.AppId)
$credential
"@
