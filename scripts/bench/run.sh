#!/usr/bin/env bash
# `npm run bench`: the performance bench of issue 6 against production builds, the real Kratos and
# PostgreSQL. Brings up its own stack (Kratos 5533/5534, databases app_bench/kratos_bench, apps on
# 3300-3308), so it never collides with `npm run dev` or a test stack, and stops everything it started.
# Arguments go to scripts/bench/main.ts: --quick, --profile, --only=gate,calls,sweeper,client, --source=head.
set -euo pipefail
STACK_NAME="${BENCH_STACK_NAME:-bench}"
NPM_SCRIPT=bench
export APP_PORT="${BENCH_APP_PORT:-3300}"
export KRATOS_PUBLIC_PORT="${BENCH_KRATOS_PUBLIC_PORT:-5533}"
export KRATOS_ADMIN_PORT="${BENCH_KRATOS_ADMIN_PORT:-5534}"
export APP_DB="app_${STACK_NAME}" KRATOS_DB="kratos_${STACK_NAME}"
export NEXT_TELEMETRY_DISABLED=1
. "$(dirname "$0")/../lib.sh"
cd "$ROOT"

# Throwaway secrets for this run only, never written to disk.
export SESSION_SECRET="$(openssl rand -hex 32)"
export KRATOS_SECRETS_COOKIE="$(openssl rand -hex 24)" KRATOS_SECRETS_CIPHER="$(openssl rand -hex 16)"
# The production policy (default preset), not the test run's seconds.
export IDLE_POLICY_PRESET=default
unset IDLE_POLICY
load_stack_config
# Apps listen on APP_PORT + 0..8; Kratos must accept them as return URLs and CORS origins.
KRATOS_EXTRA_RETURN_URLS="$(for n in 1 2 3 4 5 6 7 8; do printf 'http://localhost:%s,' $((APP_PORT + n)); done)"
export KRATOS_EXTRA_RETURN_URLS="${KRATOS_EXTRA_RETURN_URLS%,}"

STARTED=0
cleanup() {
  trap - EXIT INT TERM
  [ "$STARTED" = 1 ] || return 0
  stop_pidfile "$STATE_DIR/kratos.pid"
  for db in "$APP_DB" "$KRATOS_DB"; do dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists --force "$db" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

ensure_node_modules
ensure_chromium
ensure_postgres
check_ports
STARTED=1
for db in "$APP_DB" "$KRATOS_DB"; do
  dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists --force "$db" 2>/dev/null || true
  ensure_database "$db"
done
ensure_kratos_binary
migrate_kratos
migrate_app
start_kratos

status=0
node --conditions=react-server --import tsx scripts/bench/main.ts "$@" || status=$?
exit "$status"
