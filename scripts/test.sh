#!/usr/bin/env bash
# Every test: unit (node and renderer), system (real OS plumbing and services) and end-to-end
# (the real renderer in Chromium). Extra arguments go to vitest, e.g. `npm test -- --project node`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
exec npx vitest run "$@"
