#!/usr/bin/env bash
# The production stage of `npm test` (`bash scripts/test.sh production`, and the last stage of the full run):
# the production shape of scripts/prod-lib.sh (Caddy HTTPS on one origin, two `next start` instances,
# Kratos without --dev) on its own databases and ports, then the specs in e2e/production/ (Playwright +
# Chromium, ignoring certificate errors in that project only; Node trusts Caddy's local CA).
# Called by scripts/test.sh with the run's secrets, ports and results folder in the environment.
#   ports: HTTPS APP_PORT+43, app instances APP_PORT+11/+12, Kratos public/admin at the run's Kratos ports +200
#   databases: app_<stack>_prod, kratos_<stack>_prod (dropped and created afresh)
# PROD_REUSE_BUILD=1 uses the production build already in NEXT_DIST_DIR (the full run has just made it:
# one build promoted to another shape); otherwise it builds first.
set -euo pipefail
BASE_STACK="${STACK_NAME:-test}"
STACK_NAME="$BASE_STACK-production"
STAGE_STARTED=$(date +%s)
# The dev-shaped test stack's URLs must not leak into this one: prod_config derives its own.
unset APP_URL KRATOS_PUBLIC_URL KRATOS_ADMIN_URL DATABASE_URL KRATOS_DSN STATE_DIR
BASE_APP_PORT="${APP_PORT:-3100}"
export PROD_HTTPS_PORT="$((BASE_APP_PORT + 43))" PROD_APP_PORTS="$((BASE_APP_PORT + 11)) $((BASE_APP_PORT + 12))"
export KRATOS_PUBLIC_PORT="$((${KRATOS_PUBLIC_PORT:-4533} + 200))"
export KRATOS_ADMIN_PORT="$((${KRATOS_ADMIN_PORT:-4534} + 200))"
export APP_DB="app_${BASE_STACK}_prod" KRATOS_DB="kratos_${BASE_STACK}_prod"
# Its own mailpit, next to its Kratos ports (the dev-shaped stack's one may still be stopping).
export MAILPIT_SMTP_PORT="$((KRATOS_PUBLIC_PORT + 2))" MAILPIT_HTTP_PORT="$((KRATOS_PUBLIC_PORT + 3))" MAILPIT_FRESH=1
unset MAILPIT_API_URL KRATOS_SMTP_URI
# Budgets in seconds for this stage: idle 45 s, so a restart of every process fits inside one budget and
# walking away takes under a minute; activity writes every 4 s (also the sweeper's slack, which leaves the
# gate a window to decide an expiry before the sweeper does).
PRODUCTION_TEST_POLICY='{"idleDesktopSeconds":45,"idleMobileSeconds":90,"ceilings":[{"prefix":"/billing","seconds":25,"label":"Billing"},{"prefix":"/admin","seconds":30,"label":"Admin"}],"adminCapSeconds":40,"preferenceSeconds":{"15":45,"30":60,"60":120},"warningSeconds":20,"stepUpWindowSeconds":10,"revalidateSeconds":2,"activityWriteSeconds":4,"sweepIntervalSeconds":1}'
export IDLE_POLICY="${TEST_PRODUCTION_POLICY:-$PRODUCTION_TEST_POLICY}"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/prod-lib.sh"
export STACK_NAME
prod_config
cd "$ROOT"

cleanup() {
  trap - EXIT INT TERM
  prod_stop_all
}
prod_check_ports # before anything is dropped: a busy port means another run owns these databases
trap cleanup EXIT INT TERM

prepare_databases fresh
if [ "${PROD_REUSE_BUILD:-0}" = 1 ] && [ -f "$ROOT/$NEXT_DIST_DIR/BUILD_ID" ]; then
  say "using the production build in $NEXT_DIST_DIR"
else
  say "building the app (production build into $NEXT_DIST_DIR)"
  npx next build >"$STATE_DIR/build.log" 2>&1 || { tail -40 "$STATE_DIR/build.log" >&2; die "next build failed"; }
fi
prod_start_all
say "production shape up after $(( $(date +%s) - STAGE_STARTED )) s: $APP_URL (instances ${PROD_APP_PORTS// /, })"
# For running one spec by hand against a stack kept up with `bash scripts/test.sh production-stack`:
# `set -a; . .stack/<stack>-production/env; set +a; npx playwright test -c e2e/production/playwright.config.ts FILE`
# (owner-only, git-ignored, this run's throwaway secrets).
(umask 077; for v in STACK_NAME PROD_HTTPS_PORT PROD_APP_PORTS KRATOS_PUBLIC_PORT KRATOS_ADMIN_PORT APP_DB KRATOS_DB \
    APP_URL KRATOS_PUBLIC_URL KRATOS_PUBLIC_INTERNAL_URL KRATOS_ADMIN_URL DATABASE_URL KRATOS_DSN STATE_DIR \
    NODE_EXTRA_CA_CERTS IDLE_POLICY SESSION_SECRET KRATOS_HOOK_SECRET KRATOS_SECRETS_COOKIE KRATOS_SECRETS_CIPHER \
    KRATOS_BIN NEXT_DIST_DIR CHROMIUM_PATH TEST_RESULTS_DIR MAILPIT_API_URL; do
  printf 'export %s=%q\n' "$v" "${!v:-}"; done > "$STATE_DIR/env")
if [ "${1:-}" = stack ]; then
  say "production stack up (Ctrl-C stops it); env in $STATE_DIR/env"
  wait
  exit 0
fi

status=0
# react-server: the specs reuse test/helpers (sessions through the Kratos admin adapter, a server-only module).
NODE_OPTIONS="--conditions=react-server" npx playwright test --config e2e/production/playwright.config.ts || status=$?
say "production stage: $(( $(date +%s) - STAGE_STARTED )) s"
exit "$status"
