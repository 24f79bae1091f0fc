#!/usr/bin/env bash
# Builds the `fuzz` preset (clang, libFuzzer, ASan+UBSan) and runs each fuzz
# target for a bounded time on a scratch copy of its committed seed corpus
# (the committed corpus never grows in place). Fails on the first crash, leak,
# sanitizer report or unexpected exception; the input that did it is kept in
# build/fuzz/findings/<target>/ (add it to tests/fuzz/corpus/<name>/ with the fix).
# Usage: tools/fuzz.sh [TARGET|all] [SECONDS]   (default: all targets, 60 s each)
# Targets are tests/fuzz/<name>_fuzz.cpp with corpus tests/fuzz/corpus/<name>/ and, if
# present, a libFuzzer dictionary tests/fuzz/<name>_fuzz.dict, LeakSanitizer
# suppressions tests/fuzz/<name>_fuzz.lsan.supp (leaks of a library, not ours)
# and environment settings tests/fuzz/<name>_fuzz.env (VAR=value lines).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
seconds="${2:-60}"

targets=()
for source in tests/fuzz/*_fuzz.cpp; do
  name="$(basename "$source" .cpp)"
  [ "$which" = all ] || [ "$which" = "$name" ] || [ "$which" = "${name%_fuzz}" ] || continue
  targets+=("$name")
done
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no target '$which' (tests/fuzz/*_fuzz.cpp)" >&2; exit 2; }

bash tools/install-deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"

# ASan's leak check is on; UBSan stops at the first report.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for target in "${targets[@]}"; do
  corpus="tests/fuzz/corpus/${target%_fuzz}"
  scratch="build/fuzz/scratch/$target"
  findings="build/fuzz/findings/$target"
  rm -rf "$scratch" "$findings"
  mkdir -p "$scratch" "$findings"
  [ -d "$corpus" ] && cp -r "$corpus"/. "$scratch"/
  dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  settings=()
  [ -f "tests/fuzz/$target.lsan.supp" ] && settings+=("LSAN_OPTIONS=suppressions=tests/fuzz/$target.lsan.supp")
  [ -f "tests/fuzz/$target.env" ] && mapfile -t -O ${#settings[@]} settings < <(grep -v '^#' "tests/fuzz/$target.env")
  echo "fuzz: $target for ${seconds}s on $corpus ${settings[*]}"
  if ! env "${settings[@]}" "build/fuzz/tests/fuzz/$target" "$scratch" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix="$findings/" \
      2>"build/fuzz/$target.log"; then
    tail -n 60 "build/fuzz/$target.log" >&2
    echo "fuzz: $target FAILED; the input is in $findings/" >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "build/fuzz/$target.log" | sed "s/^/fuzz: $target /"
  fi
done
exit $status
