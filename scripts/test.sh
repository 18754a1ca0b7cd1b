#!/usr/bin/env bash
# `npm test`: everything, in one command. Brings up the services the tests need (one PostgreSQL
# shared by every test file; the Kafka broker and schema registry), runs every test/**/*.test.ts
# with node's test runner, tears down the services it started, and exits with the runner's
# status. CI reads the runner's closing summary (# pass N / # fail N), so it is printed as is.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  npm ci
fi

own_pg_dir=""
own_kafka=""
cleanup() {
  # Kafka: stopped only if this run started it (before PostgreSQL, reverse start order).
  if [ -n "$own_kafka" ]; then
    npx tsx scripts/kafka/kafka.ts stop || true
  fi
  if [ -n "$own_pg_dir" ]; then
    npx tsx scripts/postgres.ts stop "$own_pg_dir" || true
  fi
}
trap cleanup EXIT
# A signal ends the run through exit, so the EXIT trap still stops what was started.
trap 'exit 130' INT
trap 'exit 143' TERM

# An outside server given by the caller is used as is; otherwise start our own for this run.
if [ -z "${EDDY_TEST_PG_URL:-}" ]; then
  # Assigned first so that a failed start stops the script (an eval of "$(...)" would hide it).
  pg_env=$(npx tsx scripts/postgres.ts start)
  eval "$pg_env"
  own_pg_dir=$EDDY_TEST_PG_DIR
  export EDDY_TEST_PG_URL
fi
echo "PostgreSQL for tests: $EDDY_TEST_PG_URL"

# Kafka and its schema registry: an outside broker given by the caller (EDDY_TEST_KAFKA_BROKERS,
# EDDY_TEST_SCHEMA_REGISTRY_URL) is used as is; otherwise the local one (scripts/kafka: Java 17
# and Maven fetch its jars once), left running afterwards if it already was.
if [ -z "${EDDY_TEST_KAFKA_BROKERS:-}" ]; then
  if ! npx tsx scripts/kafka/kafka.ts status >/dev/null 2>&1; then
    own_kafka=1
    npx tsx scripts/kafka/kafka.ts start
  fi
  echo "Kafka for tests: local instance (npm run kafka -- status)"
else
  echo "Kafka for tests: $EDDY_TEST_KAFKA_BROKERS"
fi

# The drivers the driver tests run in their own languages (Python, Java, Go), from their
# registries into ~/.cache/eddy once; a failure here fails the run, as a missing driver must.
npx tsx scripts/drivers.ts

# Node 20's --test takes no globs, so the files are listed here; sorted for a stable order.
mapfile -t test_files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#test_files[@]}" -eq 0 ]; then
  echo "no test files found under test/" >&2
  exit 1
fi

# A hanging test must fail, not stall the run until CI's limit: under Node 20 --test-timeout
# bounds each test file as a whole (EDDY_TEST_FILE_TIMEOUT_MS, default 20 minutes), and
# --test-force-exit ends a file whose tests are done even if something it started still holds
# the event loop open.
status=0
node --import tsx --test --test-concurrency=2 --test-timeout="${EDDY_TEST_FILE_TIMEOUT_MS:-1200000}" --test-force-exit \
  "${test_files[@]}" || status=$?
exit "$status"
