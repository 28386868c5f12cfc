package main

import (
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// initLine is one line of GODEBUG=inittrace=1: a package's initialisation,
// its clock time and what it allocated.
var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, ([0-9.]+) ms clock, (\d+) bytes, (\d+) allocs`)

// tuiPackages are the packages sitecfg links for its full-screen wizard
// alone: the wizard and what the Charm libraries bring (golang.org/x is
// shared with the rest of the program).
func tuiPackages(t *testing.T) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}",
		"charm.land/huh/v2", "charm.land/bubbletea/v2", "charm.land/lipgloss/v2", "sitecfg/wizard").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	// What the rest of sitecfg links is not the TUI's, even where the
	// wizard uses it too.
	own, err := exec.Command("go", "list", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	rest := []string{"list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}"}
	for _, p := range strings.Fields(string(own)) {
		if p != "sitecfg" && p != "sitecfg/wizard" {
			rest = append(rest, p)
		}
	}
	nonTUI, err := exec.Command("go", rest...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	shared := map[string]bool{}
	for _, p := range strings.Fields(string(nonTUI)) {
		shared[p] = true
	}
	tui := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		if !shared[p] && !strings.HasPrefix(p, "golang.org/x/") {
			tui[p] = true
		}
	}
	if !tui["charm.land/lipgloss/v2"] || !tui["sitecfg/wizard"] {
		t.Fatalf("the TUI's packages were not found: %v", tui)
	}
	return tui
}

// Issue 12: a command that draws no TUI does not pay for it. Go
// initialises every linked package before main, so the TUI libraries'
// initialisation must do no work: no table built, no map filled, no
// terminal or environment probed (third_party/ patches five libraries for
// this, and the wizard makes its styles on first use). Allocation counts
// are exact where clock times are not: a package that allocates at start-
// up does work there. A library upgrade that brings such work back, or a
// dropped replace line in go.mod, fails here.
func TestCommandsWithoutTUIDoNoTUIWorkAtStart(t *testing.T) {
	tui := tuiPackages(t)
	cmd := exec.Command(sitecfgBin(t), "version")
	// Only GODEBUG: the process's first environment lookup copies the
	// environment, and that copy (as big as the environment) is charged
	// to whichever package looks first.
	cmd.Env = []string{"GODEBUG=inittrace=1"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sitecfg version: %v\n%s", err, out)
	}
	// A package-level error value (errors.New) or a small switch-like map
	// is a few allocations and a few hundred bytes; a table is more.
	const maxAllocs, maxBytes = 6, 600
	var report []string
	seen := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil || !tui[m[1]] {
			continue
		}
		seen++
		bytes, _ := strconv.Atoi(m[3])
		allocs, _ := strconv.Atoi(m[4])
		report = append(report, line)
		if allocs > maxAllocs || bytes > maxBytes {
			t.Errorf("%s allocates %d times (%d bytes) while initialising: work a command without a TUI pays for", m[1], allocs, bytes)
		}
	}
	if seen == 0 {
		t.Fatalf("no TUI package in the init trace: is GODEBUG=inittrace=1 honoured?\n%s", out)
	}
	sort.Strings(report)
	t.Logf("TUI packages initialised by `sitecfg version`:\n%s", strings.Join(report, "\n"))
}
