package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadBuildStamp(t *testing.T) {
	vcs := func(version string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Path: "sitecfg", Version: version}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	clean, dirty := false, true
	for _, tt := range []struct {
		name    string
		stamped buildStamp
		read    func() (*debug.BuildInfo, bool)
		want    []string
	}{
		{
			name: "plain go build in a modified checkout",
			read: vcs("v0.0.0-20261207061234-fa22cec0ffee+dirty",
				"vcs", "git", "vcs.revision", "fa22cec0ffee1234", "vcs.time", "2026-12-07T06:12:34Z", "vcs.modified", "true"),
			want: []string{"sitecfg v0.0.0-20261207061234-fa22cec0ffee+dirty\n", "commit: fa22cec0ffee1234 (2026-12-07T06:12:34Z)\n", "tree: modified"},
		},
		{
			name: "plain go build in a clean checkout",
			read: vcs("v0.0.0-20261207061234-fa22cec0ffee", "vcs.revision", "fa22cec0ffee1234", "vcs.modified", "false"),
			want: []string{"commit: fa22cec0ffee1234\n", "tree: clean\n"},
		},
		{
			name:    "release: the stamps win over the build info",
			stamped: buildStamp{Version: "v1.4.0", Commit: "0123abcd", CommitTime: "2026-12-01T00:00:00Z", Modified: &clean},
			read:    vcs("(devel)", "vcs.revision", "ffff", "vcs.modified", "true"),
			want:    []string{"sitecfg v1.4.0\n", "commit: 0123abcd (2026-12-01T00:00:00Z)\n", "tree: clean\n"},
		},
		{
			name:    "release from a modified tree",
			stamped: buildStamp{Version: "v1.4.0", Commit: "0123abcd", Modified: &dirty},
			read:    none,
			want:    []string{"sitecfg v1.4.0\n", "tree: modified"},
		},
		{
			name: "no version control information",
			read: vcs("(devel)"),
			want: []string{"sitecfg dev\n", "commit: unknown", "tree: unknown\n", "go: go"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := readBuildStamp(tt.stamped, tt.read).String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
}
