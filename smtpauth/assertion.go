package smtpauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// JWTBearerAssertionType is the client_assertion_type of a JWT client
// assertion (RFC 7523 section 2.2).
const JWTBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AssertionLifetime is how long a client assertion is valid. Each token
// request gets a fresh one, so it only has to outlive the request; Entra
// takes at most ten minutes of clock difference from it.
const AssertionLifetime = 10 * time.Minute

// clientAssertion signs the JWT that proves the client holds the
// certificate's key: iss = sub = the client ID, aud = the token URL, a
// unique jti, and a short life. The header names the certificate by its
// SHA-256 thumbprint (x5t#S256) and, for identity providers that only know
// the older one, its SHA-1 thumbprint (x5t).
func clientAssertion(s Settings, now time.Time) (string, error) {
	alg, hash, err := signingAlgorithm(s.ClientKey)
	if err != nil {
		return "", err
	}
	der := s.ClientCertificate.Raw
	s1, s256 := sha1.Sum(der), sha256.Sum256(der)
	header := map[string]string{
		"alg":      alg,
		"typ":      "JWT",
		"x5t":      base64.RawURLEncoding.EncodeToString(s1[:]),
		"x5t#S256": base64.RawURLEncoding.EncodeToString(s256[:]),
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	claims := map[string]any{
		"aud": s.TokenURL,
		"iss": s.ClientID,
		"sub": s.ClientID,
		"jti": hex.EncodeToString(jti),
		"nbf": now.Unix(),
		"iat": now.Unix(),
		"exp": now.Add(AssertionLifetime).Unix(),
	}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	sig, err := sign(s.ClientKey, hash, []byte(signing))
	if err != nil {
		return "", fmt.Errorf("sign the client assertion: %w", err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// signingAlgorithm picks the JWS algorithm for the key.
func signingAlgorithm(key crypto.Signer) (string, crypto.Hash, error) {
	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		return "RS256", crypto.SHA256, nil
	case *ecdsa.PublicKey:
		switch pub.Curve.Params().BitSize {
		case 256:
			return "ES256", crypto.SHA256, nil
		case 384:
			return "ES384", crypto.SHA384, nil
		case 521:
			return "ES512", crypto.SHA512, nil
		}
		return "", 0, fmt.Errorf("unsupported ECDSA curve %s", pub.Curve.Params().Name)
	}
	return "", 0, fmt.Errorf("unsupported client key type %T: use RSA or ECDSA", key.Public())
}

// sign signs data with any crypto.Signer (a key in memory or in a token),
// returning the signature in JWS form: PKCS #1 v1.5 for RSA, and for ECDSA
// the fixed-width r||s rather than the ASN.1 that Signer gives.
func sign(key crypto.Signer, hash crypto.Hash, data []byte) ([]byte, error) {
	var digest []byte
	switch hash {
	case crypto.SHA256:
		d := sha256.Sum256(data)
		digest = d[:]
	case crypto.SHA384:
		d := sha512.Sum384(data)
		digest = d[:]
	case crypto.SHA512:
		d := sha512.Sum512(data)
		digest = d[:]
	}
	sig, err := key.Sign(rand.Reader, digest, hash)
	if err != nil {
		return nil, err
	}
	pub, ok := key.Public().(*ecdsa.PublicKey)
	if !ok {
		return sig, nil
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &rs); err != nil {
		return nil, errors.New("the key returned an ECDSA signature that is not ASN.1")
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}

// Thumbprint is the certificate's SHA-1 thumbprint in the form the Entra
// admin center lists under Certificates & secrets (upper-case hex).
func Thumbprint(cert *x509.Certificate) string {
	sum := sha1.Sum(cert.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
