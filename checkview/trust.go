package checkview

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"

	"sitecfg/smtpauth"
)

// Trust is the offer to trust a server certificate no known authority
// vouches for (a self-signed relay, a private CA): the chain the server
// presented and the certificate that would become the extra trust anchor,
// with its SHA-256 fingerprint for the operator to compare. There is no
// way to skip verification: trusting means saving this certificate and
// naming it in smtp.ca_file.
type Trust struct {
	// Chain describes the presented certificates, leaf first.
	Chain []CertInfo
	// Anchor is the certificate to trust: the highest CA certificate the
	// server sent that really issued its chain (anchorOf), else the
	// server's own certificate, pinned (PinsLeaf).
	Anchor *x509.Certificate
	// PinsLeaf says the anchor is the server's own certificate: trusting
	// it pins that one certificate, which stops working when the server's
	// certificate is renewed or expires (AnchorLines).
	PinsLeaf bool
}

// anchorOf picks what to trust in a presented chain, leaf first: walking
// up from the leaf, each next certificate must be a CA whose key signed
// the one below; the highest such CA is the anchor (a server's own CA
// outlives its renewals). Certificates that do not chain — junk a server
// appends — are never trusted. With no CA the leaf itself is pinned.
func anchorOf(chain []*x509.Certificate) *x509.Certificate {
	anchor := chain[0]
	for _, c := range chain[1:] {
		if !c.IsCA || !c.BasicConstraintsValid || anchor.CheckSignatureFrom(c) != nil {
			break
		}
		anchor = c
	}
	return anchor
}

// AnchorLines say what trusting the anchor means: the CA that issued
// the server's certificate (renewals keep working), or the server's own
// certificate pinned, with the date it stops working.
func (t *Trust) AnchorLines() []string {
	expires := t.Anchor.NotAfter.UTC().Format("2006-01-02")
	if t.PinsLeaf {
		return []string{"This is the server's own certificate: trusting it pins it. It stops working when the server's",
			"certificate is renewed, and on " + expires + " when it expires."}
	}
	return []string{"This is the CA that issued the server's certificate (" + oneLine(t.Anchor.Subject.String(), maxField) + "), valid until " + expires + ":",
		"the server's renewed certificates from the same CA keep working."}
}

// CertInfo is one certificate of a chain as shown.
type CertInfo struct {
	Subject, Issuer string
	// Valid is "2026-01-01 to 2027-02-03".
	Valid string
	// Names are the host names and addresses it is valid for.
	Names []string
}

// NewTrust is the offer for d, or nil when d is not about a certificate
// that could be trusted.
func NewTrust(d *smtpauth.Diagnosis) *Trust {
	if d == nil || len(d.Chain) == 0 || (d.Code != smtpauth.CodeCertSelfSigned && d.Code != smtpauth.CodeCertUntrusted) {
		return nil
	}
	t := &Trust{Anchor: anchorOf(d.Chain)}
	t.PinsLeaf = t.Anchor == d.Chain[0]
	for _, c := range d.Chain {
		info := CertInfo{Subject: oneLine(c.Subject.String(), maxField), Issuer: oneLine(c.Issuer.String(), maxField),
			Valid: c.NotBefore.UTC().Format("2006-01-02") + " to " + c.NotAfter.UTC().Format("2006-01-02")}
		info.Names = append(info.Names, c.DNSNames...)
		for _, ip := range c.IPAddresses {
			info.Names = append(info.Names, ip.String())
		}
		for i := range info.Names {
			info.Names[i] = oneLine(info.Names[i], maxName)
		}
		t.Chain = append(t.Chain, info)
	}
	return t
}

// The longest a certificate's field is shown, in characters, and how
// many of its names: the rest is summarised, so that a certificate cannot
// push the fingerprint or the keys off the screen.
const (
	maxField = 100
	maxName  = 64
	maxNames = 4
)

// oneLine is text a server supplied, shown as one line: what Printable
// escapes, and newlines and tabs too (\n, \t), so that a certificate's
// name cannot draw lines of its own (a fake fingerprint); cut after max
// characters.
func oneLine(s string, max int) string {
	s = strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(smtpauth.Printable(s))
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + fmt.Sprintf("… (%d characters)", len(r))
	}
	return s
}

// names is the list of names, the first maxNames of them and how many
// more.
func names(ns []string) string {
	if len(ns) <= maxNames {
		return strings.Join(ns, ", ")
	}
	return strings.Join(ns[:maxNames], ", ") + fmt.Sprintf(" and %d more", len(ns)-maxNames)
}

// Fingerprint is the anchor's SHA-256 fingerprint as openssl prints it
// (upper-case hex bytes joined by colons).
func (t *Trust) Fingerprint() string { return Fingerprint(t.Anchor) }

// FingerprintLines is the fingerprint in two halves of 16 bytes, to fit
// an 80-column screen and to read aloud.
func (t *Trust) FingerprintLines() []string {
	f := t.Fingerprint()
	return []string{f[:47], f[48:]}
}

// Fingerprint is c's SHA-256 fingerprint, upper-case hex bytes joined by
// colons, as `openssl x509 -noout -fingerprint -sha256` prints it.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// PEM is the anchor as a PEM file, what smtp.ca_file will name.
func (t *Trust) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: t.Anchor.Raw})
}

// Lines describe the chain, one certificate after another, for every
// front end; the leaf is "the server's certificate". Every field is one
// line of its own, escaped (oneLine); long lists of names are summarised.
// Front ends show the fingerprint before these lines.
func (t *Trust) Lines() []string {
	var out []string
	for i, c := range t.Chain {
		who := "the server's certificate"
		if i > 0 {
			who = fmt.Sprintf("certificate %d of the chain", i+1)
		}
		out = append(out, fmt.Sprintf("%d. %s: %s", i+1, who, c.Subject))
		if c.Issuer != c.Subject {
			out = append(out, "   issued by "+c.Issuer)
		} else {
			out = append(out, "   self-signed")
		}
		line := "   valid " + c.Valid
		if len(c.Names) > 0 {
			line += ", for " + names(c.Names)
		}
		out = append(out, line)
	}
	return out
}

// CompareHint tells the operator how to get the fingerprint to compare
// with, from a source other than this connection.
const CompareHint = "Compare it with the fingerprint the mail server's administrator gives you " +
	"(on the server: openssl x509 -noout -fingerprint -sha256 -in CERT.pem). " +
	"Only trust it if they match: anyone between this host and the server can present a certificate of their own."
