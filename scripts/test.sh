#!/bin/sh
# The compiled tests, one file at a time (they start servers and time things), except the live
# alert-rules test: it spends most of its ~100 s waiting for Prometheus's 90 s windows, so it
# runs beside the rest and its report follows theirs. Exit non-zero if either fails.
set -u
slow=dist/test/artifacts/alertRulesLive.test.js
# shellcheck disable=SC2012 # names of our own compiled files: no odd characters
rest=$(ls dist/test/*/*.test.js dist/test/*/*/*.test.js dist/test/*/*/*/*.test.js | grep -v "^$slow\$")
if [ "${1:-}" = --list ]; then
  # What a run takes, one file a line (a test holds it to every compiled test file).
  echo "$slow"
  echo "$rest"
  exit 0
fi
report=$(mktemp)
node --test "$slow" >"$report" 2>&1 &
beside=$!
# shellcheck disable=SC2086 # the test files, split as words on purpose
node --test --test-concurrency=1 $rest
status=$?
wait "$beside"
live=$?
echo "# $slow (run beside the others):"
cat "$report"
rm -f "$report"
[ "$status" -eq 0 ] && [ "$live" -eq 0 ]
