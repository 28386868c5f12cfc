package wizard

import "sitecfg/recovery"

// codesFiles are the recovery-codes files a run wrote before its config,
// one per path: the first write to each, whose Undo restores what was
// there before the run. The operator may save the codes, go back, choose
// another file and save them again; every file written is accounted for.
type codesFiles []*recovery.CodesFile

// add records f unless its path was written before in this run.
func (fs *codesFiles) add(f *recovery.CodesFile) {
	if f == nil || fs.has(f.Path) {
		return
	}
	*fs = append(*fs, f)
}

// has says whether this run wrote the codes to path.
func (fs codesFiles) has(path string) bool {
	return fs.at(path) != nil
}

// at is the file this run wrote at path, or nil.
func (fs codesFiles) at(path string) *recovery.CodesFile {
	for _, f := range fs {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// undo takes every write back: no config will hold these codes.
func (fs codesFiles) undo() {
	for _, f := range fs {
		_ = f.Undo()
	}
}

// settle ends the run's files once the config is written: the file at
// path is kept when the config holds its codes (what it replaced is
// removed); every other one is taken back — the codes it holds are the
// config's only if that is the file they were finally saved to, and a
// run that kept the saved codes or turned SMTP on holds none.
func (fs codesFiles) settle(w *Written, path string) {
	for _, f := range fs {
		if w != nil && len(w.Codes) > 0 && f.Path == path {
			_ = f.Keep()
			continue
		}
		_ = f.Undo()
	}
}
