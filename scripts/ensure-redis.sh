#!/usr/bin/env bash
# Make Redis answer on 127.0.0.1:6379; a server already running there is reused.
source "$(dirname "$0")/lib.sh"

if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then
  say "Redis is running on 127.0.0.1:6379; reusing it."
  exit 0
fi
say "Starting Redis on 127.0.0.1:6379."
mkdir -p "${TMPDIR:-/tmp}/neaspec-redis"
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir "${TMPDIR:-/tmp}/neaspec-redis" --logfile "${TMPDIR:-/tmp}/neaspec-redis/redis.log"
for _ in $(seq 1 20); do
  [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] && exit 0
  sleep 0.5
done
echo "Redis did not start" >&2
exit 1
