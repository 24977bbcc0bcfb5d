#!/usr/bin/env bash
# Installs and starts what Trainchain needs on a fresh Debian bookworm machine; safe to run again.
# Sourced by scripts/main-job.sh and scripts/test.sh.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

need_pkgs=()
command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -q '"17' || need_pkgs+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_pkgs+=(maven)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need_pkgs+=(dataset-fashion-mnist)
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
# The reports' browser test (ReportBrowserIT) drives Debian's chromium through its chromedriver.
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_pkgs+=(chromium-driver)
# bench/webhook drives `trainchain server` with wrk (Debian's wrk 4.1: LuaJIT scripts sign each delivery).
command -v wrk >/dev/null 2>&1 || need_pkgs+=(wrk)
# The reports' charts measure their text with Java's fonts; a headless JDK without any font cannot.
[ -n "$(fc-list 2>/dev/null | head -1)" ] || need_pkgs+=(fontconfig fonts-dejavu-core)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "setup: installing ${need_pkgs[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
fi

# dockerd: this machine has no init system to start it, so start it in the background and wait until it answers.
if ! docker info >/dev/null 2>&1; then
  if [ -S /var/run/docker.sock ] && ! pgrep -x dockerd >/dev/null; then as_root rm -f /var/run/docker.sock; fi
  if ! pgrep -x dockerd >/dev/null; then
    echo "setup: starting dockerd (log: /tmp/dockerd.log)"
    as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 &'
  fi
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "setup: dockerd did not start; see /tmp/dockerd.log" >&2; tail -20 /tmp/dockerd.log >&2; exit 3; }
fi
# The Jenkins adapter's CI build (plugin/stubs, a module of the root reactor) compiles against compile-only stand-ins
# of the Jenkins API, because the Jenkins Maven repository is unreachable here: install them before the reactor runs.
stubs="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/jenkins-api/pom.xml"
if [ ! -f "$stubs" ]; then
  echo "setup: no Jenkins API stand-ins at $stubs; the root build's plugin/stubs module needs them" \
    "(trainchain.stubs:jenkins-api-stubs:1): check out the shared folder beside this repository" >&2
  exit 3
fi
mvn -B -ntp -q -f "$stubs" install -DskipTests
echo "setup: ready (Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), Docker $(docker version --format '{{.Server.Version}}'))"
