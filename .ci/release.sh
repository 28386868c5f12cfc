#!/usr/bin/env bash
# Release build into dist/:
#   sitecfg_VERSION_linux_{amd64,arm64}.tar.gz  the binary, LICENSE, NOTICES,
#       README.md, man pages, shell completions, the systemd units and the
#       answers file's JSON Schema
#   sitecfg_VERSION_{amd64,arm64}.deb            /usr/bin/sitecfg, man pages,
#       bash/zsh/fish completions, the systemd units (installed, not
#       enabled), /usr/share/doc/sitecfg/copyright,
#       /usr/share/sitecfg/answers.schema.json
#   SHA256SUMS
#
# Static binaries (CGO_ENABLED=0: Go's own DNS resolver and user lookup, no
# libc to load; user names then come from /etc/passwd only, not NSS/LDAP),
# paths trimmed, the version and commit stamped (-X, with -buildvcs=false:
# the release does not depend on git being usable by the builder's user).
#
# Reproducible: every timestamp is SOURCE_DATE_EPOCH (default: the commit's
# time), the build ID is empty, tar and gzip store no owner, name or time.
# --check-reproducible builds everything twice from one snapshot of the
# tree, at two different paths, the second time with an empty Go build
# cache, and fails unless the two SHA256SUMS are equal.
#
# Usage: bash .ci/release.sh VERSION [--check-reproducible]
# Needs: go, git (for the commit; else set COMMIT), GNU tar, gzip, sha256sum.
# The .deb is made by nfpm (a Go module, run at a pinned version).
set -euo pipefail
cd "$(dirname "$0")/.."

NFPM="github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0"
ARCHES="${ARCHES:-amd64 arm64}"

VERSION="${1:-}"
check=""
[ "${2:-}" = "--check-reproducible" ] && check=1
if [ -z "$VERSION" ] || [ "${VERSION#-}" != "$VERSION" ]; then
  echo "usage: bash .ci/release.sh VERSION [--check-reproducible]" >&2
  exit 2
fi
# A Debian version starts with a digit: v1.2.3 → 1.2.3.
DEB_VERSION="${VERSION#v}"
case "$DEB_VERSION" in
  [0-9]*) ;;
  *) echo "release.sh: VERSION must be a version (1.2.3 or v1.2.3), not $VERSION" >&2; exit 2 ;;
esac

if [ -z "${COMMIT:-}" ]; then
  COMMIT="$(git rev-parse HEAD)"
  COMMIT_TIME="$(git log -1 --format=%cI HEAD | xargs -I{} date -u -d {} +%Y-%m-%dT%H:%M:%SZ)"
  # Uncommitted changes to tracked files (untracked ones, such as dist/,
  # are not part of the build).
  if [ -n "$(git status --porcelain --untracked-files=no)" ]; then MODIFIED=true; else MODIFIED=false; fi
  : "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct HEAD)}"
fi
: "${COMMIT_TIME:=}" "${MODIFIED:=}" "${SOURCE_DATE_EPOCH:?set SOURCE_DATE_EPOCH when there is no git}"
export COMMIT COMMIT_TIME MODIFIED SOURCE_DATE_EPOCH
export TZ=UTC LC_ALL=C
umask 022

DIST="${DIST:-$PWD/dist}"
rm -rf "$DIST"
mkdir -p "$DIST"
work="$(mktemp -d /tmp/sitecfg-release.XXXXXX)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

if [ -n "$check" ]; then
  # Both builds from one snapshot of the tree (an edit made meanwhile
  # cannot tell them apart), at two different paths, the second with an
  # empty Go build cache; the first one's dist/ is the release.
  echo "== release $VERSION, built twice to check it is reproducible"
  tar --exclude=./dist --exclude=./.git --exclude=./.bench -cf "$work/snapshot.tar" .
  mkdir -p "$work/one/sitecfg" "$work/two/elsewhere/src"
  tar -xf "$work/snapshot.tar" -C "$work/one/sitecfg"
  tar -xf "$work/snapshot.tar" -C "$work/two/elsewhere/src"
  DIST="$DIST" bash "$work/one/sitecfg/.ci/release.sh" "$VERSION"
  echo "== the second build (another path, empty build cache)"
  if ! GOCACHE="$work/gocache" DIST="$work/two/dist" bash "$work/two/elsewhere/src/.ci/release.sh" "$VERSION" >"$work/two.log" 2>&1; then
    cat "$work/two.log"
    exit 1
  fi
  if ! diff -u "$DIST/SHA256SUMS" "$work/two/dist/SHA256SUMS"; then
    echo "release.sh: NOT reproducible: the second build differs" >&2
    exit 1
  fi
  echo "reproducible: the second build has the same SHA256SUMS"
  exit 0
fi

ldflags="-s -w -buildid= -X main.version=$VERSION -X main.commit=$COMMIT -X main.commitTime=$COMMIT_TIME -X main.treeModified=$MODIFIED"
build() { # GOARCH OUT
  CGO_ENABLED=0 GOOS=linux GOARCH="$1" GOFLAGS= go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$2" .
}

echo "== release $VERSION ($COMMIT, modified=$MODIFIED, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"

# What does not depend on the target: man pages (from the command tree),
# completions (from the program itself), notices, the packaged units.
common="$work/common"
mkdir -p "$common/man" "$common/completions"
GOFLAGS= go run -trimpath -buildvcs=false -ldflags "$ldflags" -tags gendocs . "$work/man1"
for f in "$work"/man1/*.1; do gzip -9n <"$f" >"$common/man/$(basename "$f").gz"; done
host="$work/sitecfg-host"
CGO_ENABLED=0 GOFLAGS= go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$host" .
"$host" completion bash >"$common/completions/sitecfg.bash"
"$host" completion zsh >"$common/completions/_sitecfg"
"$host" completion fish >"$common/completions/sitecfg.fish"
"$host" schema >"$common/answers.schema.json"
bash .ci/notices.sh >"$common/NOTICES"
{
  echo "sitecfg"
  echo
  cat LICENSE
  echo
  cat "$common/NOTICES"
} >"$common/copyright"
mkdir -p "$common/systemd"
# The units as packaged: the program is /usr/bin/sitecfg.
for u in contrib/systemd/sitecfg-check.service contrib/systemd/sitecfg-check.timer; do
  sed -e 's|/usr/local/bin/sitecfg|/usr/bin/sitecfg|g' \
      -e 's|^# Install: copy both files to /etc/systemd/system/, adjust SITECFG_CONFIG$|# Installed by the sitecfg package, not enabled. Adjust SITECFG_CONFIG|' \
      -e 's|^# and the paths below, then$|# and the paths with `systemctl edit sitecfg-check.service`, then|' \
      "$u" >"$common/systemd/$(basename "$u")"
done
touch_all() { find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }

for arch in $ARCHES; do
  name="sitecfg_${VERSION}_linux_${arch}"
  stage="$work/$name"
  mkdir -p "$stage/man" "$stage/completions"
  build "$arch" "$stage/sitecfg"
  cp LICENSE README.md "$common/NOTICES" "$common/answers.schema.json" "$stage/"
  cp "$common"/man/*.gz "$stage/man/"
  cp "$common"/completions/* "$stage/completions/"
  # The tarball installs by hand into /usr/local/bin: the units as in
  # contrib/systemd (the package's run /usr/bin/sitecfg).
  mkdir -p "$stage/systemd" && cp contrib/systemd/sitecfg-check.service contrib/systemd/sitecfg-check.timer "$stage/systemd/"
  chmod -R u=rwX,go=rX "$stage" && chmod 0755 "$stage/sitecfg"
  touch_all "$stage"
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --format=gnu -C "$work" -cf - "$name" | gzip -9n >"$DIST/$name.tar.gz"

  # The Debian package.
  cat >"$work/nfpm-$arch.yaml" <<EOF
name: sitecfg
arch: $arch
platform: linux
version: $DEB_VERSION
version_schema: none
section: admin
priority: optional
maintainer: ${MAINTAINER:-sitecfg maintainers <root@localhost>}
license: MIT
mtime: "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
description: |-
  Configure a cluster's email (SMTP) settings
  A console wizard, unattended answers files, a live SMTP check and a safe,
  atomic write of the site-config file; a daily check as a systemd timer
  (installed, not enabled).
contents:
  - src: $stage/sitecfg
    dst: /usr/bin/sitecfg
    file_info: {mode: 0755}
  - src: $stage/man/*.1.gz
    dst: /usr/share/man/man1/
    file_info: {mode: 0644}
  - src: $common/completions/sitecfg.bash
    dst: /usr/share/bash-completion/completions/sitecfg
    file_info: {mode: 0644}
  - src: $common/completions/_sitecfg
    dst: /usr/share/zsh/vendor-completions/_sitecfg
    file_info: {mode: 0644}
  - src: $common/completions/sitecfg.fish
    dst: /usr/share/fish/vendor_completions.d/sitecfg.fish
    file_info: {mode: 0644}
  - src: $common/systemd/sitecfg-check.service
    dst: /usr/lib/systemd/system/sitecfg-check.service
    file_info: {mode: 0644}
  - src: $common/systemd/sitecfg-check.timer
    dst: /usr/lib/systemd/system/sitecfg-check.timer
    file_info: {mode: 0644}
  - src: $common/copyright
    dst: /usr/share/doc/sitecfg/copyright
    file_info: {mode: 0644}
  - src: README.md
    dst: /usr/share/doc/sitecfg/README.md
    file_info: {mode: 0644}
  - src: $common/answers.schema.json
    dst: /usr/share/sitecfg/answers.schema.json
    file_info: {mode: 0644}
EOF
  touch_all "$common"
  GOFLAGS= go run "$NFPM" package --config "$work/nfpm-$arch.yaml" --packager deb \
    --target "$DIST/sitecfg_${DEB_VERSION}_${arch}.deb" >/dev/null
done

(cd "$DIST" && sha256sum -- *.tar.gz *.deb >SHA256SUMS)
echo "== dist/"
cat "$DIST/SHA256SUMS"
