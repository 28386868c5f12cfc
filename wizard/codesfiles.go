package wizard

import "sitecfg/recovery"

// codesFiles are the recovery-codes files a run wrote before its config,
// one per path: the first write to each, whose Undo restores what was
// there before the run. The operator may save the codes, go back, choose
// another file and save them again; every file written is accounted for:
// Commit keeps the one the config's codes are in (CommitOptions.CodesFile),
// and when the run ends undo takes back every other one.
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

// undo takes back every write no config holds the codes of; a file that
// Commit kept stays (recovery.CodesFile.Undo does nothing after Keep).
func (fs codesFiles) undo() {
	for _, f := range fs {
		_ = f.Undo()
	}
}
