#!/usr/bin/env bash
# PostgreSQL CPU per stored match for the statements in load.sql (400 matches of 10 players,
# 10 questions, 100 answers, one transaction each), summed over every postgres process of the
# server (backends, WAL writer, checkpointer, autovacuum) from /proc. Run against a scratch server
# that has the project's migrations (api/src/main/resources/db/migration, in order) and setup.sql
# applied:
#   PGHOST=localhost PGPORT=25432 PGUSER=postgres ./measure.sh label [load file] [times]
# With PGDATA set to that server's data directory only its processes are counted (the postmaster,
# which is charged for its exited children, and its children); without it every postgres process
# on the machine is, a test suite's embedded server included.
# times (default 1) runs the load file that many times, one session each, and divides by all the
# matches: one 400-match window's figure swings by up to ±150 µs (likely with whether an autovacuum
# or a checkpoint falls into it), and a longer window shares that out.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
load="${2:-$here/load.sql}"
times="${3:-1}"
servers() {
  if [[ -n "${PGDATA:-}" ]]; then
    local postmaster
    postmaster="$(head -1 "$PGDATA/postmaster.pid")"
    echo "$postmaster" $(pgrep -P "$postmaster")
  else
    pgrep -x postgres
  fi
}
ticks() {
  for p in $(servers); do
    awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat" 2>/dev/null || true
  done | awk '{s += $1} END {print s + 0}'
}
hz=$(getconf CLK_TCK)
before=$(ticks)
for ((run = 0; run < times; run++)); do
  psql -q -f "$load"
done
sleep 0.5 # the last session's backend has exited; let the postmaster reap it so its CPU is counted
after=$(ticks)
echo "${1:-run}: $(( (after - before) * 1000000 / hz / (400 * times) )) µs of PostgreSQL CPU per match"
