package smtpauth

import (
	"fmt"
	"net/url"
)

// cloudNetwork rewrites a DNS, connection or token-endpoint failure for
// Microsoft 365 (the microsoft-oauth method's reword). There the cloud choice sets the host, so the name is
// Microsoft's own and right: "check the spelling, or use the server's IP
// address" would be false advice. What is true is that this host cannot
// resolve or reach Microsoft — DNS, a firewall or a proxy — and the only
// field that changes where sitecfg goes is the cloud. d is returned as it
// is for other failures.
func cloudNetwork(s Settings, d *Diagnosis) *Diagnosis {
	tokenHost := "the Microsoft identity platform"
	if u, err := url.Parse(s.TokenURL); err == nil && u.Host != "" {
		tokenHost = u.Host
	}
	const field = "smtp.oauth.cloud"
	switch d.Code {
	case CodeDNSNotFound, CodeDNSTimeout, CodeDNSFailed:
		d.Field = field
		d.Summary = fmt.Sprintf("this host cannot resolve %s, Microsoft's Exchange Online host for the chosen cloud: its DNS does not answer for public names", s.Host)
		d.Remedy = fmt.Sprintf("fix this host's DNS (/etc/resolv.conf; try: getent hosts %s), "+
			"or, if this network has no route to the internet, mail to Microsoft 365 cannot work from here. "+
			"The host name comes from smtp.oauth.cloud: change it only if the tenant is in another Microsoft cloud", s.Host)
	case CodeConnectTimeout, CodeConnectUnreachable, CodeConnectFailed, CodeConnectRefused:
		d.Field = field
		d.Summary = fmt.Sprintf("this host cannot reach %s on port %d: the network, a firewall or a proxy is in the way", s.Host, s.Port)
		d.Remedy = fmt.Sprintf("allow outbound TCP %d from this host to %s (Exchange Online); an HTTP proxy (HTTPS_PROXY) does not carry SMTP. "+
			"Check the cloud only if the tenant is not in it", s.Port, s.Host)
	case CodeTokenEndpointUnreachable, CodeTokenEndpointTimeout:
		d.Field = field
		d.Remedy = fmt.Sprintf("this host must reach %s over HTTPS (port 443) for the token: check DNS and the firewall; "+
			"if this network uses a web proxy, set HTTPS_PROXY (and NO_PROXY) in the environment sitecfg runs in. "+
			"Check the cloud only if the tenant is not in it", tokenHost)
	}
	return d
}
