#!/usr/bin/env bash
# Builds Ory Kratos from the Go module proxy (no Docker, no release downloads) and caches
# the binary per version outside the clone, so later runs (and CI on the same machine) skip it.
# Prints the path of the binary on its last line of stdout.
set -euo pipefail

VERSION="${KRATOS_VERSION:-v1.3.1}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/idle-signout/kratos"
OUT="$CACHE_ROOT/$VERSION/kratos"

log() { printf '[kratos-build] %s\n' "$*" >&2; }

if [ -x "$OUT" ] && "$OUT" version 2>/dev/null | grep -q "$VERSION"; then
  log "using cached $OUT"
  echo "$OUT"
  exit 0
fi

command -v go >/dev/null || { log "Go is required to build Kratos (Go >= 1.23). Install it and retry."; exit 1; }

log "building Kratos $VERSION from the Go module proxy (first run only; takes a few minutes)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "step 1/3: downloading the module source"
dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/ory/kratos@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] && [ -d "$dir" ] || { log "could not download github.com/ory/kratos@$VERSION"; exit 1; }

cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
# The module zip omits internal/client-go (it has its own go.mod), but go.mod replaces it.
# Nothing main.go reaches imports it, so an empty module satisfies the replace.
mkdir -p "$work/src/internal/client-go"
printf 'module github.com/ory/client-go\n\ngo 1.13\n\nrequire golang.org/x/oauth2 v0.0.0-20190604053449-0f29369cfe45\n' \
  > "$work/src/internal/client-go/go.mod"

log "step 2/3: downloading dependencies"
(cd "$work/src" && GOFLAGS=-mod=mod go mod download -x 2>&1 | grep -c '^# get' | xargs -I{} echo "[kratos-build]   fetched {} modules" >&2) || true

log "step 3/3: compiling (progress every 50 packages)"
mkdir -p "$(dirname "$OUT")"
tmp_out="$OUT.tmp.$$"
(
  cd "$work/src"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -v -trimpath \
    -ldflags "-s -w -X github.com/ory/kratos/driver/config.Version=$VERSION" \
    -o "$tmp_out" . 2>&1 | awk '{ n++; if (n % 50 == 0) { printf "[kratos-build]   compiled %d packages\n", n > "/dev/stderr" } }'
  exit "${PIPESTATUS[0]}"
) || { rm -f "$tmp_out"; log "build failed; rerun to retry (set GOTOOLCHAIN=go1.23.2 if your Go cannot compile it)"; exit 1; }
mv "$tmp_out" "$OUT"
log "built $OUT ($("$OUT" version 2>/dev/null | grep -i version | head -1))"
echo "$OUT"
