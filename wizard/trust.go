package wizard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sitecfg/checkview"
	"sitecfg/internal/atomicfile"
)

// TrustFile is where a server certificate the operator chose to trust is
// saved: next to the config, named after it ("site-config-smtp-ca.pem"),
// as an absolute path so that smtp.ca_file means the same from any
// working directory.
func TrustFile(configPath string) string {
	abs, err := filepath.Abs(configPath)
	if err != nil {
		abs = configPath
	}
	return trustFileIn(abs)
}

// trustFileIn is TrustFile for an absolute config path.
func trustFileIn(abs string) string {
	base := strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	return filepath.Join(filepath.Dir(abs), base+"-smtp-ca.pem")
}

// saveTrust writes t's certificate to TrustFile(configPath), atomically,
// mode 0644 (a certificate is public), and returns the path.
func saveTrust(configPath string, t *checkview.Trust) (string, error) {
	return saveTrustAt(TrustFile(configPath), t)
}

// saveTrustAt writes t's certificate to path (see saveTrust).
func saveTrustAt(path string, t *checkview.Trust) (string, error) {
	if err := atomicfile.Write(path, t.PEM()); err != nil {
		return "", err
	}
	if err := os.Chmod(path, 0o644); err != nil {
		return "", fmt.Errorf("chmod %s: %w", path, err)
	}
	return path, nil
}
