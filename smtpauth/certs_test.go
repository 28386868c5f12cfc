package smtpauth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testPKI is a throwaway CA and the server certificates the tests need,
// generated once per test binary (no certificate files in the tree).
type testPKI struct {
	caPEM      []byte
	pool       *x509.CertPool
	good       tls.Certificate // for 127.0.0.1 and localhost, signed by the CA
	expired    tls.Certificate // signed by the CA, expired yesterday
	wrongHost  tls.Certificate // signed by the CA, for mail.example.org only
	selfSigned tls.Certificate // for 127.0.0.1, signed by itself
}

var (
	pkiOnce sync.Once
	pki     *testPKI
	pkiErr  error
)

func getPKI(t *testing.T) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki, pkiErr = newPKI() })
	if pkiErr != nil {
		t.Fatal(pkiErr)
	}
	return pki
}

// caFile writes the CA certificate to a file for Settings.CAFile.
func (p *testPKI) caFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, p.caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newPKI() (*testPKI, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sitecfg test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	p := &testPKI{caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)

	leaf := func(serial int64, cn string, dns []string, ips []net.IP, from, to time.Time, self bool) (tls.Certificate, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			DNSNames:     dns,
			IPAddresses:  ips,
			NotBefore:    from,
			NotAfter:     to,
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		parent, signer := ca, any(caKey)
		if self {
			parent, signer = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
		if err != nil {
			return tls.Certificate{}, err
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
	}
	local := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	if p.good, err = leaf(2, "localhost", []string{"localhost"}, local, now.Add(-time.Hour), now.Add(20*24*time.Hour), false); err != nil {
		return nil, err
	}
	if p.expired, err = leaf(3, "localhost", []string{"localhost"}, local, now.Add(-48*time.Hour), now.Add(-24*time.Hour), false); err != nil {
		return nil, err
	}
	if p.wrongHost, err = leaf(4, "mail.example.org", []string{"mail.example.org"}, nil, now.Add(-time.Hour), now.Add(20*24*time.Hour), false); err != nil {
		return nil, err
	}
	if p.selfSigned, err = leaf(5, "localhost", []string{"localhost"}, local, now.Add(-time.Hour), now.Add(20*24*time.Hour), true); err != nil {
		return nil, err
	}
	return p, nil
}
