package microsoft

// The delegated sign-in's endpoints and scope (microsoft-delegated): the
// authorization code grant with PKCE, or the device authorization grant,
// at the cloud's sign-in host, for Exchange Online's delegated SMTP.Send
// permission.

// RedirectURI is the public client's redirect URI: the browser lands on
// it after the sign-in and does not load it; the operator pastes the
// address back.
const RedirectURI = "http://localhost"

// SendPermission is Exchange Online's delegated permission for SMTP AUTH.
const SendPermission = "SMTP.Send"

// delegatedResource is the resource a delegated SMTP.Send token is asked
// for (global: outlook.office.com, as Microsoft documents it).
func (c Cloud) delegatedResource() string {
	if c == CloudGlobal {
		return "https://outlook.office.com"
	}
	return clouds[c].resource
}

// DelegatedScope is the scope of the delegated sign-in: SMTP.Send, a
// refresh token (offline_access) and the user's name (openid profile).
func (c Cloud) DelegatedScope() string {
	return c.delegatedResource() + "/" + SendPermission + " offline_access openid profile"
}

// DelegatedAudience is the audience a delegated SMTP.Send token carries.
func (c Cloud) DelegatedAudience() string { return c.delegatedResource() }

// LoginHost is the cloud's Entra sign-in host.
func (c Cloud) LoginHost() string { return clouds[c].login }

// AuthorizeURL is the tenant's v2.0 authorization endpoint in this cloud.
func (c Cloud) AuthorizeURL(tenant string) string {
	return "https://" + clouds[c].login + "/" + tenant + "/oauth2/v2.0/authorize"
}

// DeviceCodeURL is the tenant's v2.0 device authorization endpoint.
func (c Cloud) DeviceCodeURL(tenant string) string {
	return "https://" + clouds[c].login + "/" + tenant + "/oauth2/v2.0/devicecode"
}
