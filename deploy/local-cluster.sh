#!/usr/bin/env bash
# A cluster of N nodes on this machine sharing one PostgreSQL and one Redis (run by StoresMain).
#
#   deploy/local-cluster.sh [-n NODES] [-c CLUSTER_NAME] [-p HAZELCAST_BASE_PORT]
#
# Node K serves http://127.0.0.1:808K; logs and data go to data/local-cluster/. Ctrl-C stops the
# nodes (SIGTERM, so each drains), then the stores. Kill one node (kill -9 <pid>) to watch the others
# carry on.
set -euo pipefail

nodes=3
cluster=local
hazelcast_base=5701
usage() {
  echo "usage: $0 [-n NODES (1-9, default 3)] [-c CLUSTER_NAME (default local)] [-p HAZELCAST_BASE_PORT (default 5701)]" >&2
  exit 2
}
while getopts "n:c:p:h" opt; do
  case "$opt" in
    n) nodes="$OPTARG" ;;
    c) cluster="$OPTARG" ;;
    p) hazelcast_base="$OPTARG" ;;
    *) usage ;;
  esac
done
[[ "$nodes" =~ ^[1-9]$ ]] || usage
[[ "$hazelcast_base" =~ ^[0-9]+$ ]] || usage

cd "$(dirname "$0")/.."
jar=engine/target/quiz-node.jar
dir=data/local-cluster
startup_seconds=120

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [[ ! -f "$jar" ]]; then
  echo "Building $jar ..."
  mvn -B -q -DskipTests package
fi

mkdir -p "$dir"
if [[ ! -f "$dir/jwt-secret" ]]; then
  (umask 077 && head -c 48 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$dir/jwt-secret")
fi

stores_pid=""
node_pids=()

stop_all() {
  trap - INT TERM EXIT
  set +e
  if ((${#node_pids[@]})); then
    echo "Stopping the nodes ..."
    kill -TERM "${node_pids[@]}" 2>/dev/null
    wait "${node_pids[@]}" 2>/dev/null
  fi
  if [[ -n "$stores_pid" ]]; then
    echo "Stopping the stores ..."
    kill -TERM "$stores_pid" 2>/dev/null
    wait "$stores_pid" 2>/dev/null
  fi
  echo "Stopped."
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

fail() {
  echo "$1; last lines of $2:" >&2
  tail -n 20 "$2" >&2
  exit 1
}

# Each child gets its own session, so Ctrl-C reaches only this script, which then stops them in order
# (PostgreSQL and Redis would otherwise take SIGINT as a shutdown while the nodes still use them).
rm -f "$dir/stores.env"
echo "Starting the stores (PostgreSQL and Redis in $dir) ..."
QUIZ_STORAGE_DATA_DIR="$dir" setsid java -cp "$jar" org.quizengine.engine.StoresMain > "$dir/stores.log" 2>&1 &
stores_pid=$!
for ((i = 0; i < startup_seconds * 2; i++)); do
  [[ -f "$dir/stores.env" ]] && break
  kill -0 "$stores_pid" 2>/dev/null || fail "The stores exited" "$dir/stores.log"
  sleep 0.5
done
[[ -f "$dir/stores.env" ]] || fail "The stores were not ready in ${startup_seconds} s" "$dir/stores.log"
set -a
# shellcheck source=/dev/null
. "$dir/stores.env"
set +a

# Checked just before the nodes start: a node whose port is taken would bind the next one and could
# miss its cluster, which lists each member's port (so another cluster on 5701.. is never joined by mistake).
members=""
for k in $(seq 1 "$nodes"); do
  for port in $((8080 + k)) $((hazelcast_base + k - 1)); do
    if port_in_use "$port"; then
      echo "Port $port is in use (another local cluster? try -p for the Hazelcast ports)" >&2
      exit 1
    fi
  done
  members="${members:+$members,}127.0.0.1:$((hazelcast_base + k - 1))"
done

jwt_secret="$(cat "$dir/jwt-secret")"
# Split-brain protection: from 3 nodes on, a side needs a majority to serve (a frozen or cut-off node
# stops instead of running stale matches). Two nodes cannot tell a death from a partition, so with
# fewer than 3 the survivor of a crash keeps serving. QUIZ_CLUSTER_MIN_MEMBERS in the environment wins.
min_members=1
(( nodes >= 3 )) && min_members=$((nodes / 2 + 1))
for k in $(seq 1 "$nodes"); do
  echo "Starting node $k ..."
  QUIZ_NODE_ID="node-$k" \
  QUIZ_HTTP_HOST=127.0.0.1 \
  QUIZ_HTTP_PORT=$((8080 + k)) \
  QUIZ_STORAGE_DATA_DIR="$dir/node-$k" \
  QUIZ_AUTH_JWT_SECRET="$jwt_secret" \
  QUIZ_CLUSTER_ENABLED=true \
  QUIZ_CLUSTER_NAME="$cluster" \
  QUIZ_CLUSTER_MEMBERS="$members" \
  QUIZ_CLUSTER_INTERFACE=127.0.0.1 \
  QUIZ_CLUSTER_PORT=$((hazelcast_base + k - 1)) \
  QUIZ_CLUSTER_MIN_MEMBERS="${QUIZ_CLUSTER_MIN_MEMBERS:-$min_members}" \
    setsid java -jar "$jar" > "$dir/node-$k.log" 2>&1 &
  node_pids+=($!)
done

for k in $(seq 1 "$nodes"); do
  url="http://127.0.0.1:$((8080 + k))/health/ready"
  for ((i = 0; i < startup_seconds * 2; i++)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && break
    kill -0 "${node_pids[k - 1]}" 2>/dev/null || fail "Node $k exited" "$dir/node-$k.log"
    sleep 0.5
  done
  curl -fsS -o /dev/null "$url" 2>/dev/null || fail "Node $k was not ready in ${startup_seconds} s" "$dir/node-$k.log"
done

echo
echo "Cluster '$cluster' is ready:"
for k in $(seq 1 "$nodes"); do
  echo "  node $k  http://127.0.0.1:$((8080 + k))  ws://127.0.0.1:$((8080 + k))/ws  pid ${node_pids[k - 1]}  log $dir/node-$k.log"
done
echo "  stores  $QUIZ_STORAGE_POSTGRES_URI  $QUIZ_STORAGE_REDIS_URI  pid $stores_pid  log $dir/stores.log"
echo "Press Ctrl-C to stop."

# Report a node that goes (killed on purpose, to try failover) but keep the rest running.
declare -A reported=()
while kill -0 "$stores_pid" 2>/dev/null; do
  for k in $(seq 1 "$nodes"); do
    if [[ -z "${reported[$k]:-}" ]] && ! kill -0 "${node_pids[k - 1]}" 2>/dev/null; then
      echo "Node $k (pid ${node_pids[k - 1]}) has exited; see $dir/node-$k.log"
      reported[$k]=1
    fi
  done
  sleep 1 &
  wait $! || true
done
echo "The stores exited; see $dir/stores.log" >&2
exit 1
