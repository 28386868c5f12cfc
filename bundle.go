package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// bundleFile is one file of a support bundle.
type bundleFile struct {
	name string
	data []byte
}

// writeBundle writes a support bundle (tar.gz, mode 0600) for a support
// ticket: the tool version, the config with every secret removed, the
// check transcript (already redacted by smtpauth), the diagnoses and basic
// facts about this machine. It holds no secret, token, password hash or
// recovery-code hash: the config goes through the same export that prints
// ${ENV} references instead of secrets.
func writeBundle(path string, site *config.Site, report *smtpauth.Report, problems config.Problems, now time.Time) error {
	var files []bundleFile
	add := func(name string, data []byte) { files = append(files, bundleFile{name, data}) }

	add("README.txt", []byte("sitecfg support bundle, made "+now.UTC().Format(time.RFC3339)+
		".\nSecrets are removed: the config shows ${ENV} references instead, and the\nSMTP transcript shows <redacted> for every credential and token.\n"))
	add("version.txt", []byte(fmt.Sprintf("sitecfg %s\n%s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)))
	if site != nil {
		exported, err := config.Export(site)
		if err != nil {
			return err
		}
		add("config-redacted.yaml", exported)
	}
	if report != nil {
		j, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		add("check.json", j)
		add("transcript.txt", []byte(strings.Join(report.Transcript, "\n")+"\n"))
		var d bytes.Buffer
		printReport(&d, report)
		add("diagnosis.txt", d.Bytes())
	}
	if len(problems) > 0 {
		var p bytes.Buffer
		printProblems(&p, "", problems)
		add("problems.txt", p.Bytes())
	}
	add("environment.txt", environmentFacts(now))

	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		hdr := &tar.Header{Name: "sitecfg-bundle/" + f.name, Mode: 0o600, Size: int64(len(f.data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return config.WriteAtomic(path, buf.Bytes())
}

// environmentFacts lists facts that help support without exposing
// secrets: proxy variables are reported as set or not, never their values
// (they can hold credentials).
func environmentFacts(now time.Time) []byte {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "time: %s\n", now.Format(time.RFC3339))
	fmt.Fprintf(&b, "hostname: %s\n", host)
	fmt.Fprintf(&b, "os/arch: %s/%s, %d CPUs\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if b2, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b2), "\n") {
			if strings.HasPrefix(l, "PRETTY_NAME=") {
				fmt.Fprintf(&b, "os: %s\n", strings.Trim(strings.TrimPrefix(l, "PRETTY_NAME="), `"`))
			}
		}
	}
	for _, v := range []string{"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
		if _, ok := os.LookupEnv(v); ok {
			fmt.Fprintf(&b, "%s: set\n", v)
		}
	}
	if r, err := os.ReadFile("/etc/resolv.conf"); err == nil {
		for _, l := range strings.Split(string(r), "\n") {
			if strings.HasPrefix(l, "nameserver") {
				fmt.Fprintf(&b, "%s\n", l)
			}
		}
	}
	return []byte(b.String())
}
