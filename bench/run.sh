#!/usr/bin/env bash
# Every benchmark, one after another, each printing its table. Not part of the test suite.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
status=0
bash "$dir/registration-storm.sh" || status=$?
bash "$dir/reminder-fanout.sh" || status=$?
bash "$dir/sanitizer.sh" || status=$?
exit "$status"
