#!/usr/bin/env bash
# Benchmarks saywhen on generated knowledge bases (docs/performance.md).
#
#   bash scripts/bench.sh              # 1k, 10k and 100k entries
#   SIZES="1000 10000" RUNS=3 bash scripts/bench.sh
#   CRITERION=1 bash scripts/bench.sh  # also the criterion stage benches
#
# For each size: generates the corpus once (cached, seeded), then builds it
# RUNS times with the release binary into an empty folder on a RAM disk
# (/dev/shm) and into a new folder on the normal disk each time, then
# RUNS times more over the previous build's output on the normal disk
# (nothing changed: every page is linked from the previous output rather
# than written), reporting wall time, CPU time (user + system) and peak
# memory from /usr/bin/time -v, best and median. At 10,000
# entries it also times `check`, search in headless Chromium
# (examples/search_latency.rs: bytes downloaded before the first result,
# and each keystroke to the next frame painted), and save → page on disk
# under `saywhen watch` with default settings for four kinds of edit
# (examples/save_latency.rs: words, a new link, the title, a heading),
# timed from outside the process. Then the bundled knowledge base's
# search. Every step fails the script when it cannot measure.
#
# Environment:
#   SIZES      entry counts (default "1000 10000 100000")
#   RUNS       runs per measurement (default 5)
#   EDITS      saves per kind of edit for save → page (default 10)
#   BUNDLED    set to 0 to skip the bundled knowledge base's search
#   SEED       corpus seed (default 42)
#   CORPUS     folder for the generated corpora (default target/bench-corpus)
#   DISK_OUT   output folder on the normal disk (default target/bench-out)
#   SHM_OUT    output folder on the RAM disk (default /dev/shm/saywhen-bench)
#   CRITERION  set to 1 to run `cargo bench --bench stages` on the 1k corpus
#   SAYWHEN_BIN  the saywhen binary to measure (default: this checkout's
#              release build), to compare two versions on the same corpus
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes="${SIZES:-1000 10000 100000}"
runs="${RUNS:-5}"
edits="${EDITS:-10}"
seed="${SEED:-42}"
corpus="${CORPUS:-$root/target/bench-corpus}"
disk_out="${DISK_OUT:-$root/target/bench-out}"
shm_out="${SHM_OUT:-/dev/shm/saywhen-bench}"

if [ ! -x /usr/bin/time ]; then
    echo "bench.sh needs GNU time: apt-get install time" >&2
    exit 2
fi

cd "$root"
cargo build --release --quiet --bin saywhen --example gen_corpus --example save_latency --example search_latency
saywhen="${SAYWHEN_BIN:-$root/target/release/saywhen}"
gen="$root/target/release/examples/gen_corpus"
latency="$root/target/release/examples/save_latency"
search="$root/target/release/examples/search_latency"

echo "# saywhen benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The corpus for one size, generated unless a matching one is cached.
corpus_for() {
    local n="$1" dir="$corpus/kb$1"
    local stamp
    stamp="$n $seed $(sha256sum examples/gen_corpus.rs | cut -c1-16)"
    if [ "$(cat "$dir/.bench-stamp" 2>/dev/null)" != "$stamp" ]; then
        "$gen" --entries "$n" --seed "$seed" --out "$dir" >&2
        echo "$stamp" >"$dir/.bench-stamp"
    fi
    echo "$dir"
}

# Runs a command RUNS times under /usr/bin/time -v; prints one line per run:
# wall seconds, CPU seconds, peak RSS in MB. With `--fresh DIR` first, DIR
# is removed before each run, untimed (for /dev/shm, where removing is
# cheap). With `--new DIR` first, run i builds into DIR-i, a folder never
# used before, as on a fresh CI checkout; the folders are removed after
# the series (ext4 creates files slowly right after many were removed, so
# removing them between runs would time the file system's recovery from
# the benchmark's own removals instead). The command's `--output` value is
# the literal word OUT, replaced by the run's folder.
measure() {
    local log fresh="" new="" out
    if [ "$1" = --fresh ]; then
        fresh="$2"
        shift 2
    elif [ "$1" = --new ]; then
        new="$2"
        shift 2
    fi
    log="$(mktemp)"
    if [ -n "$new" ]; then
        rm -rf "$new"-*
        sync
    fi
    for i in $(seq "$runs"); do
        out="${fresh:-$new-$i}"
        if [ -n "$fresh" ]; then
            rm -rf "$fresh"
        fi
        if ! /usr/bin/time -v "${@/#OUT/$out}" 2>"$log" >/dev/null; then
            cat "$log" >&2
            echo "command failed: $*" >&2
            exit 1
        fi
        awk -F': ' '
            /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
            /User time/ { user = $2 }
            /System time/ { sys = $2 }
            /Maximum resident set size/ { rss = $2 / 1024 }
            END { printf "%.3f %.3f %.0f\n", wall, user + sys, rss }' "$log"
    done
    rm -f "$log"
    if [ -n "$new" ]; then
        rm -rf "$new"-*
    fi
}

# Best and median of each column of `measure`'s lines.
summarise() {
    local label="$1" lines="$2"
    local col name best median
    printf '%-28s' "$label"
    for col in 1 2 3; do
        name=$(echo "wall cpu rss" | cut -d' ' -f"$col")
        best=$(echo "$lines" | awk -v c="$col" '{print $c}' | sort -g | awk 'NR == 1')
        median=$(echo "$lines" | awk -v c="$col" '{print $c}' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
        if [ "$name" = rss ]; then
            printf '  peak RSS best %5s MB, median %5s MB' "$best" "$median"
        else
            printf '  %s best %7s s, median %7s s' "$name" "$best" "$median"
        fi
    done
    echo
}

for n in $sizes; do
    kb="$(corpus_for "$n")"
    echo
    echo "## $n entries ($(du -sh "$kb/content" | cut -f1) of Markdown)"
    summarise "build → /dev/shm" "$(measure --fresh "$shm_out" "$saywhen" --root "$kb" build --output OUT)"
    summarise "build → disk, new folder" "$(measure --new "$disk_out" "$saywhen" --root "$kb" build --output OUT)"
    # Each run replaces the previous one's output, whose pages all come
    # out the same: they are linked, not written (see README, `build`).
    # The first build, untimed, makes the output to replace.
    rm -rf "$disk_out"
    "$saywhen" --root "$kb" build --output "$disk_out" >/dev/null 2>&1
    summarise "rebuild → disk, unchanged" "$(measure "$saywhen" --root "$kb" build --output "$disk_out")"
    for part in index body; do
        f="$shm_out/search/$part.js"
        echo "search/$part.js: $(wc -c <"$f") bytes, $(gzip -9c "$f" | wc -c) gzipped"
    done
    echo "output $(du -sh "$shm_out" | cut -f1) in $(find "$shm_out" -type f | wc -l) files"
    if [ "$n" = 10000 ]; then
        summarise "check" "$(measure "$saywhen" --root "$kb" check)"
        # Search in headless Chromium over gzip HTTP: downloads before the
        # first result, and each keystroke to the next frame painted (queries
        # in the corpus's own words). A failure stops the benchmark.
        "$search" "$shm_out" "bewildered callback" "direct debit" \
            "customer threatens" "payment plan refund" "calming account closure"
    fi
done

# Save to page at 10,000 entries under `saywhen watch` with its default
# settings, timed from outside: from the rename that saves the entry to its
# page complete on disk with the edit (examples/save_latency.rs, which
# fails when an edit never shows or fewer edits were timed than asked).
if echo " $sizes " | grep -q " 10000 "; then
    kb="$(corpus_for 10000)"
    for edit in words link title heading; do
        echo
        echo "## save → page on disk, 10000 entries, $edit edit (saywhen watch, default settings)"
        "$latency" --saywhen "$saywhen" --kb "$kb" --out "$shm_out-watch" --edit "$edit" --edits "$edits"
    done
    rm -rf "$shm_out-watch"
fi

# The bundled knowledge base's search, with the search page's default
# queries.
if [ "${BUNDLED:-1}" = 1 ]; then
    echo
    echo "## bundled knowledge base: search"
    rm -rf "$shm_out-bundled"
    "$saywhen" --root "$root" build --output "$shm_out-bundled" >/dev/null
    "$search" "$shm_out-bundled"
    rm -rf "$shm_out-bundled"
fi

if [ "${CRITERION:-0}" = 1 ]; then
    echo
    SAYWHEN_BENCH_KB="$(corpus_for 1000)" cargo bench --bench stages
fi

echo
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
