package smtpauth_test

import (
	"context"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// clientCert is an app's certificate credential: the certificate whose
// public part is uploaded to the app registration, and its key.
type clientCert struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newClientCert(t *testing.T, kind string) clientCert {
	t.Helper()
	var key crypto.Signer = testkit.ECKey(t)
	if kind == "rsa" {
		key = testkit.RSAKey(t)
	}
	return clientCert{testkit.ClientCert(t, key, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0)), key}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// register uploads the certificate's public part to the fake app.
func (e *fakeEntra) register(c clientCert) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.certs == nil {
		e.certs = map[string]*x509.Certificate{}
	}
	sum := sha256.Sum256(c.cert.Raw)
	e.certs[b64(sum[:])] = c.cert
}

func (e *fakeEntra) received() (assertions []string, refused string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.assertions...), e.refused
}

// certSettings are e.settings with the certificate in place of the secret.
func (e *fakeEntra) certSettings(srv *testServer, c clientCert) (smtpauth.Settings, smtpauth.Options) {
	s, o := e.settings(srv)
	s.ClientSecret, s.ClientCertificate, s.ClientKey = "", c.cert, c.key
	return s, o
}

var errKeyNotFound = errors.New("the key was not found")

// verifyAssertion checks a client assertion as Entra does, against the
// registered certificates, and returns the AADSTS code and text of the
// refusal (0 when it is accepted). Called with e.mu held.
func (e *fakeEntra) verifyAssertion(r *http.Request) (int, string) {
	f := r.PostForm
	switch {
	case f.Get("client_assertion_type") != smtpauth.JWTBearerAssertionType:
		return 7000218, "client_assertion_type is not jwt-bearer"
	case f.Has("client_secret"):
		return 7000218, "both a client secret and a client assertion were sent"
	case f.Get("client_id") != e.clientID:
		return 700016, "client_id does not match"
	}
	raw := f.Get("client_assertion")
	e.assertions = append(e.assertions, raw)
	// Entra's own token URL: the audience the assertion must name.
	own := "https://" + r.Host + r.URL.Path
	var thumb string
	tok, err := jwt.Parse(raw, func(tok *jwt.Token) (any, error) {
		s256, _ := tok.Header["x5t#S256"].(string)
		x5t, _ := tok.Header["x5t"].(string)
		thumb = x5t
		c := e.certs[s256]
		if c == nil {
			return nil, errKeyNotFound
		}
		if sum := sha1.Sum(c.Raw); x5t != b64(sum[:]) {
			return nil, errors.New("x5t does not match x5t#S256")
		}
		return c.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256", "ES256"}), jwt.WithAudience(own), jwt.WithIssuer(e.clientID),
		jwt.WithSubject(e.clientID), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	switch {
	case errors.Is(err, errKeyNotFound):
		return 700027, "Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '" + thumb + "']"
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return 700024, "Client assertion is not within its valid time range."
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return 700027, "Client assertion failed signature validation."
	case err != nil:
		return 50027, "Invalid JWT token: " + err.Error()
	}
	claims := tok.Claims.(jwt.MapClaims)
	exp, _ := claims.GetExpirationTime()
	iat, _ := claims.GetIssuedAt()
	nbf, _ := claims.GetNotBefore()
	if iat == nil || nbf == nil || exp.Sub(iat.Time) > 10*time.Minute || time.Until(exp.Time) > 10*time.Minute {
		return 700024, "Client assertion is valid for more than 10 minutes."
	}
	jti, _ := claims["jti"].(string)
	if jti == "" || e.jtis[jti] {
		return 50027, "Invalid JWT token: jti missing or replayed"
	}
	if e.jtis == nil {
		e.jtis = map[string]bool{}
	}
	e.jtis[jti] = true
	return 0, ""
}

// A certificate-based run against the Entra-like endpoint, which verifies
// every assertion (signature with the registered certificate, audience,
// issuer and subject, lifetime, thumbprints, a fresh jti) before issuing
// the token the in-process Exchange accepts over XOAUTH2.
func TestCertificateXOAuth2(t *testing.T) {
	for _, kind := range []string{"rsa", "ecdsa"} {
		t.Run(kind, func(t *testing.T) {
			e := startEntra(t)
			c := newClientCert(t, kind)
			e.register(c)
			srv := startExchange(t, e, smtptest.Options{})
			s, o := e.certSettings(srv, c)
			for i := range 2 {
				r := run(t, s, o)
				assertions, refused := e.received()
				if !r.OK {
					t.Fatalf("check %d failed: %+v (the fake refused: %s)", i+1, r.Diagnosis, refused)
				}
				wantSteps(t, r, smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO,
					smtpauth.StepTLS, smtpauth.StepToken, smtpauth.StepAuth, smtpauth.StepQuit)
				if len(assertions) != i+1 {
					t.Fatalf("%d assertions after %d checks", len(assertions), i+1)
				}
				_, form := e.lastRequest()
				if _, has := form["client_secret"]; has || form["client_id"] != e.clientID || form["grant_type"] != "client_credentials" {
					t.Errorf("token request form has %v", keys(form))
				}
				testkit.NoSecret(t, reportText(t, r), append(e.tokens(), assertions...)...)
				testkit.NoSecret(t, srv.wire.String(), assertions...)
				if tr := transcript(r); !strings.Contains(tr, "S: HTTP 200 OK") || !strings.Contains(tr, "C: AUTH XOAUTH2") {
					t.Errorf("transcript:\n%s", tr)
				}
			}
			assertions, _ := e.received()
			if assertions[0] == assertions[1] {
				t.Error("the same assertion was sent twice")
			}
			wantAlg := map[string]string{"rsa": "RS256", "ecdsa": "ES256"}[kind]
			if tok, _, err := jwt.NewParser().ParseUnverified(assertions[0], jwt.MapClaims{}); err != nil || tok.Header["alg"] != wantAlg {
				t.Errorf("alg = %v (%v), want %s", tok.Header["alg"], err, wantAlg)
			}
		})
	}
}

// A certificate that was never uploaded to the app: Entra's AADSTS700027
// is explained on the certificate's field, with its thumbprint.
func TestCertificateNotRegistered(t *testing.T) {
	e := startEntra(t)
	e.register(newClientCert(t, "ecdsa"))
	srv := startExchange(t, e, smtptest.Options{})
	c := newClientCert(t, "rsa")
	s, o := e.certSettings(srv, c)
	r := run(t, s, o)
	d := wantDiag(t, r, smtpauth.StepToken, "aadsts700027", "smtp.oauth.client_certificate")
	for _, want := range []string{"Certificates & secrets → Certificates", "public part", smtpauth.Thumbprint(c.cert)} {
		if !strings.Contains(d.Summary+d.Remedy, want) {
			t.Errorf("diagnosis does not say %q:\n %s\n %s", want, d.Summary, d.Remedy)
		}
	}
	if !strings.Contains(transcript(r), "S: error invalid_client (AADSTS700027)") {
		t.Errorf("transcript:\n%s", transcript(r))
	}
	noAuthSent(t, r)
	assertions, _ := e.received()
	testkit.NoSecret(t, reportText(t, r), assertions...)
}

// A clock an hour slow signs an assertion that has already expired by
// Entra's clock: AADSTS700024 points at the clock, not at the certificate.
func TestCertificateClockSkew(t *testing.T) {
	e := startEntra(t)
	c := newClientCert(t, "rsa")
	e.register(c)
	srv := startExchange(t, e, smtptest.Options{})
	s, o := e.certSettings(srv, c)
	o.Now = func() time.Time { return time.Now().Add(-time.Hour) }
	r := run(t, s, o)
	d := wantDiag(t, r, smtpauth.StepToken, "aadsts700024", "")
	if !strings.Contains(d.Summary+d.Remedy, "clock") {
		t.Errorf("diagnosis does not mention the clock:\n %s\n %s", d.Summary, d.Remedy)
	}
}

// Entra's other certificate codes, as its token endpoint words them.
func TestCertificateEntraErrors(t *testing.T) {
	rows := map[string]struct {
		status int
		err    string
		desc   string
	}{
		"7000274": {401, "invalid_client", "AADSTS7000274: Key was found, but use of the key to sign the client assertion for app '%s' is not valid."},
		"7000277": {401, "invalid_client", "AADSTS7000277: The certificate used to sign the client assertion for app '%s' was revoked."},
		"7000214": {401, "invalid_client", "AADSTS7000214: Certificate has been revoked (app %s)."},
		"1000502": {401, "invalid_client", "AADSTS1000502: Certificate is outside its validity window (app %s)."},
	}
	for code, row := range rows {
		entraErrors[code] = row
	}
	t.Cleanup(func() {
		for code := range rows {
			delete(entraErrors, code)
		}
	})
	e := startEntra(t)
	c := newClientCert(t, "rsa")
	e.register(c)
	srv := startExchange(t, e, smtptest.Options{})
	for _, tt := range []struct{ mode, words string }{
		{"7000274", "validity period"},
		{"7000277", "revoked"},
		{"7000214", "revoked"},
		{"1000502", "validity period"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			e.setMode(tt.mode)
			s, o := e.certSettings(srv, c)
			r := run(t, s, o)
			d := wantDiag(t, r, smtpauth.StepToken, "aadsts"+tt.mode, "smtp.oauth.client_certificate")
			if !strings.Contains(d.Summary, tt.words) || !strings.Contains(d.Summary+d.Remedy, smtpauth.Thumbprint(c.cert)) {
				t.Errorf("diagnosis:\n %s\n %s", d.Summary, d.Remedy)
			}
		})
	}
	// invalid_client without a code known here names the certificate,
	// not a secret that was never sent.
	t.Run("generic-invalid-client", func(t *testing.T) {
		entraErrors["50000"] = struct {
			status int
			err    string
			desc   string
		}{401, "invalid_client", "AADSTS50000: There was an error issuing a token (app %s)."}
		defer delete(entraErrors, "50000")
		e.setMode("50000")
		s, o := e.certSettings(srv, c)
		d := wantDiag(t, run(t, s, o), smtpauth.StepToken, "aadsts50000", "smtp.oauth.client_certificate")
		if strings.Contains(d.Summary+d.Remedy, "secret") {
			t.Errorf("diagnosis speaks of a secret:\n %s\n %s", d.Summary, d.Remedy)
		}
	})
}

// A certificate without its key (or the reverse), or with a secret too,
// cannot describe a check.
func TestCertificateSettingsMisuse(t *testing.T) {
	e := startEntra(t)
	c := newClientCert(t, "ecdsa")
	srv := startExchange(t, e, smtptest.Options{})
	for name, change := range map[string]func(*smtpauth.Settings){
		"no key":         func(s *smtpauth.Settings) { s.ClientKey = nil },
		"no certificate": func(s *smtpauth.Settings) { s.ClientCertificate = nil },
		"also a secret":  func(s *smtpauth.Settings) { s.ClientSecret = e.clientSecret },
	} {
		s, o := e.certSettings(srv, c)
		change(&s)
		if _, err := smtpauth.Check(context.Background(), s, o); !errors.Is(err, smtpauth.ErrInvalidSettings) {
			t.Errorf("%s: err = %v, want ErrInvalidSettings", name, err)
		}
	}
}
