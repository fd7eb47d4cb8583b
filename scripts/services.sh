#!/usr/bin/env bash
# npm run services: installs what is missing and starts, on loopback only, every server the
# integration suites talk to. Idempotent: a server already answering is left as it is, and what was
# built or installed once is reused from .services/ (git-ignored).
#
#   PostgreSQL 127.0.0.1:5432  Debian's postgresql; user postgres, trust on local and loopback
#   PgBouncer  127.0.0.1:6432  Debian's pgbouncer in front of that PostgreSQL: pool_mode = transaction,
#                              default_pool_size 4, any database (a `*` entry), trust as the server
#   Redis      127.0.0.1:6379  Debian's redis-server; no persistence
#   nginx                      Debian's nginx binary only (not started: the scale suite runs its own)
#   Chromium                   Debian's chromium binary only (headless, driven by playwright-core: the passkey suite)
#   FerretDB   127.0.0.1:27017 v1.24.2 (MongoDB wire protocol) built from the Go module proxy,
#                              SQLite handler, state under .services/ferretdb
#   moto       127.0.0.1:5000  moto[server] 5.x from PyPI in .services/venv: S3, SSM, KMS, SQS
#   schemathesis               4.x from PyPI in the same venv (a CLI, not a server): the property layer
#
# Writes the environment the suites read to .services.env (KEY=value lines; a shell can source it).
# Needs root for apt-get and for PostgreSQL's cluster (as on the project's machines and CI).
set -euo pipefail
# Go from the official tarball lives here on the project's machines, not always on a non-login PATH.
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) [ -x /usr/local/go/bin/go ] && PATH=$PATH:/usr/local/go/bin ;; esac
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.services
mkdir -p "$STATE/bin" "$STATE/logs"
started=()
t0=$(date +%s)

FERRETDB_VERSION=${FERRETDB_VERSION:-v1.24.2}
MOTO_SPEC=${MOTO_SPEC:-moto[server]>=5,<6}
SCHEMATHESIS_SPEC=${SCHEMATHESIS_SPEC:-schemathesis>=4.32,<5}
MOTO_PORT=${MOTO_PORT:-5000}
MONGO_PORT=${MONGO_PORT:-27017}

log() { printf 'services: %s\n' "$*"; }
fail() { printf 'services: FAILED: %s\n' "$*" >&2; exit 1; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  fail "$what did not answer within ${seconds}s"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq >"$STATE/logs/apt.log" 2>&1 || fail "apt-get update (see $STATE/logs/apt.log)"; apt_updated=1; fi
  log "installing $* from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$STATE/logs/apt.log" 2>&1 \
    || fail "apt-get install $* (see $STATE/logs/apt.log)"
}

# --- PostgreSQL ---------------------------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then apt_install postgresql; fi
PG_VERSION=$(ls /etc/postgresql | sort -V | tail -n 1)
PG_CONF=/etc/postgresql/$PG_VERSION/main
# Trust for local sockets and loopback only, as the suites expect (no password).
if ! grep -q '^# portico-services' "$PG_CONF/pg_hba.conf"; then
  cat >"$PG_CONF/pg_hba.conf" <<'EOF'
# portico-services: written by scripts/services.sh (test machine: trust on local and loopback only)
local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
host    all             all             ::1/128                 trust
local   replication     all                                     trust
host    replication     all             127.0.0.1/32            trust
EOF
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main reload >/dev/null 2>&1 || true
fi
if ! grep -q "^listen_addresses = 'localhost'" "$PG_CONF/postgresql.conf"; then
  echo "listen_addresses = 'localhost'" >>"$PG_CONF/postgresql.conf"
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || fail "PostgreSQL $PG_VERSION did not start (see /var/log/postgresql)"
  started+=("PostgreSQL $PG_VERSION")
fi
wait_for 30 PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q
# The suites connect to database "test" to create a database of their own per suite.
if ! psql -h 127.0.0.1 -U postgres -Atqc "select 1 from pg_database where datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc 'create database test' >/dev/null
fi

# --- PgBouncer (transaction pooling in front of that PostgreSQL) ---------------------------------
# The suites that run "via PgBouncer" reach every database they create through the `*` entry. Run as
# the postgres user (PgBouncer refuses root), with its config, log and pid under .services/pgbouncer.
PGBOUNCER_PORT=${PGBOUNCER_PORT:-6432}
if ! command -v pgbouncer >/dev/null; then apt_install pgbouncer; fi
PGB=$STATE/pgbouncer
mkdir -p "$PGB"
cat >"$PGB/pgbouncer.ini.new" <<EOF
; written by scripts/services.sh
[databases]
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $PGB/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 400
logfile = $PGB/pgbouncer.log
pidfile = $PGB/pgbouncer.pid
admin_users = postgres
log_connections = 0
log_disconnections = 0
EOF
echo '"postgres" ""' >"$PGB/userlist.txt"
# A changed config is only read by a PgBouncer started after it: restart ours (never another's).
if [ -f "$PGB/pgbouncer.ini" ] && ! cmp -s "$PGB/pgbouncer.ini.new" "$PGB/pgbouncer.ini" && [ -f "$PGB/pgbouncer.pid" ]; then
  kill "$(cat "$PGB/pgbouncer.pid")" 2>/dev/null || true
  for _ in $(seq 1 20); do port_open "$PGBOUNCER_PORT" || break; sleep 0.25; done
fi
mv "$PGB/pgbouncer.ini.new" "$PGB/pgbouncer.ini"
chown -R postgres: "$PGB"
if ! port_open "$PGBOUNCER_PORT"; then
  pgbouncer -d -u postgres "$PGB/pgbouncer.ini" >>"$STATE/logs/pgbouncer-start.log" 2>&1 \
    || fail "PgBouncer did not start (see $PGB/pgbouncer.log)"
  started+=("PgBouncer $(pgbouncer --version | head -n 1 | grep -Eo '[0-9.]+$')")
fi
wait_for 15 "PgBouncer on 127.0.0.1:$PGBOUNCER_PORT" psql -h 127.0.0.1 -p "$PGBOUNCER_PORT" -U postgres -d test -Atqc 'select 1'

# --- nginx (the binary only: the scale suite starts its own on free ports) ------------------------
if ! command -v nginx >/dev/null; then apt_install nginx; fi

# --- Chromium (the binary only: the passkey suite launches it headless with a virtual authenticator)
if ! command -v chromium >/dev/null; then apt_install chromium; fi

# --- Redis --------------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null; then apt_install redis-server; fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --dir "$STATE" --logfile "$STATE/logs/redis.log" --pidfile "$STATE/redis.pid"
  started+=("Redis")
fi
wait_for 15 Redis redis-cli -h 127.0.0.1 -p 6379 ping

# --- FerretDB (MongoDB wire protocol) -----------------------------------------------------------
FERRETDB=$STATE/bin/ferretdb-$FERRETDB_VERSION
if [ ! -x "$FERRETDB" ]; then
  command -v go >/dev/null || fail "Go is needed to build FerretDB (go install from the module proxy)"
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first time only; a few minutes)"
  # go install of cmd/ferretdb panics at start ("Invalid build/version/version.txt"): the release's
  # version file is generated by its own build tooling. So: the module as the proxy serves it, the
  # version file written, then go build.
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>"$STATE/logs/ferretdb-build.log" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || fail "go mod download FerretDB $FERRETDB_VERSION (see $STATE/logs/ferretdb-build.log)"
  tmp=$(mktemp -d)
  cp -r "$src/." "$tmp/" && chmod -R u+w "$tmp" && echo "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
  (cd "$tmp" && CGO_ENABLED=0 go build -o "$FERRETDB" ./cmd/ferretdb) >>"$STATE/logs/ferretdb-build.log" 2>&1 \
    || fail "go build FerretDB $FERRETDB_VERSION (see $STATE/logs/ferretdb-build.log)"
  rm -rf "$tmp"
fi
if ! port_open "$MONGO_PORT"; then
  mkdir -p "$STATE/ferretdb"
  nohup "$FERRETDB" --listen-addr="127.0.0.1:$MONGO_PORT" --handler=sqlite --sqlite-url="file:$STATE/ferretdb/" \
    --telemetry=disable --state-dir="$STATE/ferretdb" --log-level=WARN --debug-addr=127.0.0.1:8088 \
    >"$STATE/logs/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$STATE/ferretdb.pid"
  started+=("FerretDB $FERRETDB_VERSION")
fi
wait_for 20 "FerretDB on 127.0.0.1:$MONGO_PORT" port_open "$MONGO_PORT"

# --- moto (S3, SSM, KMS, SQS) -------------------------------------------------------------------
VENV=$STATE/venv
if [ ! -x "$VENV/bin/moto_server" ]; then
  command -v python3 >/dev/null || apt_install python3 python3-venv
  log "installing $MOTO_SPEC into .services/venv (first time only)"
  python3 -m venv "$VENV" >"$STATE/logs/moto-install.log" 2>&1 || fail "python3 -m venv (see $STATE/logs/moto-install.log)"
  "$VENV/bin/pip" install -q "$MOTO_SPEC" >>"$STATE/logs/moto-install.log" 2>&1 || fail "pip install $MOTO_SPEC (see $STATE/logs/moto-install.log)"
fi
if ! port_open "$MOTO_PORT"; then
  nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" >"$STATE/logs/moto.log" 2>&1 </dev/null &
  echo $! >"$STATE/moto.pid"
  started+=("moto $("$VENV/bin/python" -c 'import moto; print(moto.__version__)')")
fi
wait_for 30 "moto on 127.0.0.1:$MOTO_PORT" curl -fsS "http://127.0.0.1:$MOTO_PORT/moto-api/"

# --- schemathesis (the property layer's CLI) ----------------------------------------------------
SCHEMATHESIS=$VENV/bin/schemathesis
if [ ! -x "$SCHEMATHESIS" ]; then
  log "installing $SCHEMATHESIS_SPEC into .services/venv (first time only)"
  "$VENV/bin/pip" install -q "$SCHEMATHESIS_SPEC" >"$STATE/logs/schemathesis-install.log" 2>&1 \
    || fail "pip install $SCHEMATHESIS_SPEC (see $STATE/logs/schemathesis-install.log)"
fi
SCHEMATHESIS_VERSION=$("$SCHEMATHESIS" --version 2>/dev/null | grep -Eo '[0-9]+[.][0-9]+[.][0-9]+' | head -n 1)
[ -n "$SCHEMATHESIS_VERSION" ] || fail "$SCHEMATHESIS does not run (see $STATE/logs/schemathesis-install.log)"

# --- The environment the suites read ------------------------------------------------------------
MOTO=http://127.0.0.1:$MOTO_PORT
cat >"$ROOT/.services.env" <<EOF
# Written by npm run services ($(date -u +%FT%TZ)). The test harness reads it; a shell can source it.
PGHOST=127.0.0.1
PGPORT=5432
PGUSER=postgres
PGBOUNCER_HOST=127.0.0.1
PGBOUNCER_PORT=$PGBOUNCER_PORT
NGINX=$(command -v nginx)
CHROMIUM=$(command -v chromium)
REDIS_URL=redis://127.0.0.1:6379
MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT
MONGO_SERVER="FerretDB $FERRETDB_VERSION (SQLite handler)"
AWS_ENDPOINT_URL_S3=$MOTO
AWS_ENDPOINT_URL_SSM=$MOTO
AWS_ENDPOINT_URL_KMS=$MOTO
AWS_ENDPOINT_URL_SQS=$MOTO
MOTO_URL=$MOTO
AWS_ACCESS_KEY_ID=moto-test
AWS_SECRET_ACCESS_KEY=moto-test
AWS_REGION=us-east-1
SCHEMATHESIS=$SCHEMATHESIS
EOF

if [ ${#started[@]} -eq 0 ]; then log "all already running"; else log "started: $(IFS=,; echo "${started[*]}" | sed 's/,/, /g')"; fi
log "PostgreSQL 127.0.0.1:5432, PgBouncer 127.0.0.1:$PGBOUNCER_PORT (transaction pooling), Redis 127.0.0.1:6379, FerretDB 127.0.0.1:$MONGO_PORT, moto $MOTO (S3, SSM, KMS, SQS), schemathesis $SCHEMATHESIS_VERSION"
log "environment written to .services.env ($(($(date +%s) - t0)) s)"
