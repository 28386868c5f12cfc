#!/usr/bin/env bash
# Prints the notices of everything linked into the sitecfg binary: the Go
# standard library and every module `go list -deps` names for the target
# platforms, each module's LICENSE/COPYING/NOTICE/PATENTS files verbatim.
# Fails when a module has no licence file, or one that is not a permissive
# licence this project can ship under its MIT licence (MIT, BSD, ISC,
# Apache-2.0): a new dependency under other terms needs a decision first.
#
# Usage: .ci/notices.sh > NOTICES   (GOOS/GOARCH pairs: PLATFORMS, default
# "linux/amd64 linux/arm64")
set -euo pipefail
cd "$(dirname "$0")/.."
modules="$(
  for p in ${PLATFORMS:-linux/amd64 linux/arm64}; do
    GOOS="${p%/*}" GOARCH="${p#*/}" CGO_ENABLED=0 go list -deps \
      -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' .
  done | sort -u
)"

permissive='Permission is hereby granted, free of charge|Redistribution and use in source and binary forms|Apache License|Permission to use, copy, modify, and/or distribute'

echo "Third-party notices for sitecfg"
echo
echo "The sitecfg program is statically linked: it contains the Go standard"
echo "library and the Go modules listed below, each under its own licence,"
echo "reproduced here as each module ships it."
echo
echo "================================================================"
echo "Go standard library ($(go env GOVERSION))"
echo "================================================================"
cat "$(go env GOROOT)/LICENSE"
while read -r path ver dir; do
  [ -n "$path" ] || continue
  mapfile -t files < <(cd "$dir" && ls | grep -iE '^(licen[cs]e|copying|notice|patents)([.-].*)?$' | LC_ALL=C sort)
  if [ "${#files[@]}" -eq 0 ]; then
    echo "notices.sh: $path $ver has no licence file" >&2
    exit 1
  fi
  if ! grep -qE "$permissive" "${files[@]/#/$dir/}"; then
    echo "notices.sh: $path $ver: licence not recognised as permissive (MIT/BSD/ISC/Apache-2.0): decide before shipping it" >&2
    exit 1
  fi
  echo
  echo "================================================================"
  echo "$path $ver"
  echo "================================================================"
  for f in "${files[@]}"; do
    [ "${#files[@]}" -eq 1 ] || printf -- '--- %s ---\n' "$f"
    cat "$dir/$f"
  done
done <<<"$modules"
