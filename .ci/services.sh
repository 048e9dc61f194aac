#!/usr/bin/env bash
# Test services for Flows: an SMTP sink (aiosmtpd), chromedriver and PostgreSQL.
#
#   bash .ci/services.sh install|start|stop|status
#   source .ci/services.sh start     # same, and exports the test env into this shell
#
# `start` also writes the test environment to $FLOWS_CI_DIR/env.sh (source it).
# Every subcommand is idempotent: running it twice is harmless and fast.

FLOWS_CI_DIR=${FLOWS_CI_DIR:-/tmp/flows-ci}
SMTP_PORT=${FLOWS_TEST_SMTP_PORT:-2525}
CHROMEDRIVER_PORT=${FLOWS_TEST_CHROMEDRIVER_PORT:-9515}
# Deliberately not $MAILDIR: that is a common user variable pointing at a real
# mailbox, and `start` rm -rf's this path.
SMTP_MAILDIR=${FLOWS_TEST_MAILDIR:-$FLOWS_CI_DIR/maildir}
# PostgreSQL: Debian's server binaries, a throw-away cluster of our own on a port of its own
# (never the machine's own cluster), run as the `postgres` system user the package creates.
PG_PORT=${FLOWS_TEST_PG_PORT:-55432}
PG_DATA=$FLOWS_CI_DIR/pgdata
SCHEMATHESIS_VERSION=4.32.5
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
# axe-core (npm, pinned in tests/axe/package-lock.json) for the accessibility scan.
FLOWS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AXE_DIR=$FLOWS_ROOT/tests/axe
AXE_JS=$AXE_DIR/node_modules/axe-core/axe.min.js
# WSO2's JavaScript SDK (npm, pinned in tests/sdk/package-lock.json): an external client of
# the Flow Execution API (tests/journeys/sdk.rs runs tests/sdk/register.mjs with node).
SDK_DIR=$FLOWS_ROOT/tests/sdk
SDK_PKG=$SDK_DIR/node_modules/@asgardeo/javascript/package.json
# panva's certified OpenID Provider (npm, pinned in tests/oidc/package-lock.json): the real
# upstream of social sign-up (tests/journeys/oidc_provider.rs runs tests/oidc/provider.mjs).
OIDC_DIR=$FLOWS_ROOT/tests/oidc
OIDC_PKG=$OIDC_DIR/node_modules/oidc-provider/package.json
# The Nu HTML Checker (npm vnu-jar, pinned in tests/vnu/package-lock.json; run with Java): the
# outside judge of every console page's HTML (tests/journeys/html_checker.rs).
VNU_DIR=$FLOWS_ROOT/tests/vnu
VNU_JAR=$VNU_DIR/node_modules/vnu-jar/build/dist/vnu.jar

_svc_log() { echo "[services] $*"; }

# _svc_alive PID WORD: PID is running and its command line mentions WORD
# (guards against killing an unrelated process that reused a stale PID).
_svc_alive() {
  [[ -n ${1:-} && -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

_svc_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

svc_install() {
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  if python3 -c 'import aiosmtpd' 2>/dev/null; then
    _svc_log "aiosmtpd: already present"
  else
    python3 -m pip install -q --disable-pip-version-check aiosmtpd || return 1
    _svc_log "aiosmtpd: installed"
  fi
  # schemathesis, pinned: the outside judge of the OpenAPI document (tests/journeys/fuzz_api.rs).
  if schemathesis --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
    _svc_log "schemathesis: already present"
  else
    python3 -m pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" || return 1
    _svc_log "schemathesis: installed"
  fi
  if [[ -x $CHROMIUM && -x $CHROMEDRIVER ]]; then
    _svc_log "chromium + chromedriver: already present"
  else
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null || return 1
    _svc_log "chromium + chromedriver: installed"
  fi
  if [[ -n $(_pg_bin) ]]; then
    _svc_log "postgresql: already present"
  else
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
    [[ -n $(_pg_bin) ]] || { _svc_log "postgresql: no server binaries after install" >&2; return 1; }
    _svc_log "postgresql: installed"
  fi
  # mkfs.ext4 and e2fsck, for the read-only disk fault test (tests/journeys/faults/disk.rs).
  if command -v mkfs.ext4 >/dev/null && command -v e2fsck >/dev/null; then
    _svc_log "e2fsprogs: already present"
  else
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq e2fsprogs >/dev/null || return 1
    _svc_log "e2fsprogs: installed"
  fi
  # openssl, for the test CA of the breached-password check over TLS (tests/journeys/breached.rs).
  if command -v openssl >/dev/null; then
    _svc_log "openssl: already present"
  else
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null || return 1
    _svc_log "openssl: installed"
  fi
  _svc_npm axe-core "$AXE_DIR" "$AXE_JS" || return 1
  _svc_npm @asgardeo/javascript "$SDK_DIR" "$SDK_PKG" || return 1
  _svc_npm oidc-provider "$OIDC_DIR" "$OIDC_PKG" || return 1
  _svc_npm vnu-jar "$VNU_DIR" "$VNU_JAR" || return 1
  if command -v java >/dev/null; then
    _svc_log "java: already present"
  else
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null || return 1
    _svc_log "java: installed"
  fi
}

# _pg_bin: the newest installed PostgreSQL server's bin directory, or nothing.
_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/postgres ]] && echo "$dir"
}

# _pg_as_owner CMD...: runs CMD as the cluster's owner (PostgreSQL refuses to run as root).
_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# _pg_init: a fresh cluster in $PG_DATA unless one is there; trust on 127.0.0.1 only, and no
# fsync: it holds test data that each run recreates.
_pg_init() {
  local bin
  bin=$(_pg_bin) || return 1
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  mkdir -p "$PG_DATA" || return 1
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$PG_DATA"
  chmod 700 "$PG_DATA"
  _pg_as_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$FLOWS_CI_DIR/postgres-initdb.log" 2>&1 || { tail -n 20 "$FLOWS_CI_DIR/postgres-initdb.log" >&2; return 1; }
}

# _svc_npm NAME DIR FILE: `npm ci` in DIR (from its committed package-lock.json) unless
# FILE, which that install brings, is already there. Installs node and npm when missing.
_svc_npm() {
  local name=$1 dir=$2 file=$3 sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  if [[ -f $file ]]; then
    _svc_log "$name: already present"
    return 0
  fi
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || return 1
  fi
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error || return 1
  [[ -f $file ]] || { _svc_log "$name: $file missing after npm ci" >&2; return 1; }
  _svc_log "$name: installed"
}

# _svc_launch NAME PORT WORD CMD...: start CMD detached unless already running.
_svc_launch() {
  local name=$1 port=$2 word=$3 pidfile="$FLOWS_CI_DIR/$1.pid" log="$FLOWS_CI_DIR/$1.log" pid i
  shift 3
  pid=$(cat "$pidfile" 2>/dev/null)
  if _svc_alive "$pid" "$word" && _svc_port_open "$port"; then
    _svc_log "$name: already running (pid $pid, port $port)"
    return 0
  fi
  if _svc_port_open "$port"; then
    _svc_log "$name: port $port is already in use by another process" >&2
    return 1
  fi
  [[ $name == smtp ]] && rm -rf "$SMTP_MAILDIR"  # Mailbox must create the maildir itself
  rm -f "$pidfile"
  # setsid: own session/process group, so `stop` can also reap chromium children.
  # The child writes its own PID ($! is unreliable when setsid forks).
  setsid -f bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" \
    </dev/null >"$log" 2>&1
  for ((i = 0; i < 100; i++)); do  # poll up to 10 s
    pid=$(cat "$pidfile" 2>/dev/null)
    if _svc_port_open "$port"; then
      _svc_log "$name: started (pid $pid, port $port, log $log)"
      return 0
    fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  _svc_log "$name: failed to start on port $port; last log lines:" >&2
  tail -n 20 "$log" >&2
  return 1
}

svc_start() {
  mkdir -p "$FLOWS_CI_DIR" || return 1
  _svc_launch smtp "$SMTP_PORT" aiosmtpd \
    python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$SMTP_MAILDIR" || return 1
  _svc_launch chromedriver "$CHROMEDRIVER_PORT" chromedriver \
    "$CHROMEDRIVER" --port="$CHROMEDRIVER_PORT" || return 1
  _pg_init || return 1
  _svc_launch postgres "$PG_PORT" postgres \
    bash -c 'if [[ $(id -u) -eq 0 ]]; then exec runuser -u postgres -- "$@"; else exec "$@"; fi' _ \
    "$(_pg_bin)/postgres" -D "$PG_DATA" -p "$PG_PORT" -k /tmp -c listen_addresses=127.0.0.1 \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 || return 1
  cat >"$FLOWS_CI_DIR/env.sh" <<EOF
export FLOWS_TEST_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export FLOWS_TEST_MAILDIR=$SMTP_MAILDIR
export FLOWS_TEST_WEBDRIVER=http://127.0.0.1:$CHROMEDRIVER_PORT
export FLOWS_TEST_CHROMIUM=$CHROMIUM
export FLOWS_TEST_AXE=$AXE_JS
export FLOWS_TEST_VNU=$VNU_JAR
export FLOWS_TEST_SDK_DIR=$SDK_DIR
export FLOWS_TEST_OIDC_DIR=$OIDC_DIR
export FLOWS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres
EOF
  cat "$FLOWS_CI_DIR/env.sh"
  . "$FLOWS_CI_DIR/env.sh"  # only has an effect when this file is sourced
}

# _svc_members PID WORD: PIDs of a service's session. The session includes the
# chromium processes chromedriver started, even after chromedriver itself died
# (the kernel does not reuse a PID while it still names a live session).
# Chosen over `pkill -f 'chromium.*--headless'`, which would also kill other
# people's headless browsers on a shared machine.
_svc_members() {
  local cmd
  [[ -n $1 ]] || return 0
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)  # empty if gone or zombie
  [[ -z $cmd || $cmd == *"$2"* ]] || return 0  # PID reused by an unrelated process
  pgrep -r R,S,D,T,t -s "$1"  # -r: skip zombies waiting for init to reap them
}

# _svc_kill NAME WORD PORT: TERM (then KILL) the service's whole session.
_svc_kill() {
  local name=$1 word=$2 port=$3 pidfile="$FLOWS_CI_DIR/$1.pid" pid i
  pid=$(cat "$pidfile" 2>/dev/null)
  if [[ -z $(_svc_members "$pid" "$word") ]]; then
    _svc_log "$name: not running"
  else
    kill -TERM $(_svc_members "$pid" "$word") 2>/dev/null
    for ((i = 0; i < 50; i++)); do
      [[ -z $(_svc_members "$pid" "$word") ]] && break
      sleep 0.1
    done
    kill -KILL $(_svc_members "$pid" "$word") 2>/dev/null
    _svc_log "$name: stopped (pid $pid)"
  fi
  rm -f "$pidfile"
  for ((i = 0; i < 50; i++)); do _svc_port_open "$port" || return 0; sleep 0.1; done
  _svc_log "$name: port $port still open (not ours?)" >&2
  return 1
}

svc_stop() {
  local rc=0 bin
  # A fast shutdown first: TERM alone would wait for every client to leave.
  bin=$(_pg_bin)
  if [[ -n $bin && -f $PG_DATA/postmaster.pid ]]; then
    _pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" stop -m fast -w -t 20 >/dev/null 2>&1
  fi
  _svc_kill postgres postgres "$PG_PORT" || rc=1
  # The cluster holds only the tests' throw-away databases: the next start begins empty.
  rm -rf "$PG_DATA"
  _svc_kill chromedriver chromedriver "$CHROMEDRIVER_PORT" || rc=1
  _svc_kill smtp aiosmtpd "$SMTP_PORT" || rc=1
  return $rc
}

svc_status() {
  local name port
  for name in smtp chromedriver postgres; do
    case $name in smtp) port=$SMTP_PORT ;; chromedriver) port=$CHROMEDRIVER_PORT ;; *) port=$PG_PORT ;; esac
    if _svc_port_open "$port"; then _svc_log "$name: up on port $port"; else _svc_log "$name: down"; fi
  done
}

_svc_main() {
  case ${1:-} in
    install | start | stop | status) "svc_$1" ;;
    *) echo "usage: $0 install|start|stop|status" >&2; return 2 ;;
  esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -uo pipefail
  _svc_main "$@"
  exit
elif [[ $# -gt 0 ]]; then
  # Sourced with a subcommand. (Bash gotcha: a plain `source` from inside a
  # script passes that script's own arguments, so always name the subcommand.)
  _svc_main "$@"
fi
