#!/usr/bin/env bash
# Builds a Go program the stack runs (Ory Kratos, Caddy, mailpit) from the Go module proxy (no Docker, no
# release downloads) and caches the binary per version outside the clone, so later runs (and CI on the same
# machine) skip it. Usage: build-go-tool.sh kratos|caddy|mailpit. Prints the binary's path on its last line.
set -euo pipefail

NAME="${1:-}"
case "$NAME" in
  kratos)  VERSION="${KRATOS_VERSION:-v1.3.1}";  MODULE=github.com/ory/kratos;             MAIN=. ;;
  caddy)   VERSION="${CADDY_VERSION:-v2.11.9}";  MODULE=github.com/caddyserver/caddy/v2;  MAIN=./cmd/caddy ;;
  mailpit) VERSION="${MAILPIT_VERSION:-v1.33.1}"; MODULE=github.com/axllent/mailpit;       MAIN=. ;;
  *) echo "usage: build-go-tool.sh kratos|caddy|mailpit" >&2; exit 2 ;;
esac
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/idle-signout/$NAME"
OUT="$CACHE_ROOT/$VERSION/$NAME"
# Each program reports its version differently (or not at all when built from source), so a successful
# build leaves a stamp next to the binary; a Kratos binary cached before the stamp existed is checked by version.
STAMP="$OUT.built"

log() { printf '[%s-build] %s\n' "$NAME" "$*" >&2; }

if [ -x "$OUT" ] \
  && { [ -f "$STAMP" ] || { [ "$NAME" = kratos ] && "$OUT" version 2>/dev/null | grep -q "$VERSION"; }; }; then
  log "using cached $OUT"
  echo "$OUT"
  exit 0
fi

command -v go >/dev/null || {
  log "Go (>= 1.23) is required to build $NAME: install it from https://go.dev/dl and retry."
  exit 1
}

log "building $NAME $VERSION from the Go module proxy (first run only; takes a few minutes)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "step 1/3: downloading the module source"
dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] && [ -d "$dir" ] || { log "could not download $MODULE@$VERSION"; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"

ldflags="-s -w"
case "$NAME" in
  kratos)
    # The module zip omits internal/client-go (it has its own go.mod), but go.mod replaces it.
    # Nothing main.go reaches imports it, so an empty module satisfies the replace.
    mkdir -p "$work/src/internal/client-go"
    printf 'module github.com/ory/client-go\n\ngo 1.13\n\nrequire %s\n' \
      'golang.org/x/oauth2 v0.0.0-20190604053449-0f29369cfe45' > "$work/src/internal/client-go/go.mod"
    ldflags="$ldflags -X github.com/ory/kratos/driver/config.Version=$VERSION" ;;
  mailpit) ldflags="$ldflags -X github.com/axllent/mailpit/config.Version=$VERSION" ;;
esac

log "step 2/3: downloading dependencies"
(cd "$work/src" && GOFLAGS=-mod=mod go mod download -x 2>&1 | grep -c '^# get' \
  | xargs -I{} echo "[$NAME-build]   fetched {} modules" >&2) || true

log "step 3/3: compiling (progress every 50 packages)"
mkdir -p "$(dirname "$OUT")"
tmp_out="$OUT.tmp.$$"
(
  cd "$work/src"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -v -trimpath -ldflags "$ldflags" -o "$tmp_out" "$MAIN" 2>&1 \
    | awk -v tag="[$NAME-build]" \
      '{ n++; if (n % 50 == 0) { printf "%s   compiled %d packages\n", tag, n > "/dev/stderr" } }'
  exit "${PIPESTATUS[0]}"
) || { rm -f "$tmp_out"; log "build failed; rerun to retry"; exit 1; }
mv "$tmp_out" "$OUT"
date -u +%FT%TZ > "$STAMP"
log "built $OUT"
echo "$OUT"
