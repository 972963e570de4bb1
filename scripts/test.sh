#!/usr/bin/env bash
# `npm test`: every test, on a fresh clone, against the real services.
#   typecheck -> lint -> unit -> (Kratos + PostgreSQL + production build) -> integration -> resilience -> e2e (Chromium)
#   -> production (the same build behind Caddy HTTPS, two instances, Kratos without --dev: scripts/test-production.sh)
# The run uses its own ports (3100/4533/4534, mailpit 4535/4536; tests' extra instances on 3101-3109 and
# 4633/4634), databases (app_test, kratos_test) and build folder
# (.next-test), so it never collides with a running `npm run dev`. Pass a stage name to run one stage
# (unit | integration | resilience | e2e | production; `stack` and `production-stack` keep a stack up); the default
# runs all of them and prints a summary.
set -euo pipefail
# TEST_STACK_NAME lets a second test stack run beside this one (own ports via TEST_*_PORT, own databases,
# own build folder), e.g. for parallel work; the default is the one `npm test` uses.
STACK_NAME="${TEST_STACK_NAME:-test}"
NPM_SCRIPT=test
export APP_PORT="${TEST_APP_PORT:-3100}"
export KRATOS_PUBLIC_PORT="${TEST_KRATOS_PUBLIC_PORT:-4533}"
export KRATOS_ADMIN_PORT="${TEST_KRATOS_ADMIN_PORT:-4534}"
# mailpit beside Kratos (4535/4536 by default): clear of APP_PORT+1..9 and the Kratos ports + 100.
export MAILPIT_SMTP_PORT="${TEST_MAILPIT_SMTP_PORT:-$((KRATOS_PUBLIC_PORT + 2))}"
export MAILPIT_HTTP_PORT="${TEST_MAILPIT_HTTP_PORT:-$((KRATOS_PUBLIC_PORT + 3))}"
export MAILPIT_FRESH=1 CHECK_MAILPIT_PORTS=1
export APP_DB="app_${STACK_NAME}" KRATOS_DB="kratos_${STACK_NAME}"
export NEXT_DIST_DIR=".next-${STACK_NAME}" NEXT_TELEMETRY_DISABLED=1
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

ONLY="${1:-all}"
RESULTS="$ROOT/.stack/$STACK_NAME/results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
export TEST_RESULTS_DIR="$RESULTS"

throwaway_secrets
# Budgets in seconds for the whole run (tests that need others start their own app instance).
DEFAULT_TEST_POLICY='{"idleDesktopSeconds":40,"idleMobileSeconds":80,"ceilings":[{"prefix":"/billing","seconds":25,"label":"Billing"},{"prefix":"/admin","seconds":30,"label":"Admin"}],"adminCapSeconds":35,"preferenceSeconds":{"15":30,"30":60,"60":120},"warningSeconds":20,"stepUpWindowSeconds":10,"revalidateSeconds":2,"activityWriteSeconds":2,"sweepIntervalSeconds":1}'
export IDLE_POLICY="${TEST_IDLE_POLICY:-$DEFAULT_TEST_POLICY}"
load_stack_config
allow_extra_app_ports 9 # extra app instances started by tests (test/helpers/processes.ts)

# Only what this run started is stopped (a run that fails on a busy port must not stop someone else's stack).
STARTED=0
cleanup() {
  trap - EXIT INT TERM
  [ "$STARTED" = 1 ] || return 0
  stop_pidfile "$STATE_DIR/next.pid"
  stop_pidfile "$STATE_DIR/kratos.pid"
  stop_pidfile "$STATE_DIR/mailpit.pid"
}
trap cleanup EXIT INT TERM

# Counts "# pass N" / "# fail N" from a node --test TAP file into the summary.
declare -A PASS FAIL
count_tap() { PASS[$1]="$(awk '/^# pass/ {print $3}' "$2" | tail -1)"; FAIL[$1]="$(awk '/^# fail/ {print $3}' "$2" | tail -1)"; }
node_tests() { # kind, files...
  local kind="$1"; shift
  local status=0
  node --conditions=react-server --import tsx --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS/$kind.tap" "$@" || status=$?
  count_tap "$kind" "$RESULTS/$kind.tap"
  return $status
}

start_stack() {
  ensure_node_modules
  ensure_postgres
  check_ports # before anything is dropped: a busy port means another run owns these databases
  STARTED=1
  prepare_databases fresh
  start_mailpit
  start_kratos
  seed_demo_accounts
}

build_app() {
  say "building the app (production build into $NEXT_DIST_DIR)"
  npx next build >"$STATE_DIR/build.log" 2>&1 || { tail -40 "$STATE_DIR/build.log" >&2; die "next build failed"; }
}

start_app() {
  say "starting the app on $APP_URL"
  (exec setsid npx next start --hostname localhost --port "$APP_PORT" >"$STATE_DIR/next.log" 2>&1) &
  echo $! > "$STATE_DIR/next.pid"
  wait_http "$APP_URL/signed-out" 60 || { tail -30 "$STATE_DIR/next.log" >&2; die "the app did not start"; }
}

failed=0
stage() { say "── $1"; }

ensure_node_modules
if [ "$ONLY" = all ]; then
  stage "typecheck"; npx tsc --noEmit || die "typecheck failed"
  stage "lint"; npx eslint . --max-warnings=0 || die "lint failed"
  stage "format"; npx prettier --check . --log-level=warn || die "format: run npx prettier --write ."
fi
if [ "$ONLY" = all ] || [ "$ONLY" = unit ]; then
  stage "unit tests"
  node_tests unit $(find lib -name '*.test.ts' | sort) || failed=1
fi
if [ "$ONLY" = all ] || [ "$ONLY" = integration ] || [ "$ONLY" = resilience ] || [ "$ONLY" = e2e ] || [ "$ONLY" = stack ]; then
  [ "$ONLY" = integration ] || [ "$ONLY" = resilience ] || [ "$ONLY" = stack ] || ensure_chromium
  start_stack
  build_app
  start_app
fi
if [ "$ONLY" = stack ]; then
  say "stack up: app $APP_URL, Kratos $KRATOS_PUBLIC_URL, mail $MAILPIT_API_URL (Ctrl-C stops it)"
  # For running single test files against this stack: `set -a; . .stack/test/env; set +a`. Git-ignored,
  # owner-only, and holds this run's throwaway secrets only.
  (umask 077; for v in APP_PORT KRATOS_PUBLIC_PORT KRATOS_ADMIN_PORT KRATOS_EXTRA_RETURN_URLS APP_URL KRATOS_PUBLIC_URL KRATOS_ADMIN_URL DATABASE_URL SESSION_SECRET KRATOS_HOOK_SECRET IDLE_POLICY \
      KRATOS_SECRETS_COOKIE KRATOS_SECRETS_CIPHER KRATOS_DSN KRATOS_BIN NEXT_DIST_DIR \
      MAILPIT_API_URL MAILPIT_SMTP_PORT MAILPIT_HTTP_PORT; do
    printf 'export %s=%q\n' "$v" "${!v}"; done > "$STATE_DIR/env")
  wait
fi
if [ "$ONLY" = all ] || [ "$ONLY" = integration ]; then
  stage "integration tests (real Kratos $KRATOS_PUBLIC_URL and PostgreSQL)"
  node_tests integration test/integration/*.test.ts || failed=1
fi
if [ "$ONLY" = all ] || [ "$ONLY" = resilience ]; then
  # Outages, load, two instances and hostile input, on the same stack; each file prints the figures it
  # proves (reportFigure -> figures.txt, printed at the end).
  stage "resilience tests (outages, load, instances, hostile input)"
  node_tests resilience test/resilience/*.test.ts || failed=1
fi
if [ "$ONLY" = all ] || [ "$ONLY" = e2e ]; then
  stage "e2e tests (Playwright + Chromium $("$CHROMIUM_PATH" --version 2>/dev/null | awk '{print $2}'))"
  export E2E_BASE_URL="$APP_URL" PLAYWRIGHT_JSON="$RESULTS/e2e.json"
  npx playwright test || failed=1
  if [ -f "$RESULTS/e2e.json" ]; then
    PASS[e2e]="$(node -e 'const s=require(process.argv[1]).stats; console.log(s.expected)' "$RESULTS/e2e.json")"
    FAIL[e2e]="$(node -e 'const s=require(process.argv[1]).stats; console.log(s.unexpected + s.flaky)' "$RESULTS/e2e.json")"
  fi
fi

if [ "$ONLY" = all ] || [ "$ONLY" = production ] || [ "$ONLY" = production-stack ]; then
  # The production shape (scripts/test-production.sh): its own stack; the dev-shaped one is stopped first
  # (2 cores). The full run reuses the build it has just tested; a stage-only run builds.
  stage "production shape (Caddy HTTPS, two app instances, Kratos without --dev; e2e/production/)"
  cleanup; trap - EXIT INT TERM
  ensure_chromium
  export PLAYWRIGHT_JSON="$RESULTS/production.json" PROD_REUSE_BUILD="${PROD_REUSE_BUILD:-$([ "$ONLY" = all ] && echo 1 || echo 0)}"
  STACK_NAME="$STACK_NAME" bash "$ROOT/scripts/test-production.sh" "$([ "$ONLY" = production-stack ] && echo stack)" || failed=1
  if [ -f "$RESULTS/production.json" ]; then
    PASS[production]="$(node -e 'const s=require(process.argv[1]).stats; console.log(s.expected)' "$RESULTS/production.json")"
    FAIL[production]="$(node -e 'const s=require(process.argv[1]).stats; console.log(s.unexpected + s.flaky)' "$RESULTS/production.json")"
  fi
fi

total_pass=0; total_fail=0
echo
echo "Test summary"
for kind in unit integration resilience e2e production; do
  [ -n "${PASS[$kind]:-}${FAIL[$kind]:-}" ] || continue
  printf '  %-12s %4s passed, %s failed\n' "$kind" "${PASS[$kind]:-0}" "${FAIL[$kind]:-0}"
  total_pass=$((total_pass + ${PASS[$kind]:-0})); total_fail=$((total_fail + ${FAIL[$kind]:-0}))
done
[ "$failed" = 0 ] || [ "$total_fail" -gt 0 ] || total_fail=1
if [ -s "$RESULTS/figures.txt" ]; then
  echo
  echo "Figures"
  sed 's/^/  /' "$RESULTS/figures.txt"
fi
echo "$total_pass passed, $total_fail failed"
exit "$failed"
