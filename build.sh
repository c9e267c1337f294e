#!/usr/bin/env bash
# The playground's one entry point.
#   ./build.sh serve   install what is missing, build, serve www/ on http://127.0.0.1:8080
#   ./build.sh test    install what is missing, then lint and run every test
#   ./build.sh bench   print the benchmark tables (native, wasm in Node, wasm in Chromium)
#   ./build.sh build   install what is missing and build www/pkg (release wasm) only
#   ./build.sh dist    build, then write dist/site, dist/offline/<lab>.html and dist/scorm/<lab>.zip
# Nothing here downloads from GitHub: tools come from crates.io, npm and Debian.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
TOOLS=$ROOT/.tools
PORT=${PORT:-8080}
WASM_PACK_VERSION=0.15.1
PLAYWRIGHT_VERSION=1.65.1
BINARYEN_VERSION=132.0.0
LIGHTHOUSE_VERSION=13.5.0
AXE_VERSION=4.14.1
TFJS_VERSION=4.22.0
ESBUILD_VERSION=0.25.0
TYPESCRIPT_VERSION=7.0.2

log() { printf '\n== %s\n' "$*" >&2; }
ver() { "$1" --version 2>/dev/null | awk '{print $2}'; }

setup() {
  export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
  local wbg apt_pid=""
  wbg="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)"
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  local pk=()
  command -v chromium >/dev/null || pk+=(chromium)
  command -v chromedriver >/dev/null || pk+=(chromium-driver)
  command -v wasm-objdump >/dev/null || pk+=(wabt)
  if ((${#pk[@]})); then
    log "installing ${pk[*]} (Debian)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pk[@]}" >/dev/null) &
    apt_pid=$!
  fi
  if [ "$(ver wasm-bindgen)" != "$wbg" ]; then
    log "installing wasm-bindgen-cli $wbg (crates.io, a few minutes)"
    cargo install --force wasm-bindgen-cli --version "=$wbg"
  fi
  if [ "$(ver wasm-pack)" != "$WASM_PACK_VERSION" ]; then
    log "installing wasm-pack $WASM_PACK_VERSION (crates.io, a few minutes)"
    cargo install --locked --force wasm-pack --version "=$WASM_PACK_VERSION"
  fi
  local npm_ok=1 pkg
  for pkg in "playwright-core:$PLAYWRIGHT_VERSION" "binaryen:$BINARYEN_VERSION" "lighthouse:$LIGHTHOUSE_VERSION" "axe-core:$AXE_VERSION" "esbuild:$ESBUILD_VERSION" "typescript:$TYPESCRIPT_VERSION"; do
    grep -qs "\"version\": \"${pkg#*:}\"" "$TOOLS/node_modules/${pkg%%:*}/package.json" || npm_ok=0
  done
  if [ "$npm_ok" = 0 ]; then
    log "installing playwright-core, binaryen, lighthouse, axe-core, esbuild and typescript (npm)"
    mkdir -p "$TOOLS"
    [ -f "$TOOLS/package.json" ] || echo '{"name":"optplay-tools","private":true}' > "$TOOLS/package.json"
    (cd "$TOOLS" && npm install --no-audit --no-fund --silent "playwright-core@$PLAYWRIGHT_VERSION" "binaryen@$BINARYEN_VERSION" \
      "lighthouse@$LIGHTHOUSE_VERSION" "axe-core@$AXE_VERSION" "esbuild@$ESBUILD_VERSION" "typescript@$TYPESCRIPT_VERSION")
  fi
  if [ -n "$apt_pid" ]; then wait "$apt_pid"; fi
}

# The engine's API for one lab family (Cargo features `landscapes`: the optimizer lab;
# `networks`: the network labs) into www/pkg/<family>/: its wasm and its own JS glue (wasm-bindgen
# numbers the glue's cast helpers per build, so one glue cannot drive another build). LTO drops
# the code the other family's API would reach. $1 family, $2 "relaxed" for the relaxed-SIMD twin,
# whose glue must be the plain one's, byte for byte. Each feature set keeps its own artefact in
# cargo's deps/, so the builds of one target directory share its dependencies and a rebuild
# without changes is a no-op; the uplifted optplay.wasm is used right after each build.
# `full` is the default feature set (both families) into www/pkg/ itself, whose plain build and
# glue wasm-pack writes.
build_family() {
  local fam=$1 out=www/pkg/$1 dir=$ROOT/target wasm=optplay_bg.wasm flags=() simd=() features=(--no-default-features --features "charts,$1")
  if [ "$fam" = full ]; then out=www/pkg features=(); fi
  if [ "${2:-}" = relaxed ]; then
    dir=$ROOT/target/relaxed wasm=optplay_relaxed_bg.wasm simd=(--enable-relaxed-simd)
    flags=(env RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd")
  fi
  "${flags[@]}" env CARGO_TARGET_DIR="$dir" cargo build --release --quiet --lib --target wasm32-unknown-unknown "${features[@]}"
  rm -rf "$dir/$fam"
  wasm-bindgen --target web --out-dir "$dir/$fam" "$dir/wasm32-unknown-unknown/release/optplay.wasm"
  mkdir -p "$out"
  if [ "${2:-}" = relaxed ]; then
    cmp -s "$dir/$fam/optplay.js" "$out/optplay.js" ||
      { echo "the relaxed-SIMD $fam build's JS glue differs from the plain build's" >&2; return 1; }
  else
    # (and the snippets it imports: src/web_charts.rs's inline JavaScript)
    rm -rf "$out/snippets"
    cp -r "$dir/$fam/optplay.js" "$dir/$fam/snippets" "$out/"
  fi
  wasm-opt -O3 --enable-simd "${simd[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$dir/$fam/optplay_bg.wasm" -o "$out/$wasm"
}

build() {
  log "building the release wasm into www/pkg"
  # wasm-opt comes from npm's binaryen (first on PATH); --mode no-install never downloads.
  # The full engine (both families' APIs: the benchmark page, the all-labs offline file, the tests).
  wasm-pack build --target web --release --out-dir www/pkg --mode no-install --no-pack
  rm -f www/pkg/.gitignore
  # The same engine with relaxed SIMD (the GEMM's multiply-add fused where the CPU has FMA):
  # www/pkg/optplay_relaxed_bg.wasm, loaded instead where the browser validates it (js/shared/pool.js).
  # Its JS glue must be the plain build's, byte for byte, since one glue drives both.
  log "building the relaxed-SIMD variant into www/pkg/optplay_relaxed_bg.wasm"
  build_family full relaxed
  # What the lab pages load (<meta name="optplay-engine"> of each page, js/shared/assets.js): the
  # optimizer lab www/pkg/landscapes/ (no relaxed twin: its code has no matrix product to fuse),
  # the network labs www/pkg/networks/ and its relaxed-SIMD twin.
  log "building the lab families' modules (landscapes; networks, plain and relaxed SIMD)"
  build_family landscapes
  build_family networks
  build_family networks relaxed
  rm -rf www/pkg/charts www/pkg/optplay_landscapes_bg.wasm www/pkg/optplay_networks_bg.wasm www/pkg/optplay_networks_relaxed_bg.wasm # (earlier builds')
  local f
  for f in "" landscapes/ networks/; do
    echo "wasm size (gzip -9): www/pkg/${f}optplay_bg.wasm $(gzip -9c "www/pkg/${f}optplay_bg.wasm" | wc -c) B"
  done
}

build_node() {
  wasm-pack build --target nodejs --release --out-dir target/pkg-node --mode no-install --no-pack >/dev/null 2>&1 ||
    wasm-pack build --target nodejs --release --out-dir target/pkg-node --mode no-install --no-pack
}

check_simd() {
  local n f
  for f in "" landscapes/ networks/; do
    n=$(wasm-objdump -d "www/pkg/${f}optplay_bg.wasm" | grep -cE 'f32x4\.|v128\.' || true)
    echo "SIMD128 instructions in www/pkg/${f}optplay_bg.wasm: $n"
    [ "$n" -gt 100 ] || { echo "expected SIMD128 instructions in www/pkg/${f}optplay_bg.wasm" >&2; return 1; }
  done
  for f in "" networks/; do
    n=$(wasm-objdump -d "www/pkg/${f}optplay_relaxed_bg.wasm" | grep -c 'f32x4\.relaxed_madd' || true)
    echo "f32x4.relaxed_madd instructions in www/pkg/${f}optplay_relaxed_bg.wasm: $n"
    [ "$n" -gt 0 ] || { echo "expected relaxed multiply-adds in www/pkg/${f}optplay_relaxed_bg.wasm" >&2; return 1; }
  done
}

serve_bg() {
  python3 -m http.server "$PORT" --bind 127.0.0.1 -d www >/dev/null 2>&1 &
  SERVER_PID=$!
  trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/', timeout=1)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start on port $PORT" >&2
  return 1
}

# PyTorch for the export tests (tests/e2e/exports.e2e.mjs runs every exported script with it):
# a venv outside the checkout, so clean clones reuse it; skipped when it imports. ~5 GB, ~4 min.
TORCH_VENV=${OPTPLAY_TORCH_VENV:-$HOME/.cache/optplay/torch-venv}
setup_torch() {
  if [ -n "${OPTPLAY_TORCH_PYTHON:-}" ]; then return 0; fi
  if "$TORCH_VENV/bin/python" -c "import torch, numpy" 2>/dev/null; then return 0; fi
  log "installing torch and numpy (PyPI) into $TORCH_VENV (about 4 minutes, 5 GB)"
  mkdir -p "$(dirname "$TORCH_VENV")"
  python3 -m venv "$TORCH_VENV"
  "$TORCH_VENV/bin/pip" install --quiet --disable-pip-version-check torch numpy
}

# Every dependency in Cargo.toml must be used by the code it is declared for (src/ for the crate's
# own, src/ and tests/ for the dev-dependencies): a crate that does no work is removed, not kept.
check_deps() {
  local section="" dep crate where unused=""
  while IFS= read -r line; do
    case "$line" in
      "["*) section="$line"; continue ;;
    esac
    case "$section" in
      "[dependencies]"|"[target."*".dependencies]") where="src" ;;
      "[dev-dependencies]"|"[target."*".dev-dependencies]") where="src tests" ;;
      *) continue ;;
    esac
    dep=$(printf '%s' "$line" | sed -nE 's/^([A-Za-z0-9_-]+) *=.*/\1/p')
    [ -n "$dep" ] || continue
    crate=${dep//-/_}
    # shellcheck disable=SC2086
    grep -rqE "(^|[^A-Za-z0-9_])$crate(::|!| *;| *\{| as )" $where --include=*.rs || unused="$unused $dep"
  done < Cargo.toml
  if [ -n "$unused" ]; then echo "dependencies declared in Cargo.toml and used nowhere:$unused" >&2; return 1; fi
  echo "every dependency in Cargo.toml is used"
}

cmd_test() {
  setup
  setup_torch
  log "unused dependencies"; check_deps
  log "cargo fmt --check"; cargo fmt --check
  log "cargo clippy (native, all targets)"; cargo clippy --all-targets -- -D warnings
  log "cargo clippy (wasm32)"; cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
  log "cargo clippy (wasm32, each lab family's module)"
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features charts,landscapes -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features charts,networks -- -D warnings
  log "native tests"; cargo test
  log "wasm tests in headless Chromium"; wasm-pack test --headless --chrome --mode no-install
  log "wasm tests in Node"; wasm-pack test --node --mode no-install
  build
  check_simd
  if [ -d tests/js ] && ls tests/js/*.test.mjs >/dev/null 2>&1; then
    log "JS unit tests"; node --test tests/js/
  fi
  if ls tests/e2e/*.e2e.mjs >/dev/null 2>&1; then
    log "browser end-to-end tests"
    serve_bg
    for t in tests/e2e/*.e2e.mjs; do
      log "$(basename "$t")"
      NODE_PATH="$TOOLS/node_modules" BASE_URL="http://127.0.0.1:$PORT" OPTPLAY_TORCH_PYTHON="${OPTPLAY_TORCH_PYTHON:-$TORCH_VENV/bin/python}" node "$t"
    done
  fi
  log "all tests passed"
}

# The anchors of ../shared/PERF.md, measured by the bench in the same Chromium page as the engine:
# TensorFlow.js wasm-SIMD (npm, bundled by esbuild) and the plain ndarray MLP (tests/bench/anchors/ndarray)
# built for wasm32 + simd128; both land in bench-out/anchors (served only to the bench's browser).
bench_anchors() {
  if [ ! -d "$TOOLS/node_modules/@tensorflow/tfjs-backend-wasm" ] || [ ! -x "$TOOLS/node_modules/.bin/esbuild" ]; then
    log "installing TensorFlow.js $TFJS_VERSION and esbuild (npm) for the benchmark anchors"
    (cd "$TOOLS" && npm install --no-audit --no-fund --silent "@tensorflow/tfjs-core@$TFJS_VERSION" \
      "@tensorflow/tfjs-backend-wasm@$TFJS_VERSION" "@tensorflow/tfjs-backend-cpu@$TFJS_VERSION" "esbuild@$ESBUILD_VERSION")
  fi
  log "building the benchmark anchors (TensorFlow.js bundle, ndarray → wasm32 + simd128)"
  mkdir -p bench-out/anchors/tfjs
  NODE_PATH="$TOOLS/node_modules" "$TOOLS/node_modules/.bin/esbuild" tests/bench/anchors/tfjs.js --bundle --format=esm --minify \
    --platform=browser --main-fields=module,main --legal-comments=none --log-level=warning --outfile=bench-out/anchors/tfjs.js
  cp "$TOOLS"/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm bench-out/anchors/tfjs/
  (cd tests/bench/anchors/ndarray && RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR="$ROOT/target/anchors" \
    cargo build --release --quiet --target wasm32-unknown-unknown)
  cp target/anchors/wasm32-unknown-unknown/release/anchors_ndarray.wasm tests/bench/anchors/page.js bench-out/anchors/
}

cmd_bench() {
  setup
  bench_anchors
  log "native benchmarks"; cargo bench --bench native --quiet
  build
  build_node
  log "wasm benchmarks in Node"; node tests/bench/node.mjs
  log "wasm benchmarks in headless Chromium"
  serve_bg
  NODE_PATH="$TOOLS/node_modules" BASE_URL="http://127.0.0.1:$PORT" ANCHORS="$ROOT/bench-out/anchors" node tests/bench/browser.mjs
}

case "${1:-}" in
  serve)
    setup; build
    log "serving www/ on http://127.0.0.1:$PORT (Ctrl-C to stop)"
    exec python3 -m http.server "$PORT" --bind 127.0.0.1 -d www ;;
  test) cmd_test ;;
  bench) cmd_bench ;;
  build) setup; build ;;
  dist)
    setup; build
    log "writing dist/ (the site, single-file offline labs, SCORM 1.2 packages)"
    NODE_PATH="$TOOLS/node_modules" node tests/tools/dist.mjs "$ROOT/dist" ;;
  *) echo "usage: ./build.sh serve | test | bench | build | dist" >&2; exit 2 ;;
esac
