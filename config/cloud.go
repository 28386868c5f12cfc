package config

// Cloud is a Microsoft cloud (sovereign clouds have their own endpoints).
type Cloud string

// Microsoft clouds, as spelled in the answers file.
const (
	CloudGlobal  Cloud = "global"
	CloudGCCHigh Cloud = "usgov-gcchigh"
	CloudDoD     Cloud = "usgov-dod"
	CloudChina   Cloud = "china"
	officeLegacy       = "office365.microsoft.com"
	officeGlobal       = "smtp.office365.com"
)

// Clouds lists the clouds in the order the wizard offers them.
var Clouds = []Cloud{CloudGlobal, CloudGCCHigh, CloudDoD, CloudChina}

type cloudInfo struct{ login, resource, smtp string }

var clouds = map[Cloud]cloudInfo{
	CloudGlobal:  {"login.microsoftonline.com", "https://outlook.office365.com", officeGlobal},
	CloudGCCHigh: {"login.microsoftonline.us", "https://outlook.office365.us", "smtp.office365.us"},
	CloudDoD:     {"login.microsoftonline.us", "https://outlook-dod.office365.us", "outlook-dod.office365.us"},
	CloudChina:   {"login.partner.microsoftonline.cn", "https://partner.outlook.cn", "smtp.partner.outlook.cn"},
}

// Known reports whether c is one of the Microsoft clouds.
func (c Cloud) Known() bool { _, ok := clouds[c]; return ok }

// SMTPHost is the cloud's Exchange Online SMTP host.
func (c Cloud) SMTPHost() string { return clouds[c].smtp }

// Resource is the token audience (the Exchange Online resource).
func (c Cloud) Resource() string { return clouds[c].resource }

// Scope is the client-credentials scope for SMTP.
func (c Cloud) Scope() string { return clouds[c].resource + "/.default" }

// TokenURL is the tenant's v2.0 token endpoint in this cloud.
func (c Cloud) TokenURL(tenant string) string {
	return "https://" + clouds[c].login + "/" + tenant + "/oauth2/v2.0/token"
}
