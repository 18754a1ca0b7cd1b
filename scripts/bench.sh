#!/usr/bin/env bash
# `npm run bench -- NAME [args...]`: runs bench/NAME.ts with its arguments (each bench's header
# comment says what they are). With no name, lists the benches.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ] || [ ! -f "bench/$1.ts" ]; then
  echo "usage: npm run bench -- NAME [args...], NAME one of:" >&2
  for f in bench/*.ts; do
    name=$(basename "$f" .ts)
    # Helpers the benches share are not benches.
    case "$name" in eddy-process|proc|preload|memory-sampler|subscriber-clients|xorshift) continue ;; esac
    echo "  $name" >&2
  done
  exit 2
fi
name=$1
shift
exec node --expose-gc --import tsx "bench/$name.ts" "$@"
