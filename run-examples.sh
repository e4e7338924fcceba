#!/usr/bin/env bash
# Builds Vigil and starts the three example services (bot, payments API, image worker) with
# simulated AI and payment providers. Arguments go to the examples, e.g. --speed=10, or --redis
# (needs redis-server) to share figures through a local Redis with a second bot replica.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp package -DskipTests -pl vigil-examples -am
# Readable log lines, warnings and errors only; LOG_LEVEL=info shows every event, LOG_FORMAT=json
# the JSON lines a log shipper would read.
export LOG_FORMAT="${LOG_FORMAT:-pretty}" LOG_LEVEL="${LOG_LEVEL:-warn}"
exec java -jar vigil-examples/target/vigil-examples.jar "$@"
