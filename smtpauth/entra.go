package smtpauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"sitecfg/microsoft"
)

// entraError is the JSON error body of a Microsoft identity platform token
// endpoint.
type entraError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Codes       []int  `json:"error_codes"`
}

// aadstsRE is compiled on the first token error, not on every start.
var aadstsRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`AADSTS(\d+)`) })

// parseTokenError extracts the OAuth error and, for Entra, the AADSTS code
// (0 when there is none). Microsoft warns that the texts change, so the
// codes are matched, never the words.
func parseTokenError(re *oauth2.RetrieveError) (oauthErr, desc string, aadsts int) {
	var e entraError
	_ = json.Unmarshal(re.Body, &e)
	oauthErr, desc = re.ErrorCode, re.ErrorDescription
	if oauthErr == "" {
		oauthErr = e.Error
	}
	if desc == "" {
		desc = e.Description
	}
	if len(e.Codes) > 0 {
		aadsts = e.Codes[0]
	} else if m := aadstsRE().FindStringSubmatch(desc); m != nil {
		fmt.Sscan(m[1], &aadsts)
	}
	// Entra appends trace and correlation IDs and a timestamp: useful in a
	// support case, noise in a diagnosis.
	if i := strings.Index(desc, "Trace ID:"); i > 0 {
		desc = desc[:i]
	}
	desc = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(desc, "\r", " "), "\n", " "))
	return oauthErr, desc, aadsts
}

// diagnoseTokenError explains a failed token request.
func diagnoseTokenError(s Settings, err error, elapsed string) *Diagnosis {
	var ae *assertionError
	if errors.As(err, &ae) {
		return &Diagnosis{
			Step: StepToken, Code: CodeClientAssertionFailed, Field: fieldCertificate,
			Summary: "could not sign the client assertion with the certificate's key: " + ae.err.Error(),
			Remedy:  "use a PEM file with " + assertionKeys(s) + " certificate and its own unencrypted private key",
		}
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return diagnoseTokenTransport(s, err, elapsed)
	}
	oauthErr, desc, code := parseTokenError(re)
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	said := strings.TrimSpace(fmt.Sprintf("HTTP %d %s: %s", status, oauthErr, desc))
	d := &Diagnosis{Step: StepToken, ServerSaid: said}
	if code != 0 {
		d.Code = AADSTSCode(code)
	}
	scopeField := tokenSide(s).scopeField()
	switch code {
	case 7000215:
		d.Field = "smtp.oauth.client_secret"
		d.Summary = "the identity provider refused the client secret (AADSTS7000215: invalid client secret)"
		d.Remedy = "copy the secret's Value, not its ID: in App registrations → Certificates & secrets the Value is shown only once, " +
			"when the secret is created; if it is no longer visible, create a new secret and copy its Value"
	case 7000222:
		d.Field = "smtp.oauth.client_secret"
		d.Summary = "the client secret has expired (AADSTS7000222)"
		d.Remedy = "create a new client secret under App registrations → the app → Certificates & secrets, " +
			"put its Value in smtp.oauth.client_secret and its expiry date in smtp.oauth.client_secret_expires"
	case 7000218:
		d.Field = "smtp.oauth.client_secret"
		d.Summary = "the token request carried no client secret (AADSTS7000218)"
		d.Remedy = "set smtp.oauth.client_secret to the secret's Value"
		if s.ClientKey != nil {
			d.Field = fieldCertificate
			d.Summary = "the identity provider found no client credential in the token request (AADSTS7000218)"
			d.Remedy = "check that smtp.oauth.client_certificate names the PEM file with the certificate and its key"
		}
	case 700016:
		d.Field = "smtp.oauth.client_id"
		d.Summary = fmt.Sprintf("no application with client ID %s was found in tenant %s (AADSTS700016)", s.ClientID, orUnknown(s.TenantID))
		d.Remedy = "check the client ID (Application (client) ID on the app's Overview page), that the app is registered in this tenant, " +
			"and that the cloud is the one the tenant lives in"
	case 90002, 900023:
		d.Field = "smtp.oauth.tenant_id"
		d.Summary = fmt.Sprintf("tenant %s was not found (AADSTS%d)", orUnknown(s.TenantID), code)
		d.Remedy = "use the Directory (tenant) ID from the app registration's Overview page (a GUID) or the tenant's verified domain, and check the cloud"
	case 70011, 1002012:
		d.Field = scopeField
		d.Summary = fmt.Sprintf("the identity provider refused the scope %q (AADSTS%d: invalid_scope)", s.Scope, code)
		d.Remedy = "use the cloud's Exchange Online resource with /.default, for example https://outlook.office365.com/.default for the global cloud"
	case 900432, 90038, 900382:
		d.Field = "smtp.oauth.cloud"
		d.Summary = fmt.Sprintf("the tenant or the app belongs to another Microsoft cloud than %s (AADSTS%d)", orDefault(s.Cloud, "the one configured"), code)
		d.Remedy = "set smtp.oauth.cloud to the tenant's cloud — global (also for GCC tenants), usgov-gcchigh, usgov-dod or china; " +
			"the token endpoint, scope and SMTP host follow from it"
	case 7000112:
		d.Field = "smtp.oauth.client_id"
		d.Summary = fmt.Sprintf("application %s is disabled in tenant %s (AADSTS7000112)", s.ClientID, orUnknown(s.TenantID))
		d.Remedy = "enable it: Entra admin center → Entra ID → Enterprise applications → the app → Properties → " +
			"\"Enabled for users to sign in?\" → Yes; or check that the client ID is the app you meant"
	case 53003:
		d.Summary = "a Conditional Access policy blocked the token (AADSTS53003)"
		d.Remedy = "a policy for workload identities (for example one that allows only some locations) blocks this app: " +
			"read the service principal sign-in in the Entra sign-in logs, then exclude the app or allow this machine's address. " +
			"Nothing in sitecfg's settings changes this"
	case 7000229:
		d.Field = "smtp.oauth.client_id"
		d.Summary = fmt.Sprintf("app %s has no service principal (Enterprise application) in tenant %s (AADSTS7000229): "+
			"it was registered but never consented to or instantiated here", s.ClientID, orUnknown(s.TenantID))
		d.Remedy = "the client ID and secret are not the problem: create the Enterprise application — App registrations → the app → " +
			"API permissions → Grant admin consent creates it, or in Microsoft Graph PowerShell: New-MgServicePrincipal -AppId " +
			orDefault(s.ClientID, "<client id>") + "; check the client ID and tenant if the app should already have one"
	case 500011:
		d.Field = "smtp.oauth.cloud"
		d.Summary = fmt.Sprintf("the resource %s was not found in tenant %s (AADSTS500011): the tenant has no Exchange Online, "+
			"or it lives in another cloud", orDefault(s.Audience, "(Exchange Online)"), orUnknown(s.TenantID))
		d.Remedy = "check smtp.oauth.cloud (the scope follows from it) and that the tenant has Exchange Online"
	default:
		if !diagnoseCertificateError(s, d, code) {
			genericTokenError(d, oauthErr, code, scopeField)
			if s.ClientKey != nil && d.Field == "smtp.oauth.client_secret" {
				d.Field = fieldCertificate
				d.Summary = strings.Replace(d.Summary, "client ID or secret", "client ID or certificate", 1)
				d.Remedy = "check the client ID, and that the certificate in smtp.oauth.client_certificate is the one uploaded to the app (thumbprint " + Thumbprint(s.ClientCertificate) + ")"
			}
		}
	}
	return d
}

// assertionKeys are the certificates whose keys the identity provider
// takes for client assertions, as a remedy names them: Entra refuses
// ECDSA, so for Microsoft's sign-in (the microsoft-oauth method, or an
// oauth2 token URL at Entra) only RSA.
func assertionKeys(s Settings) string {
	if _, entra := tokenSide(s).(guidedMethod); entra || loginHost(s.TokenURL) != "" {
		return "an RSA (Entra refuses ECDSA client assertions)"
	}
	return "an RSA (or ECDSA P-256)"
}

// genericTokenError fills a diagnosis from the RFC 6749 error alone.
func genericTokenError(d *Diagnosis, oauthErr string, code int, scopeField string) {
	if d.Code == "" {
		d.Code = TokenErrorCode(oauthErr)
	}
	what := "the identity provider refused the token request"
	if code != 0 {
		what += fmt.Sprintf(" (AADSTS%d)", code)
	}
	switch oauthErr {
	case "invalid_client":
		d.Field = "smtp.oauth.client_secret"
		d.Summary = what + ": invalid_client, the client ID or secret is wrong"
		d.Remedy = "check the client ID and the client secret (its value, not its ID)"
	case "unauthorized_client":
		d.Field = "smtp.oauth.client_id"
		d.Summary = what + ": unauthorized_client, this client may not use the client credentials grant"
		d.Remedy = "check the client ID and that the application is allowed the client credentials grant"
	case "invalid_scope":
		d.Field = scopeField
		d.Summary = what + ": invalid_scope"
		d.Remedy = "check the scope the identity provider expects for SMTP"
	default:
		d.Summary = what
		d.Remedy = "read what the identity provider said below; check the token URL, client ID, secret and scope"
	}
}

// diagnoseTokenTransport explains a token request that got no OAuth answer.
func diagnoseTokenTransport(s Settings, err error, elapsed string) *Diagnosis {
	field := tokenSide(s).endpointField()
	d := &Diagnosis{Step: StepToken, Code: CodeTokenEndpointUnreachable, Field: field, ServerSaid: err.Error()}
	var re *redirectError
	switch {
	case errors.As(err, &re):
		d.Code = CodeTokenRedirect
		d.ServerSaid = re.Error()
		d.Summary = "the token endpoint answered with a redirect to " + re.to + "; sitecfg never follows a redirect with a client credential in it"
		d.Remedy = "if that address is really the identity provider's token endpoint, put it (https://) in the token URL; otherwise check the token URL, the tenant and the cloud"
	case isInvalidTokenResponse(err):
		d.Code = CodeTokenResponseInvalid
		d.Summary = "the token endpoint answered, but not with a usable token (" + err.Error() + ")"
		d.Remedy = "check that the token URL is the identity provider's OAuth 2.0 token endpoint, not a web page or a proxy's"
	case loginHost(s.TokenURL) != "":
		// Microsoft's sign-in hosts exist: the way there is what fails.
		host := loginHost(s.TokenURL)
		d.Field = ""
		d.Code, d.Summary = CodeEntraUnreachable, "could not reach Microsoft's sign-in endpoint "+host+" from this machine"
		if isTimeout(err) {
			d.Code, d.Summary = CodeTokenEndpointTimeout, fmt.Sprintf("no answer from Microsoft's sign-in endpoint %s after %s", host, elapsed)
		}
		d.Remedy = "this machine's DNS, firewall or proxy stops HTTPS (port 443) to " + host + ": allow it, or, where the network " +
			"requires a proxy, set HTTPS_PROXY (and NO_PROXY) in the environment sitecfg runs in"
	case isTimeout(err):
		d.Code = CodeTokenEndpointTimeout
		d.Summary = fmt.Sprintf("no answer from the token endpoint after %s", elapsed)
		d.Remedy = "check that this machine can reach the identity provider over HTTPS (proxy, firewall)"
	default:
		d.Summary = "could not reach the token endpoint: " + err.Error()
		d.Remedy = "check the token URL (and, for Microsoft, the tenant and cloud), DNS, and that HTTPS to the identity provider is allowed"
	}
	return d
}

// isInvalidTokenResponse reports an answer from the token endpoint that
// is not a token: not JSON (or larger than golang.org/x/oauth2 reads), or
// without an access token.
func isInvalidTokenResponse(err error) bool {
	m := err.Error()
	return strings.Contains(m, "oauth2: cannot parse") || strings.Contains(m, "server response missing access_token")
}

// loginHost is the token URL's host when it is one of Microsoft's sign-in
// hosts, else "".
func loginHost(tokenURL string) string {
	if u, err := url.Parse(tokenURL); err == nil && microsoft.IsLoginHost(u.Hostname()) {
		return u.Hostname()
	}
	return ""
}

func orUnknown(s string) string { return orDefault(s, "(not set)") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
