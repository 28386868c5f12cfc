//go:build !js && !appengine

package runewidth

import (
	"os"
	"os/exec"
	"sync"
	"testing"
)

// lutAtInit and joinerBitsAtInit are whether the low region of
// strictWidthLUT and the joiner bitmap were filled before any test ran.
var lutAtInit, joinerBitsAtInit bool

func TestMain(m *testing.M) {
	lutAtInit = strictWidthLUTLimit.Load() != 0
	for i := 0; i < 0x300; i++ {
		if strictWidthLUT[0][i] != 0 || strictWidthLUT[1][i] != 0 {
			lutAtInit = true
		}
	}
	for _, b := range joinerBits {
		if b != 0 {
			joinerBitsAtInit = true
		}
	}
	os.Exit(m.Run())
}

// The sitecfg patch: linking the package fills neither table; the first
// lookups fill them and get upstream's widths. The lookups run in
// parallel, so that -race checks them against the lazy fills.
func TestTablesFilledOnFirstUse(t *testing.T) {
	if lutAtInit {
		t.Error("strictWidthLUT was filled during package initialisation")
	}
	if joinerBitsAtInit {
		t.Error("joinerBits was filled during package initialisation")
	}
	ea := &Condition{EastAsianWidth: true, StrictEmojiNeutral: true}
	cases := []struct {
		s         string
		want, ea  int
		firstRune rune
	}{
		{"hello", 5, 5, 'h'},
		{"\u00ad", 0, 0, 0xAD}, // soft hyphen: zero width, below 0x300
		{"±", 1, 2, '±'},       // ambiguous, below 0x300
		{"世界", 4, 4, '世'},
		{"e\u0301", 1, 1, 'e'},                // combining acute accent
		{"\u0301", 0, 0, 0x301},               // the accent alone
		{"👨\u200d👩\u200d👧\u200d👦", 2, 2, '👨'}, // ZWJ family
		{"a☕\u200d☕b", 4, 4, 'a'},             // ZWJ sequence in the BMP: joinerBits' range
		{"\u1100\u1100\u1161", 2, 2, 0x1100},  // one Hangul syllable of jamo
	}
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := StringWidth(c.s); got != c.want {
				t.Errorf("StringWidth(%+q) = %d, want %d", c.s, got, c.want)
			}
			if got := ea.StringWidth(c.s); got != c.ea {
				t.Errorf("East Asian StringWidth(%+q) = %d, want %d", c.s, got, c.ea)
			}
			if got, want := RuneWidth(c.firstRune), runeWidthNoLUT(c.firstRune, false, true); got != want {
				t.Errorf("RuneWidth(%U) = %d, want %d", c.firstRune, got, want)
			}
		}()
	}
	wg.Wait()
	if got := strictWidthLUTLimit.Load(); got != 0x110000 {
		t.Errorf("strictWidthLUTLimit = %#x after lookups above 0x300, want 0x110000", got)
	}
}

// A program that only measures runes below 0x300 fills just the low
// region of strictWidthLUT and joinerBits, as upstream's init did, and
// never builds the 2 MB table; isJoiner gives the same answers before
// joinerBits is filled as after. In a child process: the tables are filled
// once per process.
func TestLowRunesFillOnlyLowRegion(t *testing.T) {
	if os.Getenv("RUNEWIDTH_LAZY_CHILD") == "1" {
		if got := strictWidthLUTLimit.Load(); got != 0 {
			t.Fatalf("strictWidthLUTLimit = %#x before any lookup, want 0", got)
		}
		var before [0x10000]bool
		for r := range before {
			before[r] = isJoiner(rune(r))
		}
		if got := StringWidth("héllo, wörld\t±"); got != 13 {
			t.Fatalf("StringWidth = %d, want 13", got)
		}
		if got := strictWidthLUTLimit.Load(); got != 0x300 {
			t.Fatalf("strictWidthLUTLimit = %#x, want 0x300", got)
		}
		for r, want := range before {
			if got := isJoiner(rune(r)); got != want {
				t.Fatalf("isJoiner(%U) = %v from joinerBits, %v before it was filled", r, got, want)
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLowRunesFillOnlyLowRegion$")
	cmd.Env = append(os.Environ(), "RUNEWIDTH_LAZY_CHILD=1", "RUNEWIDTH_EASTASIAN=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
