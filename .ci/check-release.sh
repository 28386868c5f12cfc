#!/usr/bin/env bash
# Checks what .ci/release.sh VERSION left in dist/, as an appliance image
# builder would take it in: the checksums, the tarball's files, the .deb's
# files (dpkg -c), and the package unpacked into a scratch root (dpkg -x)
# where its sitecfg names the version and the commit, has a man page for
# every command and leaves the systemd timer disabled.
#
# Usage: bash .ci/check-release.sh VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:?usage: check-release.sh VERSION}"
DEB_VERSION="${VERSION#v}"
arch="$(dpkg --print-architecture)"
dist="${DIST:-$PWD/dist}"
fail() { echo "check-release: $*" >&2; exit 1; }

echo "== SHA256SUMS"
(cd "$dist" && sha256sum -c SHA256SUMS) || fail "checksums do not match"
for f in "sitecfg_${VERSION}_linux_amd64.tar.gz" "sitecfg_${VERSION}_linux_arm64.tar.gz" \
  "sitecfg_${DEB_VERSION}_amd64.deb" "sitecfg_${DEB_VERSION}_arm64.deb"; do
  grep -q "  $f\$" "$dist/SHA256SUMS" || fail "SHA256SUMS lacks $f"
done

echo "== tarball"
tarball="$dist/sitecfg_${VERSION}_linux_${arch}.tar.gz"
listing="$(tar -tzf "$tarball")"
top="sitecfg_${VERSION}_linux_${arch}"
for p in sitecfg LICENSE NOTICES README.md answers.schema.json man/sitecfg.1.gz man/sitecfg-apply.1.gz \
  completions/sitecfg.bash completions/_sitecfg completions/sitecfg.fish; do
  grep -qx "$top/$p" <<<"$listing" || fail "the tarball lacks $p"
done

echo "== dpkg -c"
deb="$dist/sitecfg_${DEB_VERSION}_${arch}.deb"
contents="$(dpkg -c "$deb")"
echo "$contents"
want=(
  ./usr/bin/sitecfg
  ./usr/share/man/man1/sitecfg.1.gz
  ./usr/share/bash-completion/completions/sitecfg
  ./usr/share/zsh/vendor-completions/_sitecfg
  ./usr/share/fish/vendor_completions.d/sitecfg.fish
  ./usr/lib/systemd/system/sitecfg-check.service
  ./usr/lib/systemd/system/sitecfg-check.timer
  ./usr/share/doc/sitecfg/copyright
  ./usr/share/sitecfg/answers.schema.json
)
for p in "${want[@]}"; do
  grep -qE "^-\S+ root/root .* $p\$" <<<"$contents" || fail "the .deb lacks $p (root-owned file)"
done
grep -qE '^-rwxr-xr-x .* ./usr/bin/sitecfg$' <<<"$contents" || fail "/usr/bin/sitecfg is not 0755"
[ "$(dpkg-deb -f "$deb" Version)" = "$DEB_VERSION" ] || fail "the .deb's version is not $DEB_VERSION"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || fail "the .deb's architecture is not $arch"
# Installed, not enabled: no maintainer script that could enable the timer.
if dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -E 'postinst|preinst' >/dev/null; then
  fail "the .deb has a maintainer script (the units must be installed, not enabled)"
fi

echo "== dpkg -x into a scratch root"
root="$(mktemp -d /tmp/sitecfg-deb.XXXXXX)"
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
out="$("$root/usr/bin/sitecfg" version)"
echo "$out"
grep -qx "sitecfg $VERSION" <<<"$out" || fail "sitecfg version does not name $VERSION"
if git rev-parse HEAD >/dev/null 2>&1; then
  grep -q "^commit: $(git rev-parse HEAD)" <<<"$out" || fail "sitecfg version does not name the commit"
fi
grep -qE '^tree: (clean|modified)' <<<"$out" || fail "sitecfg version does not say whether the tree was modified"
grep -q 'CGO_ENABLED=0' <(go version -m "$root/usr/bin/sitecfg") || fail "the binary is not static (CGO_ENABLED=0)"
# A man page for every command the program has (cobra's own completion
# listing: the command tree itself).
for c in $("$root/usr/bin/sitecfg" __complete "" 2>/dev/null | cut -f1 | grep -v '^:' | grep -vx help); do
  page="$root/usr/share/man/man1/sitecfg-$c.1.gz"
  [ -f "$page" ] || fail "no man page for sitecfg $c"
  zcat "$page" | grep "^\.TH \"SITECFG-${c^^}\" \"1\"" >/dev/null || fail "sitecfg-$c.1.gz is not a section-1 man page"
done
grep -q '/usr/bin/sitecfg check' "$root/usr/lib/systemd/system/sitecfg-check.service" || fail "the packaged service does not run /usr/bin/sitecfg"
grep -q 'MIT License' "$root/usr/share/doc/sitecfg/copyright" || fail "copyright lacks sitecfg's licence"
grep -q '^github.com/spf13/cobra ' "$root/usr/share/doc/sitecfg/copyright" || fail "copyright lacks the dependencies' notices"
cmp -s "$root/usr/share/sitecfg/answers.schema.json" <("$root/usr/bin/sitecfg" schema) || fail "the packaged schema is not what sitecfg schema prints"
echo "release $VERSION checked"
