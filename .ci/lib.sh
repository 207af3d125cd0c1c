# Shared by .ci/serve and .ci/test (greps read their whole input: with pipefail, `grep -q` can fail a
# pipeline by closing it early): where builds go, and installing what is missing. Every step is skipped
# when its tool is already there, so a second run starts building at once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Reuse one target directory outside the clone: a fresh clone then rebuilds only what changed.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cunyi/target}"
mkdir -p "$CARGO_TARGET_DIR"
# One-shot builds gain nothing from incremental state, which grew to tens of GB here.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# Playwright drives Debian's chromium; it must never try to download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { printf '\033[1;36m==> %s\033[0m\n' "$*"; }

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep '0.3.10' >/dev/null; then
    log "installing cargo-leptos 0.3.10 (about 15 minutes, once)"
    # 0.3.11 needs a newer rustc than this machine's.
    cargo install cargo-leptos --locked --version 0.3.10
  fi
  local want; want="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep " $want\$" >/dev/null; then
    log "installing wasm-bindgen-cli $want (about 5 minutes, once)"
    # Without --locked: its own lockfile pins a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
  if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing npm packages (wasm-opt from binaryen, Playwright)"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
}

# Debian's chromium, and a CJK font so screenshots show Chinese instead of empty boxes.
ensure_browser() {
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null; then
    log "installing Debian's chromium and fonts-noto-cjk"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk
  fi
}

# PostgreSQL from Debian's packages, started by hand with pg_ctlcluster (no systemd), and a role that may
# create databases: the server suite runs against it as well as SQLite (`CUNYI_TEST_POSTGRES`).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi
}

ensure_postgres() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    log "installing PostgreSQL from Debian's packages"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  fi
  PG_VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep main >/dev/null; then
    $sudo pg_createcluster "$PG_VERSION" main
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $4 }' | grep online >/dev/null; then
    log "starting PostgreSQL $PG_VERSION"
    $sudo pg_ctlcluster "$PG_VERSION" main start
  fi
  PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $3 }')"
  if ! as_postgres "psql -p $PG_PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'cunyi'\"" | grep 1 >/dev/null; then
    as_postgres "psql -p $PG_PORT -qc \"CREATE ROLE cunyi LOGIN CREATEDB PASSWORD 'cunyi'\""
  fi
  export CUNYI_TEST_POSTGRES="postgres://cunyi:cunyi@127.0.0.1:$PG_PORT/postgres"
}

# The release site: WASM optimised by the npm binaryen's wasm-opt (never Debian's, which corrupts it), file
# names hashed, pages split into parts loaded on first use (--split, see app/src/app.rs), every file written
# beside itself Brotli- and gzip-compressed (--precompress). The names' hashes go with the site (hash.txt),
# so the server names the files of the site it serves.
build_site() {
  log "building the release site"
  cargo leptos build --release --precompress --split
  cp "$CARGO_TARGET_DIR/release/hash.txt" target/site/hash.txt
}

server_bin() { echo "$CARGO_TARGET_DIR/release/server"; }

wait_for() {
  local url="$1"
  for _ in $(seq 1 120); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "server did not answer at $url" >&2
  return 1
}
