//go:build linux

package termios

import (
	"os"
	"sync"
	"syscall"
	"testing"
)

// builtAtInit is whether any of the option maps existed before any test
// ran.
var builtAtInit bool

func TestMain(m *testing.M) {
	builtAtInit = allCcOpts != nil || allInputOpts != nil || allOutputOpts != nil ||
		allControlOpts != nil || allLineOpts != nil
	os.Exit(m.Run())
}

// The sitecfg patch: linking the package builds no map; the first
// SetTermios builds them, Linux's options included, and applies them. The
// calls run in parallel, so that -race checks them against the build.
func TestOptsBuiltOnFirstUse(t *testing.T) {
	if builtAtInit {
		t.Fatal("the option maps were built during package initialisation")
	}
	p, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	fd := int(p.Fd())
	term, err := GetTermios(fd)
	if err != nil {
		t.Fatal(err)
	}
	ispeed, ospeed := getSpeed(term)

	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := SetTermios(fd, ispeed, ospeed,
				map[CC]uint8{ERASE: 8, SWTCH: 26},
				map[I]bool{IUCLC: true, ICRNL: false},
				map[O]bool{OLCUC: true},
				map[C]bool{CS8: true},
				map[L]bool{IUTF8: true, XCASE: true, ECHO: false})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	// Upstream's maps: the literals plus the five entries its Linux init
	// function added.
	if n := len(allCcOpts); n != 15 {
		t.Errorf("allCcOpts has %d entries, want 15", n)
	}
	if n := len(allInputOpts); n != 12 {
		t.Errorf("allInputOpts has %d entries, want 12", n)
	}
	if n := len(allOutputOpts); n != 6 {
		t.Errorf("allOutputOpts has %d entries, want 6", n)
	}
	if n := len(allControlOpts); n != 4 {
		t.Errorf("allControlOpts has %d entries, want 4", n)
	}
	if n := len(allLineOpts); n != 14 {
		t.Errorf("allLineOpts has %d entries, want 14", n)
	}

	term, err = GetTermios(fd)
	if err != nil {
		t.Fatal(err)
	}
	if v := term.Cc[syscall.VERASE]; v != 8 {
		t.Errorf("Cc[VERASE] = %d, want 8", v)
	}
	if v := term.Cc[syscall.VSWTC]; v != 26 {
		t.Errorf("Cc[VSWTC] = %d, want 26", v)
	}
	if term.Iflag&syscall.IUCLC == 0 || term.Iflag&syscall.ICRNL != 0 {
		t.Errorf("Iflag = %#o, want IUCLC set and ICRNL clear", term.Iflag)
	}
	if term.Oflag&syscall.OLCUC == 0 {
		t.Errorf("Oflag = %#o, want OLCUC set", term.Oflag)
	}
	if term.Cflag&syscall.CS8 != syscall.CS8 {
		t.Errorf("Cflag = %#o, want CS8 set", term.Cflag)
	}
	if term.Lflag&syscall.IUTF8 == 0 || term.Lflag&syscall.XCASE == 0 || term.Lflag&syscall.ECHO != 0 {
		t.Errorf("Lflag = %#o, want IUTF8 and XCASE set, ECHO clear", term.Lflag)
	}
}
