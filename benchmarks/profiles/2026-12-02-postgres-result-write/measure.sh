#!/usr/bin/env bash
# PostgreSQL CPU per stored match for the statements in load.sql (400 matches of 10 players,
# 10 questions, 100 answers, one transaction each), summed over every postgres process of the
# server (backends, WAL writer, checkpointer) from /proc. Run against a scratch server that has the
# project's migrations (api/src/main/resources/db/migration, in order) and setup.sql applied:
#   PGHOST=localhost PGPORT=25432 PGUSER=postgres ./measure.sh label
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ticks() {
  for p in $(pgrep -x postgres); do
    awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat" 2>/dev/null || true
  done | awk '{s += $1} END {print s + 0}'
}
hz=$(getconf CLK_TCK)
before=$(ticks)
psql -q -f "$here/load.sql"
sleep 0.5 # the session's backend has exited; let the postmaster reap it so its CPU is counted
after=$(ticks)
echo "${1:-run}: $(( (after - before) * 1000000 / hz / 400 )) µs of PostgreSQL CPU per match"
