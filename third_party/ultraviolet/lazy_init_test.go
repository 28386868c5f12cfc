package uv

import (
	"os"
	"testing"
)

// builtAtInit is whether the key maps existed before any test ran.
var builtAtInit struct{ kittyKeyMap, keyTypeString, stringKeyType bool }

func TestMain(m *testing.M) {
	builtAtInit.kittyKeyMap = kittyKeyMap != nil
	builtAtInit.keyTypeString = keyTypeString != nil
	builtAtInit.stringKeyType = stringKeyType != nil
	os.Exit(m.Run())
}

// The sitecfg patch: linking the package builds none of the key maps; the
// first kitty keyboard sequence decoded, Key.String and Key.MatchString
// build the one they need and still work.
func TestKeyMapsBuiltOnFirstUse(t *testing.T) {
	if builtAtInit.kittyKeyMap || builtAtInit.keyTypeString || builtAtInit.stringKeyType {
		t.Fatalf("key maps built during package initialisation: %+v", builtAtInit)
	}

	var d EventDecoder
	for _, tc := range []struct {
		seq  string
		want Key
	}{
		{"\x1b[57449u", Key{Code: KeyRightAlt}},           // from the map literal
		{"\x1b[13;5u", Key{Code: KeyEnter, Mod: ModCtrl}}, // from the map literal, with Ctrl
		{"\x1b[1u", Key{Code: 'a', Mod: ModCtrl}},         // a C0 entry upstream added in init
		{"\x1b[0u", Key{Code: KeySpace, Mod: ModCtrl}},    // NUL, also added in init
	} {
		n, ev := d.Decode([]byte(tc.seq))
		got, ok := ev.(KeyPressEvent)
		if n != len(tc.seq) || !ok || got.Code != tc.want.Code || got.Mod != tc.want.Mod {
			t.Errorf("Decode(%q) = %d, %#v; want %d, a key press of %#v", tc.seq, n, ev, len(tc.seq), tc.want)
		}
	}
	if kittyKeyMap == nil {
		t.Error("decoding a kitty keyboard sequence did not build kittyKeyMap")
	}

	if got := (Key{Code: KeyEnter, Mod: ModCtrl}).String(); got != "ctrl+enter" {
		t.Errorf(`Key{KeyEnter, ModCtrl}.String() = %q; want "ctrl+enter"`, got)
	}
	if keyTypeString == nil {
		t.Error("Key.String did not build keyTypeString")
	}

	if !(Key{Code: KeyPgDown, Mod: ModShift}).MatchString("shift+pgdown") {
		t.Error(`Key{KeyPgDown, ModShift}.MatchString("shift+pgdown") = false`)
	}
	if stringKeyType == nil {
		t.Error("Key.MatchString did not build stringKeyType")
	}
}
