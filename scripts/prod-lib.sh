#!/usr/bin/env bash
# The production shape, for `npm run prod` (scripts/prod.sh) and the production test stage
# (scripts/test-production.sh). Source it after scripts/lib.sh; it does nothing on its own.
#
#   browser ── https://localhost:$PROD_HTTPS_PORT ── Caddy (deploy/Caddyfile, tls internal, HSTS)
#                 /.ory/*  -> Kratos public API on 127.0.0.1 (no --dev; kratos.yml + kratos.prod.yml)
#                 else     -> two `next start` instances on 127.0.0.1, round robin
#   Kratos admin API: 127.0.0.1 only, never behind the proxy.
#
# Every process gets a pid file in $STATE_DIR (started with setsid: the pid is its process group too) and a
# log next to it. Inputs (with the defaults of `npm run prod`): PROD_HTTPS_PORT (8443), PROD_APP_PORTS
# ("3001 3002"), KRATOS_PUBLIC_PORT / KRATOS_ADMIN_PORT (4455 / 4456), APP_DB / KRATOS_DB, NEXT_DIST_DIR.

# URLs of the one origin. The browser reaches Kratos at $APP_URL/.ory; the app's server side calls Kratos
# directly on loopback (KRATOS_PUBLIC_INTERNAL_URL), so that channel never leaves the machine.
prod_config() {
  export PROD_HTTPS_PORT="${PROD_HTTPS_PORT:-8443}"
  export PROD_APP_PORTS="${PROD_APP_PORTS:-3001 3002}"
  export KRATOS_PUBLIC_PORT="${KRATOS_PUBLIC_PORT:-4455}" KRATOS_ADMIN_PORT="${KRATOS_ADMIN_PORT:-4456}"
  export APP_URL="https://localhost:$PROD_HTTPS_PORT"
  export KRATOS_PUBLIC_URL="$APP_URL/.ory"
  export KRATOS_PUBLIC_INTERNAL_URL="http://127.0.0.1:$KRATOS_PUBLIC_PORT"
  export KRATOS_ADMIN_URL="http://127.0.0.1:$KRATOS_ADMIN_PORT"
  export SERVE_ADMIN_BASE_URL="http://127.0.0.1:$KRATOS_ADMIN_PORT/"
  export KRATOS_MODE=prod KRATOS_EXTRA_RETURN_URLS=""
  # Kratos' settings hook goes straight to the first instance on loopback (Caddy never forwards /api/internal/*).
  export APP_HOOK_URL="${APP_HOOK_URL:-http://127.0.0.1:${PROD_APP_PORTS%% *}}"
  load_stack_config
  local upstreams="" p
  for p in $PROD_APP_PORTS; do upstreams="$upstreams 127.0.0.1:$p"; done
  # deploy/Caddyfile reads these ({$VAR}); Caddy keeps its CA and certificates under $STATE_DIR/caddy.
  export SITE_ADDRESS="localhost:$PROD_HTTPS_PORT" TLS_ISSUER=internal CADDY_DATA_DIR="$STATE_DIR/caddy/data"
  export KRATOS_UPSTREAM="127.0.0.1:$KRATOS_PUBLIC_PORT" APP_UPSTREAMS="${upstreams# }"
  export CADDY_ROOT_CERT="$CADDY_DATA_DIR/pki/authorities/local/root.crt"
}

prod_check_ports() {
  local p
  for p in "$PROD_HTTPS_PORT" $PROD_APP_PORTS "$KRATOS_PUBLIC_PORT" "$KRATOS_ADMIN_PORT"; do
    port_free "$p" || die "port $p is already in use. Stop what listens there, or choose other ports:" \
      "PROD_HTTPS_PORT, PROD_APP_PORTS=\"a b\", KRATOS_PUBLIC_PORT, KRATOS_ADMIN_PORT"
  done
}

# One `next start` instance: N is its position in PROD_APP_PORTS (1, 2, ...). Plain node (no npx), so the pid
# is the server itself and a SIGTERM reaches it first hand. INSTANCE_ID names it in its logs.
prod_start_app() {
  local n="$1" port
  port="$(echo "$PROD_APP_PORTS" | awk -v n="$n" '{print $n}')"
  [ -n "$port" ] || die "no port for app instance $n in PROD_APP_PORTS=\"$PROD_APP_PORTS\""
  (cd "$ROOT" && INSTANCE_ID="app-$n" exec setsid node node_modules/next/dist/bin/next start \
    --hostname 127.0.0.1 --port "$port" >>"$STATE_DIR/app-$n.log" 2>&1) &
  echo $! > "$STATE_DIR/app-$n.pid"
}

prod_wait_app() {
  local n="$1" port
  port="$(echo "$PROD_APP_PORTS" | awk -v n="$n" '{print $n}')"
  wait_http "http://127.0.0.1:$port/api/health" 90 \
    || { tail -30 "$STATE_DIR/app-$n.log" >&2; die "app instance $n (port $port) did not start"; }
}

prod_start_caddy() {
  local caddy
  caddy="$(bash "$ROOT/scripts/build-go-tool.sh" caddy)" || die "building Caddy failed (see the messages above)"
  mkdir -p "$CADDY_DATA_DIR" "$STATE_DIR/caddy/config"
  # XDG_* keep everything Caddy writes under $STATE_DIR (nothing in $HOME); it never runs `caddy trust`.
  (cd "$ROOT" && XDG_DATA_HOME="$STATE_DIR/caddy" XDG_CONFIG_HOME="$STATE_DIR/caddy/config" \
    exec setsid "$caddy" run --config deploy/Caddyfile --adapter caddyfile >>"$STATE_DIR/caddy.log" 2>&1) &
  echo $! > "$STATE_DIR/caddy.pid"
  for _ in $(seq 1 120); do
    if [ -f "$CADDY_ROOT_CERT" ] \
      && curl -fsS -o /dev/null --cacert "$CADDY_ROOT_CERT" "$APP_URL/api/health" 2>/dev/null; then
      # Node processes started from here on (the tests) trust Caddy's local CA for fetches to the origin.
      export NODE_EXTRA_CA_CERTS="$CADDY_ROOT_CERT"
      return 0
    fi
    sleep 0.25
  done
  tail -30 "$STATE_DIR/caddy.log" >&2; die "Caddy did not serve $APP_URL"
}

# Kratos (production overlay), the app instances, then Caddy; the databases must exist and be migrated.
prod_start_all() {
  start_mailpit
  start_kratos
  local n count
  count="$(echo "$PROD_APP_PORTS" | wc -w)"
  for n in $(seq 1 "$count"); do prod_start_app "$n"; done
  for n in $(seq 1 "$count"); do prod_wait_app "$n"; done
  prod_start_caddy
}

prod_stop_all() {
  local f
  stop_pidfile "$STATE_DIR/caddy.pid"
  for f in "$STATE_DIR"/app-*.pid; do [ -e "$f" ] && stop_pidfile "$f"; done
  stop_pidfile "$STATE_DIR/kratos.pid"
  stop_pidfile "$STATE_DIR/mailpit.pid"
}
