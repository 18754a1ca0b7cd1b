#!/usr/bin/env bash
# `npm run soak`: the fault suite's long versions (test/faults), the sizes docs/RELIABILITY.md
# reports. Uses the running Kafka (npm run kafka -- start) like npm test. Each test prints its
# figures; the sizes can be changed through the same variables (npm test runs the same files with
# their small defaults: a 10 s broker outage, 1,000 fuzzed frames, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export EDDY_FUZZ_FRAMES="${EDDY_FUZZ_FRAMES:-100000}"
export EDDY_FUZZ_CONNECTIONS="${EDDY_FUZZ_CONNECTIONS:-1000}"
export EDDY_POISON_GOOD="${EDDY_POISON_GOOD:-100000}"
export EDDY_POISON_BAD="${EDDY_POISON_BAD:-10000}"
export EDDY_CRASH_LOOPS="${EDDY_CRASH_LOOPS:-50}"
export EDDY_BROKER_OUTAGE_S="${EDDY_BROKER_OUTAGE_S:-60}"
export EDDY_LOAD_SECONDS="${EDDY_LOAD_SECONDS:-300}"
mapfile -t files < <(find test/faults -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=1 --test-timeout=3600000 --test-force-exit "${files[@]}"
