package wizard

import (
	"sitecfg/pipeline"
	"sitecfg/recovery"
)

// Written says what a front end's commit wrote (see pipeline.Written).
type Written = pipeline.Written

// CommitOptions tune the commit (see pipeline.CommitOptions).
type CommitOptions = pipeline.CommitOptions

// settleCodes ends the life of the codes file a run wrote before the
// config, once the config is written: kept when the config holds its
// codes (and what it replaced removed), taken back when it does not — the
// operator went back and kept the saved codes, or turned SMTP on.
func settleCodes(f *recovery.CodesFile, w *Written) {
	if f == nil {
		return
	}
	if w != nil && len(w.Codes) > 0 {
		_ = f.Keep()
		return
	}
	_ = f.Undo()
}
