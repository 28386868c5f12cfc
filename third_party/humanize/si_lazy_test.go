package humanize

import (
	"os"
	"testing"
)

// compiledAtInit is whether ParseSI's pattern or prefix table existed
// before any test ran.
var compiledAtInit bool

func TestMain(m *testing.M) {
	compiledAtInit = riParseRegex != nil || revSIPrefixTable != nil
	os.Exit(m.Run())
}

// The sitecfg patch: linking the package compiles nothing; ParseSI
// compiles its pattern when first called and still parses.
func TestParseSIPatternCompiledOnFirstUse(t *testing.T) {
	if compiledAtInit {
		t.Fatal("ParseSI's pattern was compiled during package initialisation")
	}
	v, unit, err := ParseSI("2.2345 pF")
	if err != nil || unit != "F" || v < 2.2344e-12 || v > 2.2346e-12 {
		t.Fatalf(`ParseSI("2.2345 pF") = %v, %q, %v`, v, unit, err)
	}
	if riParseRegex == nil || revSIPrefixTable == nil {
		t.Fatal("ParseSI did not compile its pattern and fill its table")
	}
}
