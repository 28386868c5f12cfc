package e2e

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Exit codes, as in the contract: the numbers an operator's script sees.
// The tests check the numbers themselves, not the program's constants.
const (
	exitOK      = 0
	exitInvalid = 3
	exitIO      = 5
	exitCancel  = 130
)

var (
	binDir    string // holds the built binary; removed by TestMain
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// TestMain raises -parallel when it is not given: these tests mostly wait
// on the processes they drive (prompts, tmux screens, mail servers), so
// more of them than there are CPUs can run at once. It removes the built
// binary at the end.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(max(4, 2*runtime.GOMAXPROCS(0))))
	}
	// The tests run each command in a folder of their own and mean the
	// config there: a relative SITECFG_CONFIG is taken from the command's
	// working directory (the default, /etc/sitecfg/site-config.yaml, is
	// tested by TestDefaultConfigPath, which unsets it).
	os.Setenv("SITECFG_CONFIG", "site-config.yaml")
	code := m.Run()
	for _, d := range []string{binDir, e2eBinDir} {
		if d != "" {
			os.RemoveAll(d)
		}
	}
	os.Exit(code)
}

// sitecfgBin builds the binary once per test run and returns its path:
// the tests drive the real program, as an operator or a script would.
func sitecfgBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "sitecfg-bin-")
		if buildErr != nil {
			return
		}
		builtBin = filepath.Join(binDir, "sitecfg")
		// The module's main package, from the module root.
		cmd := exec.Command("go", "build", "-o", builtBin, ".")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	e2eBinDir    string // holds the e2e build; removed by TestMain
	e2eBuildOnce sync.Once
	e2eBin       string
	e2eBuildErr  error
)

// sitecfgE2EBin is the binary built with -tags sitecfg_e2e: the shipped
// program plus one switch, SITECFG_E2E_EXCHANGE=HOST:PORT, that sends a
// live check of Exchange Online's hosts (which microsoft-delegated fixes)
// to a local stand-in, as sitecfg demo does in-process. A release is
// built without it (TestShippedBinaryHasNoExchangeSwitch).
func sitecfgE2EBin(t *testing.T) string {
	t.Helper()
	e2eBuildOnce.Do(func() {
		e2eBinDir, e2eBuildErr = os.MkdirTemp("", "sitecfg-e2e-bin-")
		if e2eBuildErr != nil {
			return
		}
		e2eBin = filepath.Join(e2eBinDir, "sitecfg")
		cmd := exec.Command("go", "build", "-tags", "sitecfg_e2e", "-o", e2eBin, ".")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			e2eBuildErr = errors.New("go build -tags sitecfg_e2e: " + err.Error() + "\n" + string(out))
		}
	})
	if e2eBuildErr != nil {
		t.Fatal(e2eBuildErr)
	}
	return e2eBin
}

var (
	versionOnce sync.Once
	binVersion  string
)

// sitecfgVersion is the version the built binary reports (`sitecfg
// version`'s first line, without "sitecfg "): what it writes in a
// config's written.by.
func sitecfgVersion(t *testing.T) string {
	t.Helper()
	versionOnce.Do(func() {
		r := runBin(t, t.TempDir(), nil, "", "version")
		first, _, _ := strings.Cut(r.stdout, "\n")
		binVersion, _ = strings.CutPrefix(first, "sitecfg ")
	})
	if binVersion == "" {
		t.Fatal("sitecfg version printed no version")
	}
	return binVersion
}

// testdata is the path of a file under the module's testdata folder.
func testdata(elem ...string) string {
	return filepath.Join(append([]string{"..", "testdata"}, elem...)...)
}

// slow skips a slow end-to-end test under -short, the inner loop, saying
// why it is slow; the full run (`go test ./...`, as CI runs it) runs it.
// Slow here: the wizard in tmux, and the runs that hash passwords or
// recovery codes (argon2id: an SMTP-off apply, recovery-codes,
// reset-password).
func slow(t *testing.T, why string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("slow end-to-end test (%s): skipped with -short", why)
	}
}

// runResult is what one run of the binary did.
type runResult struct {
	code           int
	stdout, stderr string
}

// runBin runs the binary in dir with extra environment variables and
// stdin.
func runBin(t *testing.T, dir string, env []string, stdin string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(sitecfgBin(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = bytes.NewBufferString(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("run %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return runResult{code, out.String(), errb.String()}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
