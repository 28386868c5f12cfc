package ansi

import (
	"os"
	"testing"
)

// filledAtInit is whether the zero-width tables were filled before any
// test ran.
var filledAtInit bool

func TestMain(m *testing.M) {
	filledAtInit = zeroWidthHigh != nil || zeroWidthBMP != [len(zeroWidthBMP)]uint64{}
	os.Exit(m.Run())
}

// The sitecfg patch: linking the package fills no table; the first width
// lookup past ASCII does, and combining marks and format characters
// still take no column.
func TestZeroWidthTablesFilledOnFirstUse(t *testing.T) {
	if filledAtInit {
		t.Fatal("the zero-width tables were filled during package initialisation")
	}
	for s, want := range map[string]int{
		"abc":          3,
		"e\u0301":      1, // e + COMBINING ACUTE ACCENT
		"a\u200db":     2, // ZERO WIDTH JOINER (Cf)
		"x\U000E0001y": 2, // LANGUAGE TAG (Cf, above the BMP)
		"\u4e2d":       2, // CJK ideograph
	} {
		if got := WcWidth.StringWidth(s); got != want {
			t.Errorf("WcWidth.StringWidth(%q) = %d, want %d", s, got, want)
		}
	}
	if zeroWidthHigh == nil {
		t.Error("the lookups did not fill the zero-width tables")
	}
}
