#!/usr/bin/env bash
# Fuzz smoke test for CI: builds every cargo-fuzz target and runs each one briefly over its
# committed corpus. Exits non-zero when a build fails or a target finds a crash, panic,
# timeout or OOM (the reproducer is left in fuzz/artifacts/<target>/).
#
#   bash fuzz/smoke.sh            # 20 s per target
#   SMOKE_SECONDS=60 bash fuzz/smoke.sh
set -euo pipefail
cd "$(dirname "$0")"

seconds="${SMOKE_SECONDS:-20}"
targets=(decode json verify caveat api)

if ! cargo fuzz --help >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz needs nightly (sanitizer flags); without a nightly toolchain let stable accept
# them.
if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi

# cargo-fuzz has no --locked: check the committed lock file is current before building.
cargo fetch --locked --quiet

echo "== fuzz build"
"${fuzz[@]}" build

# New inputs go to a scratch directory (the first corpus argument), so the committed corpus
# stays as it is.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

for target in "${targets[@]}"; do
    echo "== fuzz $target (${seconds}s)"
    mkdir -p "$scratch/$target"
    dict=()
    case "$target" in
        json) dict=(-dict=dict/json.dict) ;;
        decode) dict=(-dict=dict/token.dict) ;;
        api) dict=(-dict=dict/api.dict) ;;
    esac
    if ! "${fuzz[@]}" run "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        "${dict[@]}" >"$scratch/$target.log" 2>&1; then
        # The log without libFuzzer's progress lines: the panic message, backtrace, input.
        grep -v -E '^#[0-9]+[[:space:]]' "$scratch/$target.log" | tail -n 200
        echo "fuzz target $target failed; reproducer in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^Done [0-9]+ runs' "$scratch/$target.log" || tail -n 3 "$scratch/$target.log"
done
echo "== fuzz smoke passed"
