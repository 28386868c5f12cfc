package wizard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sitecfg/config"
	"sitecfg/internal/testkit"
	"sitecfg/recovery"
)

// shownCodes are the recovery codes as the prompts listed them.
func shownCodes(t *testing.T, out string) []string {
	t.Helper()
	var codes []string
	for _, m := range regexp.MustCompile(`(?m)^\s+\d+\. ([0-9A-Z]{4}(?:-[0-9A-Z]{4})+)$`).FindAllStringSubmatch(out, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != recovery.DefaultCount {
		t.Fatalf("%d codes shown, want %d:\n%s", len(codes), recovery.DefaultCount, out)
	}
	return codes
}

// startLines runs RunLines in the background on a feed the test types
// into; wait returns its result.
func startLines(t *testing.T, ctx context.Context, f *feed, mod func(*LineOptions)) (scr *lineScreen, wait func() linesRun) {
	t.Helper()
	scr = &lineScreen{}
	o := LineOptions{In: f, Out: scr, InFD: -1, ConfigPath: filepath.Join(t.TempDir(), "site-config.yaml"), Check: (&fakeCheck{}).check}
	if mod != nil {
		mod(&o)
	}
	done := make(chan linesRun, 1)
	go func() {
		out, err := RunLines(ctx, o)
		done <- linesRun{out: out, err: err, path: o.ConfigPath}
	}()
	return scr, func() linesRun {
		r := <-done
		r.screen = scr.String()
		if s, _, err := config.Load(r.path); err == nil {
			r.site = s
		}
		return r
	}
}

func TestRunLinesSMTPOff(t *testing.T) {
	t.Parallel()
	codesPath := filepath.Join(t.TempDir(), "codes.txt")
	f := newFeed("n", "siteadmin", "Kq7#vLm2pX", "nope", "Kq7#vLm2pX", "SiteAdmin", "csupport", "Zr4$wNb8tY", "Zr4$wNb8tY", codesPath)
	scr, wait := startLines(t, context.Background(), f, nil)
	codes := shownCodes(t, scr.waitFor(t, "Type one of the codes back"))
	f.send("AAAA-BBBB")
	scr.waitFor(t, "That is not one of the codes")
	// Typed back without dashes, in lower case: still accepted.
	f.send(strings.ToLower(strings.ReplaceAll(codes[3], "-", "")), "")
	f.close()
	r := wait()
	if r.err != nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	for _, s := range []string{"passwords do not match", "the support username must differ from the admin username", "the recovery codes are saved"} {
		if !strings.Contains(r.screen, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	if r.out.Written.CodesFile != codesPath {
		t.Errorf("codes file = %q, want %q", r.out.Written.CodesFile, codesPath)
	}
	fi, err := os.Stat(codesPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("codes file: %v, mode %v", err, fi.Mode())
	}
	b, _ := os.ReadFile(codesPath)
	for _, c := range codes {
		if !strings.Contains(string(b), c) {
			t.Errorf("codes file lacks %s", c)
		}
	}
	u := r.site.Users
	if r.site.SMTP.Enabled || r.site.Emails != nil || u == nil || u.Admin.Username != "siteadmin" || u.Support.Username != "csupport" {
		t.Fatalf("site = %+v", r.site)
	}
	if len(u.Admin.RecoveryCodes) != recovery.DefaultCount {
		t.Fatalf("%d code hashes stored", len(u.Admin.RecoveryCodes))
	}
	if i, ok := recovery.Match(u.Admin.RecoveryCodes, codes[7]); !ok || i < 0 {
		t.Error("a shown code does not match the stored hashes")
	}
	if ok, _ := recovery.Verify(u.Admin.PasswordHash, "Kq7#vLm2pX"); !ok {
		t.Error("the admin password hash does not verify")
	}
	raw, _ := os.ReadFile(r.path)
	testkit.NoSecret(t, string(raw), append([]string{"Kq7#vLm2pX", "Zr4$wNb8tY"}, codes...)...)
}

// An existing codes file is only replaced when the operator says so.
func TestRunLinesCodesFileExists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, other := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
	if err := os.WriteFile(old, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFeed("n", "siteadmin", "Kq7#vLm2pX", "Kq7#vLm2pX", "csupport", "Zr4$wNb8tY", "Zr4$wNb8tY", old, "n", other)
	scr, wait := startLines(t, context.Background(), f, nil)
	codes := shownCodes(t, scr.waitFor(t, "Type one of the codes back"))
	f.send(codes[0], "")
	f.close()
	r := wait()
	if r.err != nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	if b, _ := os.ReadFile(old); string(b) != "keep me" {
		t.Error("the existing file was replaced without asking")
	}
	if r.out.Written.CodesFile != other {
		t.Errorf("codes file = %q, want %q", r.out.Written.CodesFile, other)
	}
}

// Input that ends while the codes are being typed back writes no config
// and leaves no codes file behind (no config would hold those codes).
func TestRunLinesCodesEOF(t *testing.T) {
	t.Parallel()
	codesPath := filepath.Join(t.TempDir(), "codes.txt")
	f := newFeed("n", "siteadmin", "Kq7#vLm2pX", "Kq7#vLm2pX", "csupport", "Zr4$wNb8tY", "Zr4$wNb8tY", codesPath)
	f.close()
	_, wait := startLines(t, context.Background(), f, nil)
	r := wait()
	if !errors.Is(r.err, ErrInputEnded) || !strings.Contains(r.err.Error(), "recovery code") {
		t.Fatalf("err = %v", r.err)
	}
	if r.site != nil {
		t.Error("a config was written")
	}
	if _, err := os.Stat(codesPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("codes file left behind: %v", err)
	}
}

// Ctrl+C while a prompt waits: ErrCancelled (and context.Canceled),
// nothing written.
func TestRunLinesCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFeed("y")
	scr, wait := startLines(t, ctx, f, nil)
	scr.waitFor(t, "UI admin email")
	cancel()
	r := wait()
	if !errors.Is(r.err, ErrCancelled) || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("err = %v", r.err)
	}
	if r.site != nil {
		t.Error("a config was written")
	}
	if _, err := os.Stat(r.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("config: %v", err)
	}
}

// Turning SMTP off from the review asks for everything that brings in —
// the accounts, the codes file, the codes typed back — and a re-run then
// keeps the stored passwords when they are left empty.
func TestRunLinesSwitchOffThenRerun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	codesPath := filepath.Join(dir, "codes.txt")
	f := newFeed(smtpOnAnswers("2525")...)
	f.send("smtp.enabled", "n", "siteadmin", "Kq7#vLm2pX", "Kq7#vLm2pX", "csupport", "Zr4$wNb8tY", "Zr4$wNb8tY", codesPath)
	scr, wait := startLines(t, context.Background(), f, nil)
	codes := shownCodes(t, scr.waitFor(t, "Type one of the codes back"))
	f.send(codes[0], "")
	f.close()
	r := wait()
	if r.err != nil || r.site == nil || r.site.SMTP.Enabled || r.site.Users == nil {
		t.Fatalf("err = %v, site %+v\n%s", r.err, r.site, r.screen)
	}
	hash := r.site.Users.Admin.PasswordHash

	// A re-run keeps the saved recovery codes unless asked for new ones,
	// and the review says which.
	f = newFeed("", "", "", "", "", "", "") // switch, user, password (kept), support user, password (kept), codes: keep, go on
	_, wait = startLines(t, context.Background(), f, func(o *LineOptions) { o.Prev, o.ConfigPath = r.site, r.path })
	f.close()
	r2 := wait()
	if r2.err != nil {
		t.Fatalf("re-run: %v\n%s", r2.err, r2.screen)
	}
	if !strings.Contains(r2.screen, "UI admin password (stored — press Enter to keep)") || strings.Contains(r2.screen, "Confirm the UI admin password") ||
		!strings.Contains(r2.screen, "Recovery codes: KEPT. The 10 saved codes") || strings.Contains(r2.screen, "Type one of the codes back") {
		t.Errorf("re-run prompts:\n%s", r2.screen)
	}
	if r2.site.Users.Admin.PasswordHash != hash {
		t.Error("the stored admin password hash was not kept")
	}
	if _, ok := recovery.Match(r2.site.Users.Admin.RecoveryCodes, codes[9]); !ok {
		t.Error("the saved codes stopped working on a re-run")
	}

	codes3 := filepath.Join(dir, "codes3.txt")
	f = newFeed("", "", "", "", "", "new", codes3)
	scr, wait = startLines(t, context.Background(), f, func(o *LineOptions) { o.Prev, o.ConfigPath = r2.site, r2.path })
	out := scr.waitFor(t, "Type one of the codes back")
	newCodes := shownCodes(t, out[strings.LastIndex(out, "Recovery codes for"):])
	f.send(newCodes[9], "")
	f.close()
	r3 := wait()
	if r3.err != nil {
		t.Fatalf("re-run with new codes: %v\n%s", r3.err, r3.screen)
	}
	if !strings.Contains(r3.screen, "Recovery codes: REPLACED") {
		t.Errorf("the review does not say the codes are replaced:\n%s", r3.screen)
	}
	if _, ok := recovery.Match(r3.site.Users.Admin.RecoveryCodes, newCodes[9]); !ok {
		t.Error("the new codes are not the stored ones")
	}
	if _, ok := recovery.Match(r3.site.Users.Admin.RecoveryCodes, codes[0]); ok {
		t.Error("an old code still works after regenerating")
	}
}
