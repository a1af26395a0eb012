#!/usr/bin/env bash
# A cluster of nodes on this machine sharing one PostgreSQL and one Redis (run by StoresMain).
#
#   deploy/local-cluster.sh [run] [OPTIONS]  start it and stay in the foreground; Ctrl-C stops it all
#   deploy/local-cluster.sh start [OPTIONS]  start it in the background; returns once every node is ready
#   deploy/local-cluster.sh status           the stores and each node: pid, ready or not, players, live matches
#   deploy/local-cluster.sh add              start one more node; it joins the cluster by itself
#   deploy/local-cluster.sh drain K          node K hands its matches to the others, leaves and stops
#   deploy/local-cluster.sh kill K           node K is killed (kill -9), as in a crash: watch failover
#   deploy/local-cluster.sh restart-stores   PostgreSQL and Redis stop and start again, on the same ports
#   deploy/local-cluster.sh stop             every node drains and stops, then the stores
#
# OPTIONS: -n NODES (1-9, default 3), -c CLUSTER_NAME (default local), -p HAZELCAST_BASE_PORT (default
# 5701), -P HTTP_BASE_PORT (default 8080). Node K serves http://127.0.0.1:(HTTP_BASE_PORT + K), so
# 8081, 8082, ... by default. State, logs and data go to data/local-cluster/ (or LOCAL_CLUSTER_DIR).
# LOCAL_CLUSTER_JAVA_OPTS adds JVM options to every process; LOCAL_CLUSTER_CLASSPATH runs the classes
# of that class path instead of engine/target/quiz-node.jar (which is built when missing).
set -euo pipefail

cd "$(dirname "$0")/.."
jar=engine/target/quiz-node.jar
dir="${LOCAL_CLUSTER_DIR:-data/local-cluster}"
state="$dir/cluster.env"
startup_seconds=120
max_nodes=9
read -r -a java_opts <<< "${LOCAL_CLUSTER_JAVA_OPTS:-}"

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Whether $1 is a running process of this cluster: a pid file left by a reboot or a crash may name
# a process that has nothing to do with it, which must never be signalled.
alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  [[ -r "/proc/$1/environ" ]] || return 0 # no /proc: the pid alone has to do
  # Read whole, then searched: grep -q in a pipe may stop reading early, and pipefail would take the
  # writer's SIGPIPE for "not ours".
  local environ
  environ="$(tr '\0' '\n' < "/proc/$1/environ" 2>/dev/null)" || return 1
  grep -qxF "QUIZ_STORAGE_DATA_DIR=$(data_dir_of "$1")" <<< "$environ"
}

# The data directory a process of this cluster was started with: the stores' is the cluster's, a
# node's is node-K beside it.
data_dir_of() {
  local file
  for file in "$dir"/*.pid; do
    if [[ "$(cat "$file" 2>/dev/null)" == "$1" ]]; then
      file="${file##*/}"
      [[ "$file" == stores.pid ]] && echo "$dir" || echo "$dir/${file%.pid}"
      return
    fi
  done
}

pid_of() {
  cat "$dir/$1.pid" 2>/dev/null || true
}

fail() {
  echo "$1; last lines of $2:" >&2
  tail -n 20 "$2" >&2 || true
  exit 1
}

# Sets java_command to the command line that runs $1 (a main class) of the node's classes. The node
# runs as the jar (whose manifest opens the JDK packages Hazelcast uses); with LOCAL_CLUSTER_CLASSPATH,
# LOCAL_CLUSTER_JAVA_OPTS must carry those --add-opens.
java_command() {
  if [[ -n "${LOCAL_CLUSTER_CLASSPATH:-}" ]]; then
    java_command=(java "${java_opts[@]}" -cp "$LOCAL_CLUSTER_CLASSPATH" "$1")
  elif [[ "$1" == org.quizengine.engine.Main ]]; then
    java_command=(java "${java_opts[@]}" -jar "$jar")
  else
    java_command=(java "${java_opts[@]}" -cp "$jar" "$1")
  fi
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    port_in_use "$port" || { echo "$port"; return; }
  done
  echo "No free port found" >&2
  exit 1
}

load_state() {
  [[ -f "$state" ]] || { echo "No local cluster in $dir: start one first ($0 start)" >&2; exit 1; }
  # shellcheck source=/dev/null
  . "$state"
}

# Every node number that has a pid file, in order.
node_numbers() {
  local file
  for file in "$dir"/node-*.pid; do
    [[ -e "$file" ]] || continue
    file="${file##*/node-}"
    echo "${file%.pid}"
  done | sort -n
}

start_stores() {
  rm -f "$dir/stores.env"
  echo "Starting the stores (PostgreSQL on $postgres_port and Redis on $redis_port, data in $dir) ..."
  # Each child gets its own session, so a Ctrl-C reaches only this script, which then stops them in
  # order (PostgreSQL and Redis would otherwise take SIGINT as a shutdown while the nodes still use them).
  java_command org.quizengine.engine.StoresMain
  QUIZ_STORAGE_DATA_DIR="$dir" \
  QUIZ_STORAGE_EMBEDDED_POSTGRES_PORT="$postgres_port" \
  QUIZ_STORAGE_EMBEDDED_REDIS_PORT="$redis_port" \
    setsid "${java_command[@]}" >> "$dir/stores.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$dir/stores.pid"
  for ((i = 0; i < startup_seconds * 2; i++)); do
    [[ -f "$dir/stores.env" ]] && return
    kill -0 "$pid" 2>/dev/null || fail "The stores exited" "$dir/stores.log" # just started: it is ours
    sleep 0.5
  done
  fail "The stores were not ready in ${startup_seconds} s" "$dir/stores.log"
}

wait_ready() {
  local k="$1" pid url
  pid="$(pid_of "node-$k")"
  url="http://127.0.0.1:$((http_base + k))/health/ready"
  for ((i = 0; i < startup_seconds * 2; i++)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return
    kill -0 "$pid" 2>/dev/null || fail "Node $k exited" "$dir/node-$k.log" # just started: it is ours
    sleep 0.5
  done
  fail "Node $k was not ready in ${startup_seconds} s" "$dir/node-$k.log"
}

# The Hazelcast addresses of the nodes numbered $@: every member is listed, so a member never scans
# into another cluster on this machine.
member_list() {
  local members="" other
  for other in "$@"; do
    members="${members:+$members,}127.0.0.1:$((hazelcast_base + other - 1))"
  done
  echo "$members"
}

# Starts node $1, which finds its cluster through the members $2 (its own address among them).
start_node() {
  local k="$1" members="$2"
  for port in $((http_base + k)) $((hazelcast_base + k - 1)); do
    if port_in_use "$port"; then
      echo "Port $port is in use (another local cluster? try -p and -P)" >&2
      exit 1
    fi
  done
  echo "Starting node $k ..."
  java_command org.quizengine.engine.Main
  # shellcheck disable=SC2046 # the store URIs, one word each
  env $(grep -h '^QUIZ_' "$dir/stores.env") \
  QUIZ_NODE_ID="node-$k" \
  QUIZ_HTTP_HOST=127.0.0.1 \
  QUIZ_HTTP_PORT=$((http_base + k)) \
  QUIZ_STORAGE_DATA_DIR="$dir/node-$k" \
  QUIZ_AUTH_JWT_SECRET="$(cat "$dir/jwt-secret")" \
  QUIZ_CLUSTER_ENABLED=true \
  QUIZ_CLUSTER_NAME="$cluster" \
  QUIZ_CLUSTER_MEMBERS="$members" \
  QUIZ_CLUSTER_INTERFACE=127.0.0.1 \
  QUIZ_CLUSTER_PORT=$((hazelcast_base + k - 1)) \
  QUIZ_CLUSTER_MIN_MEMBERS="${QUIZ_CLUSTER_MIN_MEMBERS:-$min_members}" \
    setsid "${java_command[@]}" > "$dir/node-$k.log" 2>&1 < /dev/null &
  echo "$!" > "$dir/node-$k.pid"
}

# Waits for a process to exit, up to $2 seconds; false if it is still there.
await_exit() {
  local pid="$1" seconds="$2"
  for ((i = 0; i < seconds * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  return 1
}

# A node's figure from its /metrics (the first series of that name), e.g. metric 1 quiz_live_matches.
metric() {
  curl -fsS "http://127.0.0.1:$((http_base + $1))/metrics" 2>/dev/null | awk -v name="$2" '
    index($1, name) == 1 && (length($1) == length(name) || substr($1, length(name) + 1, 1) == "{") { print $2; exit }' \
    || true
}

cmd_start() {
  local nodes=3
  cluster=local
  hazelcast_base=5701
  http_base=8080
  while getopts "n:c:p:P:h" opt; do
    case "$opt" in
      n) nodes="$OPTARG" ;;
      c) cluster="$OPTARG" ;;
      p) hazelcast_base="$OPTARG" ;;
      P) http_base="$OPTARG" ;;
      *) usage ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9]$ && "$hazelcast_base" =~ ^[0-9]+$ && "$http_base" =~ ^[0-9]+$ ]] || usage
  if alive "$(pid_of stores)"; then
    echo "A local cluster is already running in $dir ($0 status; $0 stop)" >&2
    exit 1
  fi
  if [[ -z "${LOCAL_CLUSTER_CLASSPATH:-}" && ! -f "$jar" ]]; then
    echo "Building $jar ..."
    mvn -B -q -DskipTests package
  fi
  mkdir -p "$dir"
  for k in $(node_numbers); do
    if alive "$(pid_of "node-$k")"; then
      echo "Node $k of an earlier start still runs in $dir ($0 stop first)" >&2
      exit 1
    fi
  done
  rm -f "$dir"/node-*.pid
  if [[ ! -f "$dir/jwt-secret" ]]; then
    (umask 077 && head -c 48 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$dir/jwt-secret")
  fi
  # Split-brain protection: from 3 nodes on, a side needs a majority to serve (a frozen or cut-off
  # node stops instead of running stale matches). Two nodes cannot tell a death from a partition, so
  # with fewer than 3 the survivor of a crash keeps serving. QUIZ_CLUSTER_MIN_MEMBERS in the
  # environment wins. Nodes added later get the same figure.
  min_members=1
  (( nodes >= 3 )) && min_members=$((nodes / 2 + 1))
  # The stores keep their ports across restarts (restart-stores), so the nodes find them again.
  postgres_port="$(free_port)"
  redis_port="$(free_port)"
  # Whatever this start leaves running if it fails is stopped.
  trap 'cmd_stop > /dev/null 2>&1' EXIT
  cat > "$state" <<EOF
cluster=$cluster
hazelcast_base=$hazelcast_base
http_base=$http_base
min_members=$min_members
postgres_port=$postgres_port
redis_port=$redis_port
EOF
  start_stores
  for k in $(seq 1 "$nodes"); do
    start_node "$k" "$(member_list $(seq 1 "$nodes"))"
  done
  for k in $(seq 1 "$nodes"); do
    wait_ready "$k"
  done
  trap - EXIT
  echo
  echo "Cluster '$cluster' is ready ($0 status, $0 stop):"
  cmd_status
}

cmd_status() {
  load_state
  local pid ready players matches members
  pid="$(pid_of stores)"
  if alive "$pid"; then
    echo "stores  up    pid $pid  postgres 127.0.0.1:$postgres_port  redis 127.0.0.1:$redis_port  log $dir/stores.log"
  else
    echo "stores  down  log $dir/stores.log"
  fi
  for k in $(node_numbers); do
    pid="$(pid_of "node-$k")"
    if ! alive "$pid"; then
      echo "node $k  down  http://127.0.0.1:$((http_base + k))  log $dir/node-$k.log"
      continue
    fi
    ready=not-ready
    curl -fsS -o /dev/null "http://127.0.0.1:$((http_base + k))/health/ready" 2>/dev/null && ready=ready
    players="$(metric "$k" quiz_connected_players)"
    matches="$(metric "$k" quiz_live_matches)"
    members="$(metric "$k" quiz_cluster_members)"
    echo "node $k  up    pid $pid  http://127.0.0.1:$((http_base + k))  $ready  players ${players:-?}  matches ${matches:-?}  sees ${members:-?} members  log $dir/node-$k.log"
  done
}

cmd_add() {
  load_state
  alive "$(pid_of stores)" || { echo "The stores are down: $0 restart-stores (or $0 start)" >&2; exit 1; }
  local k=1 last
  last="$(node_numbers | tail -n 1)"
  [[ -n "$last" ]] && k=$((last + 1))
  (( k <= max_nodes )) || { echo "At most $max_nodes nodes" >&2; exit 1; }
  # The running nodes and itself: it joins them.
  local running=()
  for other in $(node_numbers); do
    alive "$(pid_of "node-$other")" && running+=("$other")
  done
  start_node "$k" "$(member_list "${running[@]}" "$k")"
  wait_ready "$k"
  echo "Node $k joined: http://127.0.0.1:$((http_base + k))"
}

node_arg() {
  [[ "${1:-}" =~ ^[1-9]$ && -f "$dir/node-$1.pid" ]] || { echo "No node '${1:-}' (see $0 status)" >&2; exit 2; }
}

cmd_drain() {
  load_state
  node_arg "${1:-}"
  local pid
  pid="$(pid_of "node-$1")"
  alive "$pid" || { echo "Node $1 is not running"; rm -f "$dir/node-$1.pid"; return; }
  echo "Draining node $1 (its matches move to the other nodes) ..."
  kill -TERM "$pid" 2>/dev/null || true
  await_exit "$pid" "$startup_seconds" || fail "Node $1 did not stop in ${startup_seconds} s" "$dir/node-$1.log"
  rm -f "$dir/node-$1.pid"
  echo "Node $1 drained and stopped."
}

cmd_kill() {
  load_state
  node_arg "${1:-}"
  local pid
  pid="$(pid_of "node-$1")"
  if ! alive "$pid"; then
    echo "Node $1 is not running"
    return
  fi
  kill -KILL "$pid" 2>/dev/null || true
  echo "Node $1 killed (pid $pid); its matches fail over to the other nodes. $0 status to follow."
}

cmd_restart_stores() {
  load_state
  local pid
  pid="$(pid_of stores)"
  if alive "$pid"; then
    echo "Stopping the stores ..."
    kill -TERM "$pid" 2>/dev/null || true
    await_exit "$pid" 60 || { kill -KILL "$pid"; await_exit "$pid" 10 || true; }
  fi
  start_stores
  # The nodes report not-ready while a store is down and ready once they reach it again.
  for k in $(node_numbers); do
    alive "$(pid_of "node-$k")" && wait_ready "$k"
  done
  echo "The stores are back; every running node is ready."
}

cmd_stop() {
  load_state
  local pids=() pid
  for k in $(node_numbers); do
    pid="$(pid_of "node-$k")"
    alive "$pid" && pids+=("$pid")
  done
  if ((${#pids[@]})); then
    echo "Stopping the nodes (each drains) ..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do
      await_exit "$pid" "$startup_seconds" || kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  rm -f "$dir"/node-*.pid
  pid="$(pid_of stores)"
  if alive "$pid"; then
    echo "Stopping the stores ..."
    kill -TERM "$pid" 2>/dev/null || true
    await_exit "$pid" 60 || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/stores.pid"
  echo "Stopped."
}

cmd_run() {
  cmd_start "$@"
  trap 'cmd_stop; exit 130' INT
  trap 'cmd_stop; exit 143' TERM
  echo "Press Ctrl-C to stop."
  # Report a node that goes (killed on purpose, to try failover) but keep the rest running.
  declare -A reported=()
  while alive "$(pid_of stores)"; do
    for k in $(node_numbers); do
      if [[ -z "${reported[$k]:-}" ]] && ! alive "$(pid_of "node-$k")"; then
        echo "Node $k has exited; see $dir/node-$k.log"
        reported[$k]=1
      fi
    done
    sleep 1 &
    wait $! || true
  done
  echo "The stores exited; see $dir/stores.log" >&2
  cmd_stop
  exit 1
}

command="${1:-run}"
case "$command" in
  -*) cmd_run "$@" ;;
  run | start) shift; "cmd_$command" "$@" ;;
  status | add | stop | restart-stores) shift; "cmd_${command//-/_}" "$@" ;;
  drain | kill) shift; "cmd_$command" "$@" ;;
  help | -h | --help) usage ;;
  *) usage ;;
esac
