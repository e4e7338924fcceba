#!/usr/bin/env bash
# Runs Vigil's whole test suite. Needs JDK 17+ and Maven 3.8+; installs, when missing, the real
# programs the tests start (Debian/Ubuntu packages: prometheus brings promtool,
# prometheus-alertmanager brings Alertmanager, chromium and chromium-driver the headless browser
# of the KPI page's tests, redis-server and redis-tools the Redis and Redis Cluster of vigil-redis's
# tests, openssl the certificates of its TLS tests). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  missing+=(prometheus)   # the server (end-to-end test) and promtool (rule tests)
fi
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)   # redis-cli --cluster create
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} for the tests..."
  $sudo apt-get update -qq
  # The packages' own services are not started (and are not needed): tests start their own.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

exec mvn -B -ntp verify "$@"
