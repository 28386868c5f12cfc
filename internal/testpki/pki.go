// Package testpki makes the certificates of a test run or a demo: a CA
// made for the run, server certificates it signs, self-signed ones. It
// does not import package testing, so the demo server can use it; tests
// use it through package testkit.
package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// CA is a certificate authority made for a test run (or a demo): it signs
// server certificates, and its PEM is what a client's ca_file holds.
type CA struct {
	// Cert is the CA's self-signed certificate; Key signs with it.
	Cert *x509.Certificate
	Key  crypto.Signer
	// PEM is Cert, PEM-encoded.
	PEM []byte
}

// NewCA makes a CA named commonName, valid from notBefore to notAfter,
// that can sign server certificates but no further CAs.
func NewCA(commonName string, notBefore, notAfter time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          Serial(),
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Pool is a certificate pool holding only the CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// WriteFile writes the CA's PEM to dir/name, mode 0644 (a CA certificate
// is public), and returns the path.
func (ca *CA) WriteFile(dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, ca.PEM, 0o644); err != nil {
		return "", fmt.Errorf("write CA certificate: %w", err)
	}
	return path, nil
}

// ServerCertOptions describe a server certificate. The zero value is a
// certificate for localhost, 127.0.0.1 and ::1, valid from an hour ago
// for 398 days.
type ServerCertOptions struct {
	// CommonName defaults to "localhost".
	CommonName string
	// DNSNames and IPs, both empty, mean localhost, 127.0.0.1 and ::1.
	DNSNames []string
	IPs      []net.IP
	// NotBefore defaults to an hour ago, NotAfter to 398 days from now
	// (far enough that no client warns of its expiry).
	NotBefore, NotAfter time.Time
}

// ServerCert makes a server certificate signed by the CA.
func (ca *CA) ServerCert(o ServerCertOptions) (tls.Certificate, error) {
	return serverCert(o, ca)
}

// SelfSignedServerCert makes a server certificate signed by its own key.
func SelfSignedServerCert(o ServerCertOptions) (tls.Certificate, error) {
	return serverCert(o, nil)
}

func serverCert(o ServerCertOptions, ca *CA) (tls.Certificate, error) {
	if o.CommonName == "" {
		o.CommonName = "localhost"
	}
	if len(o.DNSNames) == 0 && len(o.IPs) == 0 {
		o.DNSNames, o.IPs = []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().Add(398 * 24 * time.Hour)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: Serial(),
		Subject:      pkix.Name{CommonName: o.CommonName},
		DNSNames:     o.DNSNames,
		IPAddresses:  o.IPs,
		NotBefore:    o.NotBefore,
		NotAfter:     o.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	parent, signer := tmpl, crypto.Signer(key)
	if ca != nil {
		parent, signer = ca.Cert, ca.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// Serial is a random certificate serial number.
func Serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		// crypto/rand does not fail on supported platforms; a fixed serial
		// is harmless for a throwaway certificate anyway.
		return big.NewInt(1)
	}
	return n
}
