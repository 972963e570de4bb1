#!/usr/bin/env bash
# Starts the test stack (Kratos + production app on the test ports) in the foreground, for debugging and
# for the benchmark: `bash scripts/stack.sh`. Ctrl-C stops it. Same settings as `npm test`.
set -euo pipefail
exec bash "$(dirname "$0")/test.sh" stack
