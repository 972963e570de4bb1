#!/usr/bin/env bash
# `npm run bench`: the performance bench of issue 6 against production builds, the real Kratos and
# PostgreSQL. Brings up its own stack (Kratos 5533/5534, databases app_bench/kratos_bench, apps on
# 3300-3308), so it never collides with `npm run dev` or a test stack, and stops everything it started.
# Arguments go to bench/main.ts: --quick, --profile, --only=gate,calls,sweeper,client,audit, --source=head.
set -euo pipefail
STACK_NAME="${BENCH_STACK_NAME:-bench}"
NPM_SCRIPT=bench
export APP_PORT="${BENCH_APP_PORT:-3300}"
export KRATOS_PUBLIC_PORT="${BENCH_KRATOS_PUBLIC_PORT:-5533}"
export KRATOS_ADMIN_PORT="${BENCH_KRATOS_ADMIN_PORT:-5534}"
export APP_DB="app_${STACK_NAME}" KRATOS_DB="kratos_${STACK_NAME}"
export NEXT_TELEMETRY_DISABLED=1
. "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

throwaway_secrets
# The production policy (default preset), not the test run's seconds.
export IDLE_POLICY_PRESET=default
unset IDLE_POLICY
load_stack_config
allow_extra_app_ports 9 # the bench's apps listen on APP_PORT + 0..9

STARTED=0
cleanup() {
  trap - EXIT INT TERM
  [ "$STARTED" = 1 ] || return 0
  stop_pidfile "$STATE_DIR/kratos.pid"
  for db in "$APP_DB" "$KRATOS_DB"; do
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists --force "$db" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

ensure_node_modules
ensure_chromium
ensure_postgres
check_ports
STARTED=1
prepare_databases fresh
start_kratos

status=0
node --conditions=react-server --import tsx bench/main.ts "$@" || status=$?
exit "$status"
