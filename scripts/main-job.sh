#!/usr/bin/env bash
# The main job: builds Trainchain, then trains the default CNN on the real Fashion-MNIST and prints the evaluation.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
mvn -B -ntp -q package -DskipTests
exec bin/trainchain train --out "${TRAINCHAIN_OUT:-out/main-job}" "$@"
