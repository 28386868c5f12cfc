package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sitecfg/internal/atomicfile"
)

// Report kinds CheckReportOutput knows: what an earlier run of the same
// kind left at the path, and so may be replaced.
const (
	ReportMetrics = "metrics"
	ReportBundle  = "bundle"
)

// CheckReportOutput is CheckOutput for what `check` writes on its own
// (--metrics, --bundle), and stronger: never the config, its .bak, .lock,
// audit log or write intent (CheckOutput), a recovery-codes file or its
// hidden .pending/.replaced copy, the file ca_file names (site may be nil
// when the config could not be read), any file holding recovery codes, a
// site config, PEM or an audit log (precious), nor anything not a regular
// file. A symlink or hard link to one of them is refused as well.
//
// It also removes what a killed earlier write of out left behind (its
// temporary files, a minute old or more).
func CheckReportOutput(configPath, out, kind string, site *Site) error {
	if err := CheckOutput(configPath, out); err != nil {
		return err
	}
	atomicfile.RemoveStaleOlder(out, time.Minute)
	outReal, err := realAbs(out)
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	base := filepath.Base(outReal)
	if strings.HasPrefix(base, ".") && (strings.HasSuffix(base, ".pending") || strings.HasSuffix(base, ".replaced")) {
		return fmt.Errorf("%s is a recovery-codes file's staged copy: choose another output file", out)
	}
	fi, err := os.Stat(outReal)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	if site != nil && site.SMTP.CAFile != "" {
		if ca, err := os.Stat(site.SMTP.CAFile); err == nil && os.SameFile(ca, fi) {
			return fmt.Errorf("%s is the CA file the config trusts (smtp.ca_file): choose another output file", out)
		}
	}
	if fi.Size() == 0 {
		return nil
	}
	head, err := fileHead(outReal)
	if err != nil {
		return fmt.Errorf("%s: %v", out, unwrapPathError(err))
	}
	if what := precious(head); what != "" && !isReport(head, kind) {
		return fmt.Errorf("%s holds %s: it is not replaced; choose another output file", out, what)
	}
	return nil
}

// precious names what data, the start of a file, is when it is one of
// the files an output must never replace wherever it lies: a
// recovery-codes file (or a copy), a site config, certificates or keys,
// an audit log. "" for anything else.
func precious(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("Recovery codes for")):
		return "recovery codes"
	case bytes.HasPrefix(data, []byte("# Site configuration written by sitecfg")):
		return "a site config"
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return "certificates or keys (PEM)"
	case bytes.HasPrefix(data, []byte(`{"time":`)):
		return "an audit log"
	}
	return ""
}

// isReport reports whether data is what an earlier --metrics or --bundle
// wrote: a textfile of sitecfg's metrics, or a gzip stream.
func isReport(data []byte, kind string) bool {
	switch kind {
	case ReportMetrics:
		return bytes.HasPrefix(data, []byte("# HELP sitecfg_"))
	case ReportBundle:
		return bytes.HasPrefix(data, []byte{0x1f, 0x8b})
	}
	return false
}

// fileHead is the first bytes of the regular file at path (opened
// non-blocking: a FIFO swapped in is not waited on).
func fileHead(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return io.ReadAll(io.LimitReader(f, 64))
}
