package microsoft

import "strings"

// Cloud is a Microsoft cloud (sovereign clouds have their own endpoints).
type Cloud string

// Microsoft clouds, as spelled in the answers file.
const (
	CloudGlobal  Cloud = "global"
	CloudGCCHigh Cloud = "usgov-gcchigh"
	CloudDoD     Cloud = "usgov-dod"
	CloudChina   Cloud = "china"
)

// Clouds lists the clouds in the order the wizard offers them.
var Clouds = []Cloud{CloudGlobal, CloudGCCHigh, CloudDoD, CloudChina}

// Host names outside any one cloud's table.
const (
	// GlobalSMTPHost is the global cloud's Exchange Online SMTP host.
	GlobalSMTPHost = "smtp.office365.com"
	// LegacyHost is the host some product documentation names; Microsoft
	// publishes it in no endpoint list. It is accepted and stored as
	// GlobalSMTPHost.
	LegacyHost = "office365.microsoft.com"
	// LegacyTLSHost is the global cloud's opt-in client-submission
	// endpoint for clients that cannot speak TLS 1.2
	// (Set-TransportConfig -AllowLegacyTLSClients $true): a submission
	// host like the others, so basic authentication's retirement and
	// Send As apply to it too.
	LegacyTLSHost = "smtp-legacy.office365.com"
)

// cloudInfo is one cloud's endpoints.
type cloudInfo struct {
	login    string   // Entra login host
	resource string   // Exchange Online resource (token audience)
	smtp     string   // the SMTP host sitecfg fills in
	hosts    []string // every published client-submission host
	portal   string   // Entra admin center
	exoEnv   string   // Connect-ExchangeOnline -ExchangeEnvironmentName, "" for global
	graphEnv string   // Connect-MgGraph -Environment, "" for global
	// appRBAC: Exchange's RBAC for Applications covers SMTP here
	// (message center MC1158911, roadmap 498356: worldwide, November
	// 2025; no sovereign cloud is named yet).
	appRBAC bool
}

// clouds is the table every method reads. Sources: Microsoft 365 URLs and
// IP address ranges (endpoint sets), the national-cloud endpoint lists,
// and Connect-ExchangeOnline's documentation.
var clouds = map[Cloud]cloudInfo{
	CloudGlobal: {
		login: "login.microsoftonline.com", resource: "https://outlook.office365.com", smtp: GlobalSMTPHost,
		hosts: []string{GlobalSMTPHost, "outlook.office365.com", LegacyTLSHost}, portal: "https://entra.microsoft.com",
		appRBAC: true,
	},
	CloudGCCHigh: {
		login: "login.microsoftonline.us", resource: "https://outlook.office365.us", smtp: "smtp.office365.us",
		hosts: []string{"smtp.office365.us", "outlook.office365.us"}, portal: "https://entra.microsoft.us", exoEnv: "O365USGovGCCHigh", graphEnv: "USGov",
	},
	CloudDoD: {
		login: "login.microsoftonline.us", resource: "https://outlook-dod.office365.us", smtp: "outlook-dod.office365.us",
		hosts: []string{"outlook-dod.office365.us"}, portal: "https://entra.microsoft.us", exoEnv: "O365USGovDoD", graphEnv: "USGovDoD",
	},
	CloudChina: {
		login: "login.partner.microsoftonline.cn", resource: "https://partner.outlook.cn", smtp: "smtp.partner.outlook.cn",
		hosts: []string{"smtp.partner.outlook.cn"}, portal: "https://entra.microsoftonline.cn", exoEnv: "O365China", graphEnv: "China",
	},
}

// Known reports whether c is one of the Microsoft clouds.
func (c Cloud) Known() bool { _, ok := clouds[c]; return ok }

// SMTPHost is the cloud's Exchange Online SMTP host.
func (c Cloud) SMTPHost() string { return clouds[c].smtp }

// SMTPHosts are the cloud's published Exchange Online client-submission
// hosts (SMTPHost first).
func (c Cloud) SMTPHosts() []string { return append([]string(nil), clouds[c].hosts...) }

// Resource is the token audience (the Exchange Online resource).
func (c Cloud) Resource() string { return clouds[c].resource }

// Scope is the client-credentials scope for SMTP.
func (c Cloud) Scope() string { return clouds[c].resource + "/.default" }

// TokenURL is the tenant's v2.0 token endpoint in this cloud.
func (c Cloud) TokenURL(tenant string) string {
	return "https://" + clouds[c].login + "/" + tenant + "/oauth2/v2.0/token"
}

// Portal is the cloud's Entra admin center.
func (c Cloud) Portal() string { return clouds[c].portal }

// ExchangeEnvironment is the value of Connect-ExchangeOnline's
// -ExchangeEnvironmentName for this cloud; "" for global, which needs none.
func (c Cloud) ExchangeEnvironment() string { return clouds[c].exoEnv }

// AppRBACForSMTP reports whether Exchange Online's RBAC for Applications
// covers SMTP in this cloud: an app with the management role
// 'Application SMTP.SendAsApp' on a scope holding the mailbox sends
// without the SMTP.SendAsApp API permission or mailbox permissions.
// Elsewhere only SMTP.SendAsApp with FullAccess on the mailbox is known
// to work.
func (c Cloud) AppRBACForSMTP() bool { return clouds[c].appRBAC }

// GraphEnvironment is the value of Connect-MgGraph's -Environment for
// this cloud; "" for global, which needs none.
func (c Cloud) GraphEnvironment() string { return clouds[c].graphEnv }

// exchangeDomains are the DNS suffixes of Exchange Online's SMTP hosts in
// every cloud, plus the legacy name and outlook.com.
var exchangeDomains = []string{"office365.com", "office365.us", "outlook.cn", LegacyHost, "outlook.com"}

// IsExchangeHost reports whether host looks like an Exchange Online SMTP
// endpoint in any cloud (a name under one of its domains), so that a
// diagnosis can mention Microsoft's own rules.
func IsExchangeHost(host string) bool {
	h := normalHost(host)
	for _, m := range exchangeDomains {
		if h == m || strings.HasSuffix(h, "."+m) {
			return true
		}
	}
	return false
}

// loginDomains are the DNS suffixes of Entra's login hosts in every cloud.
var loginDomains = []string{"microsoftonline.com", "microsoftonline.us", "microsoftonline.cn"}

// IsLoginHost reports whether host is an Entra login (token) endpoint in
// any cloud.
func IsLoginHost(host string) bool {
	h := normalHost(host)
	for _, m := range loginDomains {
		if h == m || strings.HasSuffix(h, "."+m) {
			return true
		}
	}
	return false
}

func normalHost(host string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(host), "."))
}
