package wizard

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sitecfg/checkview"
	"sitecfg/internal/atomicfile"
	"sitecfg/internal/fileread"
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

// saveTrustAt writes t's certificate to path (see saveTrust). A file
// already there — perhaps the CA file in use — is never replaced: the
// certificates it holds are kept and this one is added after them (once).
// A symbolic link, or a file holding no certificate, is refused. The mode
// is set on the temporary file, before the rename: nothing is followed.
func saveTrustAt(path string, t *checkview.Trust) (string, error) {
	data := t.PEM()
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.Mode()&os.ModeSymlink != 0:
		return "", fmt.Errorf("%s is a symbolic link: not followed; move it away first", path)
	case err == nil && !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s is not a regular file: move it away first", path)
	case err == nil:
		old, err := fileread.Regular(path, fileread.PEM)
		if err != nil {
			return "", err
		}
		if !bytes.Contains(old, []byte("-----BEGIN CERTIFICATE-----")) {
			return "", fmt.Errorf("%s exists and holds no certificate: not replaced; move it away first", path)
		}
		if bytes.Contains(old, data) {
			return path, nil
		}
		if !bytes.HasSuffix(old, []byte("\n")) {
			old = append(old, '\n')
		}
		data = append(old, data...)
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	if err := atomicfile.WriteMode(path, data, 0o644); err != nil {
		return "", err
	}
	return path, nil
}
