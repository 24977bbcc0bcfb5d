#!/usr/bin/env bash
# The main job: builds Trainchain, then runs the whole chain on examples/fashion-tune: detect the framework, build the
# base image when missing (debootstrap, once), build the training image, train in a locked-down container on the
# real Fashion-MNIST, check the accuracy gate; the example's first training lands below its gate on purpose, so the
# search of its tune: section retrains within its budget until a model passes, and the owner's e-mail is sent (or
# queued in out/main-job/outbox). Exit code: 0 a model passed, 1 below the gate, 2 bad input, 3 infrastructure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
mvn -B -ntp -q package -DskipTests
out="${TRAINCHAIN_OUT:-out/main-job}"
exec bin/trainchain run examples/fashion-tune --store "${TRAINCHAIN_STORE:-$out/runs.db}" "$@"
