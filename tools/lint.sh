#!/usr/bin/env bash
# Lint: clang-format on every tracked C++ file, then clang-tidy (.clang-tidy) with every finding an error.
# Usage: tools/lint.sh [--all | --changed [BASE] | --format-only] [-j N]
#   --changed [BASE]  (default) tidy the files changed since BASE (origin/main if it exists, else HEAD~1),
#                     working-tree changes included; a changed header brings the sources that include it
#   --all             tidy every source file of the compile database (build/release/compile_commands.json)
#   --format-only     only the clang-format check
# Exits non-zero on any finding. The compile database is the release preset's; it is configured here if
# missing. tests/fuzz is not in it (the fuzz preset needs clang and libFuzzer flags), so tidy skips it; the
# format check covers it.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=changed
base=""
jobs="$(nproc)"
while [ $# -gt 0 ]; do
  case "$1" in
    --all) mode=all ;;
    --format-only) mode=format ;;
    --changed)
      mode=changed
      if [ $# -gt 1 ] && [[ "$2" != -* ]]; then base="$2"; shift; fi ;;
    -j) jobs="$2"; shift ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "lint: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

bash tools/install-deps.sh
status=0

# clang-format: the whole tree, every time (a second or two).
echo "lint: clang-format --dry-run -Werror on the tracked *.cpp and *.hpp"
mapfile -t unformatted < <(git ls-files -z -- '*.cpp' '*.hpp' |
  xargs -0 -r -n 20 -P "$jobs" clang-format --dry-run -Werror 2>&1 |
  sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "lint: ${#unformatted[@]} file(s) not clang-formatted; fix with: clang-format -i FILE" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  status=1
fi
[ "$mode" = format ] && exit "$status"

# clang-tidy needs the compile database and the generated headers (version.hpp comes from the configure).
db=build/release
if [ ! -f "$db/compile_commands.json" ] || [ ! -f "$db/engine/generated/flywheel/engine/version.hpp" ]; then
  echo "lint: configuring the release preset for its compile database"
  cmake --preset release >/dev/null
  cmake --build "$db" --target flywheel_engine -j "$jobs" >/dev/null
fi
mapfile -t sources < <(python3 -c '
import json, os, sys
root = os.getcwd() + "/"
for e in json.load(open(sys.argv[1])):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    if f.startswith(root): print(f[len(root):])
' "$db/compile_commands.json" | sort -u)

if [ "$mode" = changed ]; then
  if [ -z "$base" ]; then
    if git rev-parse -q --verify origin/main >/dev/null; then base=origin/main; else base=HEAD~1; fi
  fi
  fork="$(git merge-base "$base" HEAD)"
  mapfile -t changed < <(git diff --name-only --diff-filter=d "$fork" -- '*.cpp' '*.hpp')
  declare -A pick=()
  for f in "${changed[@]}"; do
    case "$f" in
      *.hpp)  # every source that includes this header by its path or its name
        for s in "${sources[@]}"; do
          grep -qE "#include [<\"]([^>\"]*/)?$(basename "$f")[>\"]" "$s" && pick["$s"]=1
        done ;;
      *) printf '%s\n' "${sources[@]}" | grep -qxF "$f" && pick["$f"]=1 ;;
    esac
  done
  sources=("${!pick[@]}")
  echo "lint: clang-tidy on ${#sources[@]} source file(s) changed since $base (${fork:0:12})"
else
  echo "lint: clang-tidy on all ${#sources[@]} source files of $db/compile_commands.json"
fi

if [ ${#sources[@]} -gt 0 ]; then
  log="$(mktemp)"
  tidy_failed=0
  trap 'rm -f "$log"' EXIT
  # One clang-tidy per file, each file's report printed whole; xargs exits non-zero if any failed.
  if ! printf '%s\0' "${sources[@]}" | xargs -0 -P "$jobs" -n 1 sh -c \
    'out=$(clang-tidy -p "$0" --quiet --warnings-as-errors="*" "$1" 2>&1); rc=$?
     printf "%s\n" "$out" | grep -vE "^[0-9]+ (warnings?|errors?) generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^$"
     exit $rc' "$db" >"$log"; then
    tidy_failed=1
  fi
  cat "$log"
  findings="$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error): ' "$log" | sort -u || true)"
  if [ -n "$findings" ] || [ "$tidy_failed" -ne 0 ]; then
    echo >&2
    echo "lint: clang-tidy findings ($(printf '%s' "$findings" | grep -c . || true) distinct), by check:" >&2
    printf '%s\n' "$findings" | grep -oE '\[[a-zA-Z0-9.,-]+\]$' | sort | uniq -c | sort -rn >&2 || true
    echo "lint: fix them (or, for a check that fights the house style, turn it off in .clang-tidy, saying why)" >&2
    status=1
  fi
fi

[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"
