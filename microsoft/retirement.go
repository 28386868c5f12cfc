package microsoft

// BasicAuthRetirement is Microsoft's timeline for SMTP AUTH basic
// authentication in Exchange Online (Exchange Team blog, 27 January 2026,
// message center MC786329), worded the one way every front end shows it:
// the rules' warning, the diagnosis of 550 5.7.30 and the reminder after
// a basic-auth check that passed all say this.
const BasicAuthRetirement = "Exchange Online disables SMTP AUTH basic authentication by default for existing tenants " +
	"at the end of December 2026 (admins can turn it back on until a final removal date Microsoft announces in the second half of 2027; " +
	"for tenants created after December 2026 it is unavailable by default): use auth: microsoft-oauth (OAuth 2.0, see " + GuideCommand + ")"

// CloudOfHost is the cloud whose Exchange Online client-submission hosts
// include host (LegacyHost counts as global's), and false for any other
// host.
func CloudOfHost(host string) (Cloud, bool) {
	for _, c := range Clouds {
		if c.Publishes(host) {
			return c, true
		}
	}
	return "", false
}

// Publishes reports whether host is one of the cloud's published Exchange
// Online client-submission hosts (or, for global, LegacyHost, which is
// stored as GlobalSMTPHost).
func (c Cloud) Publishes(host string) bool {
	h := normalHost(host)
	if c == CloudGlobal && h == LegacyHost {
		return true
	}
	for _, p := range clouds[c].hosts {
		if h == p {
			return true
		}
	}
	return false
}

// IsSubmissionHost reports whether host is one of Exchange Online's
// published client-submission hosts in any cloud (LegacyHost included):
// where SMTP AUTH, and so basic authentication's retirement, applies. A
// tenant's MX (direct send) is not one.
func IsSubmissionHost(host string) bool {
	_, ok := CloudOfHost(host)
	return ok
}
