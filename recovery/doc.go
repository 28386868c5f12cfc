// Package recovery owns the secrets that sitecfg never stores in clear:
// the UI users' passwords and the admin's one-time recovery codes.
//
// It generates recovery codes (Generate, Normalize, Format), hashes and
// verifies secrets as argon2id PHC strings (Hash, HashCodes, Verify,
// Match), applies the password rules of the product contract
// (CheckPassword, Strength) against an embedded list of common passwords,
// and suggests a back-off for repeated wrong codes (Delay).
//
// It writes the recovery-codes file for a config about to hold its codes
// (CodesFile: WriteCodesFile, atomically, mode 0600, then Keep once the
// config is written or Undo if it will not be, and ReconcileCodesFile for
// what a killed run left, so that the codes the config holds are never
// lost); beyond that and the system's random source it does no I/O: no
// UI, no network and no knowledge of the site-config file. Removing a used code from the stored
// list, locking the file and counting failures are the caller's job.
package recovery
