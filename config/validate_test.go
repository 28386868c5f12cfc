package config

import (
	"strings"
	"testing"
	"time"
)

// basicOn is a valid SMTP-on answers file that each case below changes in
// one place.
const basicOn = `version: 1
smtp:
  enabled: true
  auth: basic
  server: smtp.example.com
  port: 587
  security: starttls
  username: alerts@example.com
  password: Secret-Pass-1
  from: alerts@example.com
  default_recipients: [noc@example.com]
emails:
  ui_admin: admin@example.com
  ui_support: support@example.com
  admiral_alerts: cluster-health@example.com
`

const msOn = `version: 1
smtp:
  enabled: true
  auth: microsoft-oauth
  server: smtp.office365.com
  port: 587
  security: starttls
  username: alerts@contoso.com
  from: alerts@contoso.com
  oauth:
    cloud: global
    tenant_id: 11111111-2222-3333-4444-555555555555
    client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
    client_secret: abc~Q8Q~realsecretvalue
emails:
  ui_admin: admin@contoso.com
  ui_support: support@contoso.com
  admiral_alerts: health@contoso.com
`

const oauth2On = `version: 1
smtp:
  enabled: true
  auth: oauth2
  server: smtp.example.com
  username: alerts@example.com
  from: alerts@example.com
  oauth:
    token_url: https://idp.example.com/token
    scope: smtp.send
    client_id: sitecfg
    client_secret: s3cr3t-value
    mechanism: oauthbearer
emails:
  ui_admin: admin@example.com
  ui_support: support@example.com
  admiral_alerts: cluster-health@example.com
`

const usersOff = `version: 1
smtp:
  enabled: false
users:
  admin:
    username: siteadmin
    password: Adm1n!Secure
  support:
    username: csupport
    password: Supp0rt!Secure
recovery_codes_out: ./codes.txt
`

// edit replaces one line (matched by its trimmed prefix) of a YAML base;
// an empty replacement removes it.
func edit(base string, pairs ...string) string {
	lines := strings.Split(base, "\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		for j, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), pairs[i]) {
				indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
				lines[j] = indent + pairs[i+1]
				if pairs[i+1] == "" {
					lines[j] = "#"
				}
				break
			}
		}
	}
	return strings.Join(lines, "\n")
}

func check(t *testing.T, y string) (*Answers, Problems) {
	t.Helper()
	a, ps := ParseAnswers([]byte(y), t.TempDir())
	a.ApplyDefaults()
	return a, append(ps, a.Validate(time.Now())...)
}

func TestRules(t *testing.T) {
	cert := newCertFixtures(t)
	withCert := func(base, path string) string { return edit(base, "client_secret:", "client_certificate: "+path) }
	tests := []struct {
		name      string
		yaml      string
		wantErr   string // field that must have an error; "" = no errors
		wantWarn  string // field that must have a warning
		msgSubstr string
	}{
		{name: "basic valid", yaml: basicOn},
		{name: "microsoft valid", yaml: msOn},
		{name: "oauth2 valid", yaml: oauth2On},
		{name: "users valid", yaml: usersOff},

		// Emails: case-insensitive, distinct, bare.
		{name: "admin equals support by case", yaml: edit(basicOn, "ui_support:", "ui_support: ADMIN@Example.com"), wantErr: "emails.ui_support", msgSubstr: "must differ"},
		{name: "alerts equals admin", yaml: edit(basicOn, "admiral_alerts:", "admiral_alerts: Admin@example.COM"), wantErr: "emails.admiral_alerts", msgSubstr: "must differ"},
		{name: "display name refused", yaml: edit(basicOn, "ui_admin:", `ui_admin: "Admin <admin@example.com>"`), wantErr: "emails.ui_admin", msgSubstr: "bare address"},
		{name: "no domain", yaml: edit(basicOn, "ui_admin:", "ui_admin: admin@"), wantErr: "emails.ui_admin"},
		{name: "no at", yaml: edit(basicOn, "ui_admin:", "ui_admin: admin.example.com"), wantErr: "emails.ui_admin"},
		{name: "missing email", yaml: edit(basicOn, "ui_support:", ""), wantErr: "emails.ui_support", msgSubstr: "required"},
		{name: "IP literal email domain", yaml: edit(basicOn, "ui_admin:", "ui_admin: admin@[192.0.2.1]")},

		// Recipients.
		{name: "recipients as string", yaml: edit(basicOn, "default_recipients:", `default_recipients: "a@example.com, b@example.com"`)},
		{name: "bad recipient", yaml: edit(basicOn, "default_recipients:", "default_recipients: [ok@example.com, nope]"), wantErr: "smtp.default_recipients[1]"},
		{name: "empty recipients", yaml: edit(basicOn, "default_recipients:", "default_recipients: []")},

		// From.
		{name: "from required", yaml: edit(basicOn, "from:", ""), wantErr: "smtp.from", msgSubstr: "required"},
		{name: "from invalid", yaml: edit(basicOn, "from:", "from: alerts"), wantErr: "smtp.from"},

		// EHLO name: optional; a host name or an address literal.
		{name: "ehlo name", yaml: edit(basicOn, "security:", "ehlo_name: node1.cluster.example.com")},
		{name: "ehlo IPv4 literal", yaml: edit(basicOn, "security:", `ehlo_name: "[192.0.2.10]"`)},
		{name: "ehlo IPv6 literal", yaml: edit(basicOn, "security:", `ehlo_name: "[IPv6:2001:db8::1]"`)},
		{name: "ehlo bare IP", yaml: edit(basicOn, "security:", "ehlo_name: 192.0.2.10"), wantErr: "smtp.ehlo_name", msgSubstr: "[192.0.2.10]"},
		{name: "ehlo IPv6 without tag", yaml: edit(basicOn, "security:", `ehlo_name: "[2001:db8::1]"`), wantErr: "smtp.ehlo_name", msgSubstr: "address literal"},
		{name: "ehlo underscore", yaml: edit(basicOn, "security:", "ehlo_name: node_1.example.com"), wantErr: "smtp.ehlo_name"},
		{name: "ehlo localhost", yaml: edit(basicOn, "security:", "ehlo_name: localhost"), wantWarn: "smtp.ehlo_name", msgSubstr: "strict servers"},
		{name: "ehlo localhost.localdomain", yaml: edit(basicOn, "security:", "ehlo_name: localhost.localdomain"), wantWarn: "smtp.ehlo_name", msgSubstr: "strict servers"},
		{name: "ehlo short name", yaml: edit(basicOn, "security:", "ehlo_name: node1"), wantWarn: "smtp.ehlo_name", msgSubstr: "not a fully qualified name"},

		// Port and server.
		{name: "port 0", yaml: edit(basicOn, "port:", "port: 0"), wantErr: "smtp.port"},
		{name: "port 65536", yaml: edit(basicOn, "port:", "port: 65536"), wantErr: "smtp.port", msgSubstr: "1 and 65535"},
		{name: "port 1", yaml: edit(basicOn, "port:", "port: 1")},
		{name: "port 65535", yaml: edit(basicOn, "port:", "port: 65535")},
		{name: "port not a number", yaml: edit(basicOn, "port:", "port: smtp"), wantErr: "smtp.port", msgSubstr: "whole number"},
		{name: "server IPv4", yaml: edit(basicOn, "server:", "server: 192.0.2.10")},
		{name: "server IPv6", yaml: edit(basicOn, "server:", `server: "2001:db8::25"`)},
		{name: "server IPv6 bracketed", yaml: edit(basicOn, "server:", `server: "[2001:db8::25]"`)},
		{name: "server with port", yaml: edit(basicOn, "server:", "server: smtp.example.com:587"), wantErr: "smtp.server", msgSubstr: "port"},
		{name: "server bad label", yaml: edit(basicOn, "server:", "server: smtp_.example.com"), wantErr: "smtp.server"},
		{name: "server missing", yaml: edit(basicOn, "server:", ""), wantErr: "smtp.server"},
		{name: "server bad IPv6", yaml: edit(basicOn, "server:", `server: "2001:db8:::1"`), wantErr: "smtp.server"},

		// Clear text.
		{name: "security none with credentials to remote", yaml: edit(basicOn, "security:", "security: none"), wantErr: "smtp.security", msgSubstr: "clear text"},
		{name: "security none with credentials to loopback", yaml: edit(basicOn, "security:", "security: none", "server:", "server: 127.0.0.1")},
		{name: "security none with credentials to ::1", yaml: edit(basicOn, "security:", "security: none", "server:", `server: "::1"`)},
		{name: "security none with credentials to localhost", yaml: edit(basicOn, "security:", "security: none", "server:", "server: localhost")},
		{name: "security none without credentials", yaml: edit(basicOn, "security:", "security: none", "auth:", "auth: none", "username:", "", "password:", "")},
		{name: "unknown security", yaml: edit(basicOn, "security:", "security: ssl3"), wantErr: "smtp.security"},

		// Basic.
		{name: "password without username", yaml: edit(basicOn, "username:", ""), wantErr: "smtp.username", msgSubstr: "without a username"},
		{name: "username without password", yaml: edit(basicOn, "password:", "")},
		{name: "no credentials at all", yaml: edit(basicOn, "password:", "", "username:", "")},
		{name: "unknown auth", yaml: edit(basicOn, "auth:", "auth: ntlm"), wantErr: "smtp.auth"},
		{name: "basic against Exchange warns", yaml: edit(basicOn, "server:", "server: smtp.office365.com"), wantWarn: "smtp.auth", msgSubstr: "end of December 2026"},
		{name: "basic against Exchange in GCC High warns", yaml: edit(basicOn, "server:", "server: outlook.office365.us"), wantWarn: "smtp.auth", msgSubstr: "microsoft-oauth"},
		{name: "basic against Exchange, from not the mailbox", yaml: edit(basicOn, "server:", "server: smtp.office365.com", "from:", "from: noc@example.com"), wantWarn: "smtp.from", msgSubstr: "SendAs"},
		{name: "none against Exchange warns", yaml: edit(basicOn, "auth:", "auth: none", "password:", "", "username:", "", "server:", "server: smtp.office365.com"), wantWarn: "smtp.auth", msgSubstr: "second half of 2027"},

		// oauth2.
		{name: "oauth2 http token url", yaml: edit(oauth2On, "token_url:", "token_url: http://idp.example.com/token"), wantErr: "smtp.oauth.token_url", msgSubstr: "https"},
		{name: "oauth2 http token url loopback", yaml: edit(oauth2On, "token_url:", "token_url: http://127.0.0.1:8080/token")},
		{name: "oauth2 http token url localhost", yaml: edit(oauth2On, "token_url:", "token_url: http://localhost:8080/token")},
		{name: "oauth2 missing token url", yaml: edit(oauth2On, "token_url:", ""), wantErr: "smtp.oauth.token_url"},
		{name: "oauth2 bad mechanism", yaml: edit(oauth2On, "mechanism:", "mechanism: plain"), wantErr: "smtp.oauth.mechanism"},
		{name: "oauth2 missing secret", yaml: edit(oauth2On, "client_secret:", ""), wantErr: "smtp.oauth.client_secret"},
		{name: "oauth2 missing mailbox", yaml: edit(oauth2On, "username:", ""), wantErr: "smtp.username"},
		{name: "oauth2 over clear text", yaml: edit(oauth2On, "server:", "server: smtp.example.com\n  security: none"), wantErr: "smtp.security"},

		// Microsoft: host per cloud, port, security, IDs, secret.
		{name: "ms port 465", yaml: edit(msOn, "port:", "port: 465"), wantErr: "smtp.port", msgSubstr: "587"},
		{name: "ms port 25", yaml: edit(msOn, "port:", "port: 25"), wantErr: "smtp.port"},
		{name: "ms implicit tls", yaml: edit(msOn, "security:", "security: tls"), wantErr: "smtp.security", msgSubstr: "starttls"},
		{name: "ms wrong host", yaml: edit(msOn, "server:", "server: smtp.gmail.com"), wantErr: "smtp.server", msgSubstr: "smtp.office365.com"},
		{name: "ms legacy host accepted with warning", yaml: edit(msOn, "server:", "server: office365.microsoft.com"), wantWarn: "smtp.server", msgSubstr: "smtp.office365.com"},
		{name: "ms host case-insensitive", yaml: edit(msOn, "server:", "server: SMTP.Office365.com")},
		{name: "ms server defaulted", yaml: edit(msOn, "server:", "")},
		{name: "ms gcchigh host", yaml: edit(msOn, "cloud:", "cloud: usgov-gcchigh", "server:", "server: smtp.office365.us")},
		{name: "ms gcchigh with global host", yaml: edit(msOn, "cloud:", "cloud: usgov-gcchigh"), wantErr: "smtp.server", msgSubstr: "smtp.office365.us"},
		{name: "ms dod host", yaml: edit(msOn, "cloud:", "cloud: usgov-dod", "server:", "server: outlook-dod.office365.us")},
		{name: "ms dod with gcc host", yaml: edit(msOn, "cloud:", "cloud: usgov-dod", "server:", "server: smtp.office365.us"), wantErr: "smtp.server", msgSubstr: "outlook-dod.office365.us"},
		{name: "ms china host", yaml: edit(msOn, "cloud:", "cloud: china", "server:", "server: smtp.partner.outlook.cn")},
		{name: "ms china with global host", yaml: edit(msOn, "cloud:", "cloud: china"), wantErr: "smtp.server", msgSubstr: "smtp.partner.outlook.cn"},
		{name: "ms outlook.office365.com published", yaml: edit(msOn, "server:", "server: outlook.office365.com")},
		{name: "ms outlook.office365.us published for gcchigh", yaml: edit(msOn, "cloud:", "cloud: usgov-gcchigh", "server:", "server: outlook.office365.us")},
		{name: "ms outlook.office365.us not global's", yaml: edit(msOn, "server:", "server: outlook.office365.us"), wantErr: "smtp.server", msgSubstr: "outlook.office365.com"},
		{name: "ms from is not the mailbox warns", yaml: edit(msOn, "from:", "from: noc@contoso.com"), wantWarn: "smtp.from", msgSubstr: "Add-RecipientPermission -Identity noc@contoso.com -Trustee alerts@contoso.com -AccessRights SendAs"},
		{name: "ms legacy host outside global", yaml: edit(msOn, "cloud:", "cloud: china", "server:", "server: office365.microsoft.com"), wantErr: "smtp.server"},
		{name: "ms unknown cloud", yaml: edit(msOn, "cloud:", "cloud: mars"), wantErr: "smtp.oauth.cloud"},
		{name: "ms tenant as domain", yaml: edit(msOn, "tenant_id:", "tenant_id: contoso.onmicrosoft.com")},
		{name: "ms tenant garbage", yaml: edit(msOn, "tenant_id:", "tenant_id: not a tenant"), wantErr: "smtp.oauth.tenant_id"},
		{name: "ms tenant missing", yaml: edit(msOn, "tenant_id:", ""), wantErr: "smtp.oauth.tenant_id"},
		{name: "ms client id not guid", yaml: edit(msOn, "client_id:", "client_id: my-app"), wantErr: "smtp.oauth.client_id", msgSubstr: "GUID"},
		{name: "ms client id upper-case guid", yaml: edit(msOn, "client_id:", "client_id: AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")},
		{name: "ms secret empty", yaml: edit(msOn, "client_secret:", `client_secret: ""`), wantErr: "smtp.oauth.client_secret"},
		{name: "ms secret guid-shaped warns", yaml: edit(msOn, "client_secret:", "client_secret: 0f0f0f0f-1111-2222-3333-444444444444"), wantWarn: "smtp.oauth.client_secret", msgSubstr: "secret's ID, not its value"},
		{name: "ms mailbox required", yaml: edit(msOn, "username:", ""), wantErr: "smtp.username"},
		{name: "ms password refused", yaml: edit(msOn, "username:", "username: alerts@contoso.com\n  password: x"), wantErr: "smtp.password"},
		{name: "ms expiry bad date", yaml: edit(msOn, "client_secret:", "client_secret: abc~Q8Q~realsecretvalue\n    client_secret_expires: 30/06/2027"), wantErr: "smtp.oauth.client_secret_expires"},

		// Client certificate instead of a secret: exactly one of the two,
		// and a file that loads with a matching key and valid dates.
		{name: "ms certificate valid", yaml: withCert(msOn, cert.valid)},
		{name: "ms certificate ecdsa refused", yaml: withCert(msOn, cert.ecdsa), wantErr: "smtp.oauth.client_certificate", msgSubstr: "RSA"},
		{name: "oauth2 certificate ecdsa accepted", yaml: withCert(oauth2On, cert.ecdsa)},
		{name: "oauth2 certificate valid", yaml: withCert(oauth2On, cert.valid)},
		{name: "ms certificate and secret", yaml: edit(msOn, "client_id:", "client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n    client_certificate: "+cert.valid), wantErr: "smtp.oauth.client_certificate", msgSubstr: "not both"},
		{name: "ms neither secret nor certificate", yaml: edit(msOn, "client_secret:", ""), wantErr: "smtp.oauth.client_secret", msgSubstr: "client_certificate"},
		{name: "ms certificate missing file", yaml: withCert(msOn, cert.valid+".missing"), wantErr: "smtp.oauth.client_certificate", msgSubstr: "cannot read"},
		{name: "ms certificate without key", yaml: withCert(msOn, cert.noKey), wantErr: "smtp.oauth.client_certificate", msgSubstr: "no private key"},
		{name: "ms certificate file with only a key", yaml: withCert(msOn, cert.noCert), wantErr: "smtp.oauth.client_certificate", msgSubstr: "no certificate"},
		{name: "ms certificate key not matching", yaml: withCert(msOn, cert.mismatch), wantErr: "smtp.oauth.client_certificate", msgSubstr: "does not belong"},
		{name: "ms certificate key encrypted", yaml: withCert(msOn, cert.encrypted), wantErr: "smtp.oauth.client_certificate", msgSubstr: "encrypted"},
		{name: "ms certificate not PEM", yaml: withCert(msOn, cert.garbage), wantErr: "smtp.oauth.client_certificate", msgSubstr: "not a PEM file"},
		{name: "ms certificate expired", yaml: withCert(msOn, cert.expired), wantErr: "smtp.oauth.client_certificate", msgSubstr: "expired on"},
		{name: "ms certificate expiring soon warns", yaml: withCert(msOn, cert.soon), wantWarn: "smtp.oauth.client_certificate", msgSubstr: "expires on"},
		{name: "ms certificate with a secret expiry warns", yaml: edit(withCert(msOn, cert.valid), "client_id:", "client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n    client_secret_expires: 2027-01-01"), wantWarn: "smtp.oauth.client_secret_expires", msgSubstr: "ignored"},
		{name: "ms certificate unset env", yaml: withCert(msOn, "${SITECFG_TEST_UNSET_CERT}"), wantErr: "smtp.oauth.client_certificate", msgSubstr: "not set"},

		// Users.
		{name: "same usernames case-insensitive", yaml: edit(usersOff, "username: csupport", "username: SiteAdmin"), wantErr: "users.support.username", msgSubstr: "differ"},
		{name: "username starts with digit", yaml: edit(usersOff, "username: siteadmin", "username: 1admin"), wantErr: "users.admin.username"},
		{name: "username 64 chars", yaml: edit(usersOff, "username: siteadmin", "username: a"+strings.Repeat("b", 63))},
		{name: "username 65 chars", yaml: edit(usersOff, "username: siteadmin", "username: a"+strings.Repeat("b", 64)), wantErr: "users.admin.username", msgSubstr: "64"},
		{name: "username with space", yaml: edit(usersOff, "username: siteadmin", `username: "site admin"`), wantErr: "users.admin.username"},
		{name: "username dots dashes", yaml: edit(usersOff, "username: siteadmin", "username: site.admin_x-1")},
		{name: "username empty", yaml: edit(usersOff, "username: siteadmin", `username: ""`), wantErr: "users.admin.username"},
		{name: "password too short", yaml: edit(usersOff, "password: Adm1n!Secure", "password: Ad1!xyz"), wantErr: "users.admin.password"},
		{name: "password missing class", yaml: edit(usersOff, "password: Adm1n!Secure", "password: admin1!secure"), wantErr: "users.admin.password"},
		{name: "password equals username", yaml: edit(usersOff, "username: siteadmin", "username: Adm1n-Secure", "password: Adm1n!Secure", "password: Adm1n-Secure"), wantErr: "users.admin.password"},
		{name: "password missing", yaml: edit(usersOff, "password: Supp0rt!Secure", ""), wantErr: "users.support.password"},
		{name: "codes out missing", yaml: edit(usersOff, "recovery_codes_out:", ""), wantErr: "recovery_codes_out"},
		{name: "users missing", yaml: "version: 1\nsmtp:\n  enabled: false\nrecovery_codes_out: x\n", wantErr: "users.admin.username"},

		// Shape.
		{name: "version 2", yaml: edit(basicOn, "version:", "version: 2"), wantErr: "version"},
		{name: "version missing", yaml: edit(basicOn, "version:", ""), wantErr: "version"},
		{name: "smtp.enabled missing", yaml: edit(basicOn, "enabled:", ""), wantErr: "smtp.enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := check(t, tt.yaml)
			if tt.wantErr == "" && ps.HasErrors() {
				t.Fatalf("unexpected errors:\n%v", ps.Error())
			}
			if tt.wantErr != "" {
				got := ps.Errors().For(tt.wantErr)
				if len(got) == 0 {
					t.Fatalf("want an error on %s, got:\n%v", tt.wantErr, ps)
				}
				if tt.msgSubstr != "" && !strings.Contains(got[0].Message, tt.msgSubstr) {
					t.Errorf("error %q does not mention %q", got[0].Message, tt.msgSubstr)
				}
			}
			if tt.wantWarn != "" {
				got := ps.Warnings().For(tt.wantWarn)
				if len(got) == 0 {
					t.Fatalf("want a warning on %s, got:\n%v", tt.wantWarn, ps)
				}
				if tt.msgSubstr != "" && !strings.Contains(got[0].Message, tt.msgSubstr) {
					t.Errorf("warning %q does not mention %q", got[0].Message, tt.msgSubstr)
				}
			}
		})
	}
}

func TestDefaultsAndNormalisation(t *testing.T) {
	y := edit(basicOn,
		"ui_admin:", "ui_admin: Admin@Example.COM",
		"default_recipients:", `default_recipients: "NOC@example.com, noc@example.com ; oncall@example.com"`,
		"port:", "",
		"security:", "security: tls",
		"server:", "server: SMTP.Example.com")
	a, ps := check(t, y)
	if ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	if a.Emails.UIAdmin != "admin@example.com" {
		t.Errorf("email not lower-cased: %q", a.Emails.UIAdmin)
	}
	if got := strings.Join(a.SMTP.DefaultRecipients, ","); got != "noc@example.com,oncall@example.com" {
		t.Errorf("recipients = %q", got)
	}
	if a.SMTP.Port != 465 {
		t.Errorf("port for tls defaulted to %d, want 465", a.SMTP.Port)
	}
	if a.SMTP.Server != "smtp.example.com" {
		t.Errorf("server = %q", a.SMTP.Server)
	}

	a, ps = check(t, edit(msOn, "server:", "", "port:", "", "security:", "", "cloud:", "cloud: usgov-dod"))
	if ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	if a.SMTP.Server != "outlook-dod.office365.us" || a.SMTP.Port != 587 || a.SMTP.Security != SecurityStartTLS {
		t.Errorf("microsoft defaults: %s:%d %s", a.SMTP.Server, a.SMTP.Port, a.SMTP.Security)
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	y := edit(basicOn, "port:", "port: 0", "server:", "server: bad_host", "ui_support:", "ui_support: ADMIN@example.com", "from:", "from: nope")
	_, ps := check(t, y)
	for _, f := range []string{"smtp.port", "smtp.server", "emails.ui_support", "smtp.from"} {
		if len(ps.Errors().For(f)) == 0 {
			t.Errorf("no error reported for %s; got:\n%s", f, ps.Error())
		}
	}
	for _, p := range ps.Errors() {
		if p.Line == 0 {
			t.Errorf("error without a line: %v", p)
		}
	}
}
