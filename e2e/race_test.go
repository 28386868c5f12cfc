package e2e

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/config"
	"sitecfg/recovery"
	"sitecfg/wizard"
)

// heldProxy forwards connections to target, but only once release is
// closed; connected reports each connection as it arrives. It makes a
// live check as slow as a test needs, deterministically.
func heldProxy(t *testing.T, target string) (port int, connected <-chan struct{}, release chan<- struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conn, rel := make(chan struct{}, 8), make(chan struct{})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conn <- struct{}{}
			go func() {
				defer c.Close()
				<-rel
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, c)
				io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, conn, rel
}

// An apply whose live check is slow must not roll back what other runs
// wrote meanwhile: recovery-codes and reset-password change the config
// while apply waits on the server; apply then refuses to write (exit 5)
// and the new codes and the new password stand.
func TestSlowApplyDoesNotRollBackConcurrentChanges(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, oldCodes := setupLocalUsers(t)
	srv, err := wizard.StartDemoServer(wizard.DemoServerOptions{Dir: t.TempDir(), Username: "alerts@example.com", Password: "Relay-Pass-1x"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	port, connected, release := heldProxy(t, srv.Addr)
	answers := filepath.Join(dir, "smtp-on.yaml")
	os.WriteFile(answers, []byte(fmt.Sprintf(`version: 1
smtp:
  enabled: true
  auth: basic
  server: 127.0.0.1
  port: %d
  security: starttls
  ca_file: %s
  username: alerts@example.com
  password: Relay-Pass-1x
  from: alerts@example.com
emails:
  ui_admin: admin@example.com
  ui_support: support@example.com
  admiral_alerts: health@example.com
`, port, srv.CAFile)), 0o600)

	applied := make(chan runResult, 1)
	go func() { applied <- runBin(t, dir, nil, "", "apply", "--answers", answers, "--config", path) }()
	<-connected // apply has read the config and is in its live check

	newCodesFile := filepath.Join(dir, "new-codes.txt")
	if r := runBin(t, dir, nil, "", "recovery-codes", "--user", "siteadmin", "--out", newCodesFile, "--config", path); r.code != 0 {
		t.Fatalf("recovery-codes: %d\n%s", r.code, r.stderr)
	}
	newCodes := readCodes(t, newCodesFile)
	const newPw = "Fresh-Passw0rd-x9"
	if r := runBin(t, dir, nil, newCodes[0]+"\n"+newPw+"\n"+newPw+"\n", "reset-password", "--user", "siteadmin", "--config", path); r.code != 0 {
		t.Fatalf("reset-password: %d\n%s", r.code, r.stderr)
	}
	close(release)
	r := <-applied
	if r.code != exitIO || !strings.Contains(r.stderr, "changed since") {
		t.Errorf("apply over a config changed under it: exit %d, want %d with \"changed since\"\n%s%s", r.code, exitIO, r.stdout, r.stderr)
	}

	site, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := site.Account("siteadmin")
	if admin == nil {
		t.Fatal("the admin account is gone")
	}
	if ok, _ := recovery.Verify(admin.PasswordHash, newPw); !ok {
		t.Error("the password reset during the apply was rolled back")
	}
	if _, ok := recovery.Match(admin.RecoveryCodes, oldCodes[1]); ok {
		t.Error("a revoked recovery code works again")
	}
	if _, ok := recovery.Match(admin.RecoveryCodes, newCodes[1]); !ok {
		t.Error("the regenerated recovery codes were rolled back")
	}
}
