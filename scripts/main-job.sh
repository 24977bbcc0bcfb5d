#!/usr/bin/env bash
# The main job: builds Trainchain, then runs the whole chain on examples/fashion-cnn: detect the framework, build the
# base image when missing (debootstrap, once), build the training image, train in a locked-down container on the
# real Fashion-MNIST, check the accuracy gate. Exit code: 0 gate passed, 1 below it, 2 bad input, 3 infrastructure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
mvn -B -ntp -q package -DskipTests
out="${TRAINCHAIN_OUT:-out/main-job}"
exec bin/trainchain run examples/fashion-cnn --store "${TRAINCHAIN_STORE:-$out/runs.db}" "$@"
