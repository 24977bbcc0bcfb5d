#!/usr/bin/env bash
# The test command: installs and starts what the tests need, then runs every test (unit tests and the integration
# tests against real dockerd and real Fashion-MNIST).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
exec mvn -B -ntp verify "$@"
