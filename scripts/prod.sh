#!/usr/bin/env bash
# `npm run prod`: the production shape on this machine, in the foreground. Ctrl-C stops everything.
#   npm dependencies -> Kratos and Caddy (built from their Go modules once, then cached) -> databases and
#   migrations -> one `next build` -> Kratos without --dev + two `next start` instances + Caddy on
#   https://localhost:8443 (tls internal: the browser warns once about Caddy's local CA; accept it or trust
#   $STATE_DIR/caddy/data/pki/authorities/local/root.crt yourself; nothing is installed system-wide).
# Topology, every variable and how to run it on a server: docs/deploy.md.
set -euo pipefail
STACK_NAME=production
NPM_SCRIPT=prod
export APP_DB="${APP_DB:-app_production}" KRATOS_DB="${KRATOS_DB:-kratos_production}"
export NEXT_DIST_DIR="${NEXT_DIST_DIR:-.next-production}" NEXT_TELEMETRY_DISABLED=1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/prod-lib.sh"
STARTED_AT=$(date +%s)

# Local secrets from the git-ignored .env.local (generated once); on a server they come from the
# environment (systemd EnvironmentFile, docs/deploy.md).
ensure_env_file
prod_config
prod_check_ports
ensure_node_modules
ensure_postgres
prepare_databases

cleanup() {
  trap - EXIT INT TERM
  say "stopping"
  prod_stop_all
}
trap cleanup EXIT INT TERM

say "building the app once for every instance (next build into $NEXT_DIST_DIR)"
(cd "$ROOT" && npx next build >"$STATE_DIR/build.log" 2>&1) \
  || { tail -40 "$STATE_DIR/build.log" >&2; die "next build failed"; }
prod_start_all
seed_demo_accounts
(cd "$ROOT" && node --import tsx scripts/print-demo.ts)
say "production shape up in $(( $(date +%s) - STARTED_AT )) s: $APP_URL (Kratos at $KRATOS_PUBLIC_URL," \
  "app instances on 127.0.0.1:${PROD_APP_PORTS// /, :}, Kratos admin on $KRATOS_ADMIN_URL only; logs in $STATE_DIR)"
say "Ctrl-C stops everything"
wait
