package smtpauth_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/smtptest"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

func signInKit(t *testing.T, cloud microsoft.Cloud) (*smtptest.Entra, *smtpauth.SignIn) {
	t.Helper()
	e, err := smtptest.NewEntra("contoso.onmicrosoft.com", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "alerts@contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	s := smtpauth.Settings{Method: smtpauth.MethodDelegated, Cloud: string(cloud), TenantID: e.Tenant, ClientID: e.ClientID,
		TokenURL: cloud.TokenURL(e.Tenant), Scope: cloud.DelegatedScope(), SignIn: "sitecfg signin --config /etc/sitecfg/site-config.yaml"}
	return e, smtpauth.NewSignIn(s, e.HTTPClient())
}

// The sign-in address is the cloud's authorize endpoint with PKCE S256,
// a state and the delegated scope; the address the browser lands on is
// redeemed for a refresh token and the user's name, in every cloud.
func TestSignInPasteBack(t *testing.T) {
	for _, c := range microsoft.Clouds {
		t.Run(string(c), func(t *testing.T) {
			e, si := signInKit(t, c)
			u, err := url.Parse(si.URL())
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if u.Host != c.LoginHost() || u.Path != "/"+e.Tenant+"/oauth2/v2.0/authorize" || q.Get("response_type") != "code" ||
				q.Get("redirect_uri") != "http://localhost" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" ||
				q.Get("state") == "" || q.Get("client_id") != e.ClientID || q.Get("scope") != c.DelegatedScope() || q.Has("client_secret") {
				t.Fatalf("sign-in address %s", u)
			}
			pasted, err := e.SignIn(si.URL())
			if err != nil || !strings.HasPrefix(pasted, "http://localhost?code=") && !strings.HasPrefix(pasted, "http://localhost/?code=") {
				t.Fatalf("landed on %q (%v)", pasted, err)
			}
			got, d := si.Redeem(context.Background(), "  "+pasted+"\n")
			if d != nil {
				t.Fatalf("redeem: %+v", d)
			}
			if got.RefreshToken != e.Latest() || got.User != "alerts@contoso.test" {
				t.Fatalf("signed in %v", got)
			}
			if strings.Contains(got.String(), got.RefreshToken) {
				t.Error("String shows the token")
			}
			// The code works once.
			if _, d := si.Redeem(context.Background(), pasted); d == nil || d.Code != "aadsts54005" {
				t.Errorf("second redemption: %+v", d)
			}
		})
	}
}

// An address from another sign-in (state), a pasted error, and what is
// not the address at all are each refused with their cause.
func TestSignInRefusals(t *testing.T) {
	e, si := signInKit(t, microsoft.CloudGlobal)
	_, other := signInKit(t, microsoft.CloudGlobal)
	pasted, err := e.SignIn(other.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, d := si.Redeem(context.Background(), pasted); d == nil || d.Code != smtpauth.CodeSignInState {
		t.Errorf("state mismatch: %+v", d)
	}
	if _, d := si.Redeem(context.Background(), "https://login.microsoftonline.com/x"); d == nil || d.Code != smtpauth.CodeSignInPaste {
		t.Errorf("not the address: %+v", d)
	}
	e.Decline(true)
	pasted, err = e.SignIn(si.URL())
	if err != nil {
		t.Fatal(err)
	}
	_, d := si.Redeem(context.Background(), pasted)
	if d == nil || d.Code != "aadsts65004" || !strings.Contains(d.Summary, "declined") || !strings.Contains(d.Remedy, "sitecfg signin --config /etc/sitecfg/site-config.yaml") {
		t.Errorf("declined: %+v", d)
	}
}

// The device code grant: the code shown, polled until signed in,
// declined, or expired.
func TestSignInDeviceCode(t *testing.T) {
	ctx := context.Background()
	e, si := signInKit(t, microsoft.CloudGCCHigh)
	da, d := si.Device(ctx)
	if d != nil || da.UserCode == "" || da.VerificationURI == "" {
		t.Fatalf("device: %+v %+v", da, d)
	}
	go func() {
		time.Sleep(1500 * time.Millisecond)
		_ = e.ApproveDevice(da.UserCode)
	}()
	got, d := si.Poll(ctx, da)
	if d != nil || got.RefreshToken != e.Latest() {
		t.Fatalf("poll: %+v", d)
	}

	e.Decline(true)
	da, _ = si.Device(ctx)
	_ = e.ApproveDevice(da.UserCode)
	if _, d := si.Poll(ctx, da); d == nil || !strings.Contains(d.Summary, "declined") {
		t.Errorf("declined: %+v", d)
	}
	e.Decline(false)

	old := smtptest.DeviceCodeLife
	smtptest.DeviceCodeLife = time.Millisecond
	t.Cleanup(func() { smtptest.DeviceCodeLife = old })
	da, _ = si.Device(ctx)
	if _, d := si.Poll(ctx, da); d == nil || !strings.Contains(d.Summary, "expired") {
		t.Errorf("expired: %+v", d)
	}
}
