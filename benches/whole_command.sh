#!/usr/bin/env bash
# Whole-command benchmark (issue 18): the four figures a planner feels, as whole processes of
# the release binary, best of RUNS (default 5), timed with /usr/bin/time.
#
#   benches/whole_command.sh            # all four figures
#   RUNS=3 SKIP_10M=1 benches/whole_command.sh
#   BENCH_BIN=/tmp/old-build benches/whole_command.sh   # the same figures of another binary
#
# 1. pip of 1,000,000 WGS84 points, CSV in, CSV out (stdout to a file)
# 2. export of a 2,000 x 2,000 px PNG: 396 Gemeinden, density, 5 classes
# 3. window start to the first frame with NRW drawn (Xvfb, software GL; read from the
#    window's own timing line "first frame with map")
# 4. pip of 10,000,000 points (~430 MB) with --out, with the peak memory
#
# The point lists are made by `examples/pip_points.rs` (fixed seed, the rows of
# benches/pip.rs) into $BENCH_DIR (default /tmp/integrationsatlas-bench), once.
# Needs: cargo, /usr/bin/time; for 3 also Xvfb (started on display :$BENCH_DISPLAY, default 95,
# unless DISPLAY is set). Run it on an idle machine: other processes on the cores change
# wall times far more than anything measured here.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
TARGET=${CARGO_TARGET_DIR:-target}
BENCH_DIR=${BENCH_DIR:-/tmp/integrationsatlas-bench}
mkdir -p "$BENCH_DIR"

cargo build --release --quiet --bin integrationsatlas --example pip_points
POINTS="$TARGET/release/examples/pip_points"
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN # another build to compare, e.g. of an older commit
else
    # A private copy: a shared target folder may be rebuilt by another checkout meanwhile.
    cp "$TARGET/release/integrationsatlas" "$BENCH_DIR/integrationsatlas"
    BIN="$BENCH_DIR/integrationsatlas"
fi

[ -s "$BENCH_DIR/points-1m.csv" ] || "$POINTS" 1000000 "$BENCH_DIR/points-1m.csv"
if [ -z "${SKIP_10M:-}" ]; then
    [ -s "$BENCH_DIR/points-10m.csv" ] || "$POINTS" 10000000 "$BENCH_DIR/points-10m.csv"
fi

# best CMD...: runs CMD $RUNS times; prints "seconds peak_MB" of the fastest run.
best() {
    local best_s="" best_mb=""
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.txt" "$@" >/dev/null 2>"$BENCH_DIR/stderr.txt" ||
            { cat "$BENCH_DIR/stderr.txt" >&2; return 1; }
        read -r s kb <"$BENCH_DIR/time.txt"
        if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then
            best_s=$s
            best_mb=$((kb / 1024))
        fi
    done
    echo "$best_s $best_mb"
}

# The window: seconds from process start to the first frame with the map on screen, best of RUNS.
window_best() {
    local display=${DISPLAY:-}
    local xvfb=""
    if [ -z "$display" ]; then
        display=":${BENCH_DISPLAY:-95}"
        Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
        xvfb=$!
        sleep 1
    fi
    local best_ms=""
    for _ in $(seq "$RUNS"); do
        DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1 INTEGRATIONSATLAS_TIMING=1 \
            timeout 5 "$BIN" 2>"$BENCH_DIR/window.txt" >/dev/null || true
        local ms
        ms=$(sed -n 's/^timing: first frame with map: \([0-9.]*\) ms.*/\1/p' "$BENCH_DIR/window.txt" | head -1)
        # Builds before this line existed print the same moment counted from the window's start.
        [ -n "$ms" ] || ms=$(sed -n 's/^timing: first map frame after \([0-9.]*\) ms.*/\1/p' "$BENCH_DIR/window.txt" | head -1)
        [ -n "$ms" ] || { echo "no map frame; stderr:" >&2; cat "$BENCH_DIR/window.txt" >&2; continue; }
        if [ -z "$best_ms" ] || awk "BEGIN{exit !($ms < $best_ms)}"; then best_ms=$ms; fi
    done
    [ -n "$xvfb" ] && kill "$xvfb"
    awk "BEGIN{printf \"%.3f\", ${best_ms:-0} / 1000}"
}

read -r pip1_s pip1_mb < <(best "$BIN" pip --points "$BENCH_DIR/points-1m.csv")
read -r png_s png_mb < <(best "$BIN" export --out "$BENCH_DIR/map.png" --level gemeinde \
    --field density --classes 5 --width 2000 --height 2000)
if command -v Xvfb >/dev/null || [ -n "${DISPLAY:-}" ]; then
    window_s=$(window_best)
else
    window_s="(no Xvfb)"
fi
if [ -z "${SKIP_10M:-}" ]; then
    read -r pip10_s pip10_mb < <(best "$BIN" pip --points "$BENCH_DIR/points-10m.csv" \
        --out "$BENCH_DIR/out-10m.csv")
    rm -f "$BENCH_DIR/out-10m.csv"
else
    pip10_s="skipped" pip10_mb="-"
fi

echo
echo "Whole commands, release build, best of $RUNS, $(nproc) cores ($(date -u +%Y-%m-%d))"
echo
printf '| %-58s | %10s | %8s | %s |\n' "command" "time" "peak" "goal"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "------------" "----------" "--------------------"
printf '| %-58s | %8s s | %5s MB | %s |\n' "pip 1,000,000 WGS84 points, CSV in and out" "$pip1_s" "$pip1_mb" "<= 0.25 s"
printf '| %-58s | %8s s | %5s MB | %s |\n' "export 2000x2000 PNG, 396 Gemeinden, 5 classes" "$png_s" "$png_mb" "<= 0.10 s"
printf '| %-58s | %8s s | %8s | %s |\n' "window start to first frame with NRW (Xvfb, software GL)" "$window_s" "-" "<= 0.15 s"
printf '| %-58s | %8s s | %5s MB | %s |\n' "pip 10,000,000 points --out" "$pip10_s" "$pip10_mb" "<= 3 s, <= 600 MB"
