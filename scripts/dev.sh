#!/usr/bin/env bash
# `npm run dev`: brings the whole stack up on a fresh clone and keeps it in the foreground.
#   npm dependencies -> Kratos v1.3.1 (built from the Go module once, then cached) -> databases and
#   migrations -> demo accounts -> mailpit + Kratos + Next.js on http://localhost:3000. Ctrl-C stops everything.
set -euo pipefail
STACK_NAME=dev
NPM_SCRIPT=dev
CHECK_MAILPIT_PORTS=1
. "$(dirname "$0")/lib.sh"

ensure_env_file
load_stack_config
check_ports
ensure_node_modules
ensure_postgres
prepare_databases
ensure_mailpit_binary

cleanup() {
  trap - EXIT INT TERM
  say "stopping"
  [ -n "${NEXT_PID:-}" ] && kill "$NEXT_PID" 2>/dev/null || true
  stop_pidfile "$STATE_DIR/kratos.pid"
  stop_pidfile "$STATE_DIR/mailpit.pid"
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

start_mailpit
start_kratos
seed_demo_accounts
(cd "$ROOT" && node --import tsx scripts/print-demo.ts)
say "mail (recovery and verification codes) lands in mailpit: $MAILPIT_API_URL"

say "starting Next.js on $APP_URL"
cd "$ROOT"
NEXT_TELEMETRY_DISABLED=1 npx next dev --hostname localhost --port "$APP_PORT" &
NEXT_PID=$!
wait "$NEXT_PID"
