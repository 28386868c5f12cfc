package microsoft

import (
	"slices"
	"strings"
	"testing"
)

func TestClouds(t *testing.T) {
	for _, c := range Clouds {
		t.Run(string(c), func(t *testing.T) {
			if !c.Known() {
				t.Fatal("listed but not known")
			}
			if !strings.HasPrefix(c.TokenURL("t"), "https://") || !strings.HasSuffix(c.TokenURL("t"), "/t/oauth2/v2.0/token") {
				t.Errorf("token URL %s", c.TokenURL("t"))
			}
			if c.Scope() != c.Resource()+"/.default" {
				t.Errorf("scope %s, resource %s", c.Scope(), c.Resource())
			}
			if hs := c.SMTPHosts(); len(hs) == 0 || hs[0] != c.SMTPHost() {
				t.Errorf("hosts %v do not start with %s", hs, c.SMTPHost())
			}
			for _, h := range c.SMTPHosts() {
				if !IsExchangeHost(h) {
					t.Errorf("published host %s is not recognised as Exchange", h)
				}
			}
			if !strings.HasPrefix(c.Portal(), "https://") {
				t.Errorf("portal %q", c.Portal())
			}
			if (c.ExchangeEnvironment() == "") != (c == CloudGlobal) {
				t.Errorf("Exchange environment %q", c.ExchangeEnvironment())
			}
			if (c.GraphEnvironment() == "") != (c == CloudGlobal) {
				t.Errorf("Graph environment %q", c.GraphEnvironment())
			}
		})
	}
	if Cloud("mars").Known() || Cloud("mars").SMTPHost() != "" {
		t.Error("an unknown cloud is known")
	}
	if GlobalSMTPHost != CloudGlobal.SMTPHost() || slices.Contains(CloudGlobal.SMTPHosts(), LegacyHost) {
		t.Error("the legacy host is not published")
	}
}

func TestIsExchangeHost(t *testing.T) {
	for host, want := range map[string]bool{
		"smtp.office365.com": true, "SMTP.Office365.com.": true, "outlook-dod.office365.us": true,
		"smtp.partner.outlook.cn": true, LegacyHost: true, "smtp.example.com": false, "notoffice365.com": false,
	} {
		if got := IsExchangeHost(host); got != want {
			t.Errorf("IsExchangeHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestCloudOfHost(t *testing.T) {
	for host, want := range map[string]Cloud{
		"smtp.office365.com": CloudGlobal, "OUTLOOK.office365.com.": CloudGlobal, LegacyHost: CloudGlobal, LegacyTLSHost: CloudGlobal,
		"smtp.office365.us": CloudGCCHigh, "outlook.office365.us": CloudGCCHigh, "outlook-dod.office365.us": CloudDoD,
		"smtp.partner.outlook.cn": CloudChina, "contoso-com.mail.protection.outlook.com": "", "smtp.example.com": "",
	} {
		got, ok := CloudOfHost(host)
		if got != want || ok != (want != "") || IsSubmissionHost(host) != ok {
			t.Errorf("CloudOfHost(%q) = %q, %v; want %q", host, got, ok, want)
		}
	}
	if CloudGCCHigh.Publishes(LegacyHost) || !CloudGlobal.Publishes(LegacyHost) {
		t.Error("the legacy host is global's alone")
	}
	for _, h := range []string{"login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn"} {
		if !IsLoginHost(h) {
			t.Errorf("%s is not a login host", h)
		}
	}
	if IsLoginHost("idp.example.com") {
		t.Error("idp.example.com is a login host")
	}
}
