package smtpauth

import (
	"crypto/rsa"
	"fmt"
	"time"
)

// fieldCertificate is the answers-file field of the client certificate.
const fieldCertificate = "smtp.oauth.client_certificate"

// diagnoseCertificateError explains the Entra codes about a client
// assertion and the certificate behind it, filling d. It reports false for
// codes it does not know. The thumbprint in the remedies is the one the
// Entra admin center lists, so the operator can compare the two.
func diagnoseCertificateError(s Settings, d *Diagnosis, code int) bool {
	thumb := "(no certificate)"
	if s.ClientCertificate != nil {
		thumb = Thumbprint(s.ClientCertificate)
	}
	roll := "create a new certificate, upload its public part (.cer/.pem, without the key) under App registrations → the app → " +
		"Certificates & secrets → Certificates, point smtp.oauth.client_certificate at the new PEM file and run the check again"
	switch code {
	case 700027:
		d.Field = fieldCertificate
		d.Summary = fmt.Sprintf("Entra could not validate the client assertion (AADSTS700027): the certificate with thumbprint %s "+
			"is not registered on app %s, or the one registered has expired", thumb, orUnknown(s.ClientID))
		d.Remedy = "upload the certificate's public part (.cer/.pem, never the private key) under App registrations → the app → " +
			"Certificates & secrets → Certificates → Upload certificate, and check that the thumbprint listed there is " + thumb
		if s.ClientKey != nil {
			if _, isRSA := s.ClientKey.Public().(*rsa.PublicKey); !isRSA {
				d.Remedy += "; this certificate has an ECDSA key, and Entra refuses ECDSA client assertions: use an RSA certificate"
			}
		}
	case 700024:
		d.Field = ""
		d.Summary = "the client assertion is not within its valid time range (AADSTS700024): this machine's clock is probably off"
		d.Remedy = fmt.Sprintf("set this machine's clock right (timedatectl set-ntp true, or your NTP service); it read %s UTC, "+
			"and each assertion is valid for %s from then", time.Now().UTC().Format(time.DateTime), AssertionLifetime)
	case 7000274, 1000502:
		d.Field = fieldCertificate
		d.Summary = fmt.Sprintf("Entra refused the certificate with thumbprint %s (AADSTS%d): it is outside its validity period, or does not match the one registered", thumb, code)
		d.Remedy = "check the certificate's dates (openssl x509 -noout -dates -in FILE) and that the certificate uploaded to the app has thumbprint " + thumb + "; if it has expired, " + roll
	case 7000214, 7000277:
		d.Field = fieldCertificate
		d.Summary = fmt.Sprintf("the certificate with thumbprint %s has been revoked (AADSTS%d)", thumb, code)
		d.Remedy = roll + ", then remove the revoked certificate from the app"
	case 700023:
		// Entra's table reads 700023 as a resourceless scope; only a
		// client assertion makes it an audience problem.
		if s.ClientKey == nil {
			return false
		}
		d.Field = "smtp.oauth.tenant_id"
		d.Summary = "the client assertion's audience does not match the tenant's token endpoint (AADSTS700023)"
		d.Remedy = "check the tenant ID and the cloud: the assertion is made for " + s.TokenURL
	default:
		return false
	}
	return true
}

// credentialName is what proves the client: "secret" or "assertion".
func credentialName(s Settings) string {
	if s.ClientKey != nil {
		return "assertion"
	}
	return "secret"
}
