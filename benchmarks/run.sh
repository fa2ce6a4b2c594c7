#!/usr/bin/env bash
# Workload W1 (docs/benchmarks.md): a replicated counter on Viewstamp and on Apache Ratis 3.2.0,
# three replicas as three JVMs on 127.0.0.1, run alternately (A B A B) for several rounds so that
# the machine's drift cancels; prints one table. Run from anywhere:
#
#   benchmarks/run.sh
#
# Settings (environment): ROUNDS (3), CALLERS (1,16,64,256), INITIAL_SECONDS (30), WARMUP_SECONDS (5),
# MEASURED_SECONDS (20), VARIANTS (every one, in this order: vs-spring-async vs-spring-sync
# vs-backup vs-plain ratis-netty ratis-grpc ratis-netty-leader ratis-grpc-leader vs-http),
# HTTP_CALLERS (1,64: the demo app's HTTP deposits), JVM_OPTS (-Xms1g -Xmx1g -XX:+UseG1GC),
# OUT (benchmarks/target/w1), JFR_DIR (unset: when set, every JVM writes a flight recording there,
# <run>-<process>.jfr, with the options JFR_OPTIONS, delay=30s,duration=20s,settings=profile). It starts and kills only its own
# processes, by PID, and deletes their data directories.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
CALLERS="${CALLERS:-1,16,64,256}"
INITIAL_SECONDS="${INITIAL_SECONDS:-30}"
WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
MEASURED_SECONDS="${MEASURED_SECONDS:-20}"
VARIANTS="${VARIANTS:-vs-spring-async ratis-netty vs-spring-sync ratis-grpc vs-backup ratis-netty-leader vs-plain ratis-grpc-leader vs-http}"
HTTP_CALLERS="${HTTP_CALLERS:-1,64}"
JVM_OPTS="${JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}"
OUT="${OUT:-$ROOT/benchmarks/target/w1}"
JFR_DIR="${JFR_DIR:-}"
JFR_OPTIONS="${JFR_OPTIONS:-delay=30s,duration=20s,settings=profile}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

VS_PEERS="127.0.0.1:7501,127.0.0.1:7502,127.0.0.1:7503"
HTTP_PORTS="8501,8502,8503"
RATIS_PORTS="7601,7602,7603"

# One run at a time: two would share the ports and the two cores, and measure nothing.
exec 9> "${TMPDIR:-/tmp}/viewstamp-w1.lock"
if ! flock -n 9; then
  echo "Another benchmarks/run.sh is running on this machine; wait for it to end (or stop it) and try again." >&2
  exit 1
fi

PIDS=()
# Stops this run's processes: TERM first, so that a JVM writes its flight recording (JVM_OPTS may ask
# for one) and Spring closes cleanly; KILL what is still running 15 s later.
cleanup() {
  local pid waited=0
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 150 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

echo "Building the benchmarks module and its class path..."
(cd "$ROOT" && mvn -B -q -pl benchmarks,demo-app -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
DEMO_JAR="$(ls "$ROOT"/demo-app/target/viewstamp-demo-app-*.jar | grep -v original | head -n 1)"

rm -rf "$OUT"
mkdir -p "$OUT/logs"

# The JVM options of process <name>: JVM_OPTS, and its flight recording when JFR_DIR asks for one.
jvm_options() {
  echo "$JVM_OPTS"
  if [ -n "$JFR_DIR" ]; then
    mkdir -p "$JFR_DIR"
    echo "-XX:StartFlightRecording=$JFR_OPTIONS,dumponexit=true,filename=$JFR_DIR/$RUN-$1.jfr"
  fi
}

# Starts a background process: start <name> <java arguments...>; its PID goes to PIDS and LAST_PID.
start() {
  local name="$1"; shift
  # shellcheck disable=SC2046
  "$JAVA" $(jvm_options "$name") -cp "$CP" "$@" > "$OUT/logs/$RUN-$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

# Starts the demo application's jar as it ships: start_demo <name> <application arguments...>.
start_demo() {
  local name="$1"; shift
  # shellcheck disable=SC2046
  "$JAVA" $(jvm_options "$name") -jar "$DEMO_JAR" "$@" > "$OUT/logs/$RUN-$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

bench_properties() {
  echo "-Dbench.results=$OUT/round-$ROUND.tsv -Dbench.callers=$CALLERS -Dbench.initial-seconds=$INITIAL_SECONDS" \
       "-Dbench.warmup-seconds=$WARMUP_SECONDS -Dbench.measured-seconds=$MEASURED_SECONDS"
}

# The longest a variant may take: its schedule, 30 s of drain per phase, and 3 minutes to start.
variant_limit_seconds() {
  local phases
  phases=$(echo "$CALLERS" | tr ',' '\n' | wc -l)
  echo $(( INITIAL_SECONDS + phases * (WARMUP_SECONDS + MEASURED_SECONDS + 60) + 180 ))
}

# Waits for the load process (killing it past the variant's time limit); kills the others; deletes
# the data directories.
finish() {
  local load_pid="$1" data="$2"
  local status=0 waited=0 limit
  limit=$(variant_limit_seconds)
  while kill -0 "$load_pid" 2>/dev/null; do
    if [ "$waited" -ge "$limit" ]; then
      echo "  $RUN took more than $limit s; it is stopped" >&2
      kill -9 "$load_pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  wait "$load_pid" || status=$?
  cleanup
  rm -rf "$data"
  if [ "$status" -ne 0 ]; then
    echo "  $RUN failed (exit $status); its logs are in $OUT/logs/$RUN-*.log" >&2
    tail -n 20 "$OUT/logs/$RUN-load.log" >&2 || true
  fi
}

# Viewstamp's replica 0 runs the load; it reads the others' PIDs from a file once the cluster
# serves. Whichever replica leads first hands its view to -Dbench.primary: replica 0 itself, or
# replica 1 when the callers stand on a backup.
viewstamp_spring() {
  local variant="$1" data="$OUT/data-$RUN" pids="$OUT/pids-$RUN" primary=0
  [ "$variant" = backup-async ] && primary=1
  local common=(--replication.cluster-id=w1 --replication.peers="$VS_PEERS" --spring.main.web-application-type=none
                --spring.main.banner-mode=off --bench.primary="$primary")
  # shellcheck disable=SC2046
  start load $(bench_properties) -Dbench.variant="$variant" -Dbench.self-name=replica0 -Dbench.pids-file="$pids" \
    io.viewstamp.benchmarks.w1.spring.CounterApplication --replication.replica=0 --replication.data-dir="$data/0" \
    "${common[@]}"
  local load=$LAST_PID
  start replica1 io.viewstamp.benchmarks.w1.spring.CounterApplication --replication.replica=1 \
    --replication.data-dir="$data/1" "${common[@]}"
  local p1=$LAST_PID
  start replica2 io.viewstamp.benchmarks.w1.spring.CounterApplication --replication.replica=2 \
    --replication.data-dir="$data/2" "${common[@]}"
  echo "replica1=$p1,replica2=$LAST_PID" > "$pids"
  finish "$load" "$data"
}

viewstamp_plain() {
  local data="$OUT/data-$RUN" pids="$OUT/pids-$RUN"
  # shellcheck disable=SC2046
  start load $(bench_properties) -Dbench.primary=0 -Dbench.variant=plain -Dbench.self-name=replica0 -Dbench.pids-file="$pids" \
    io.viewstamp.benchmarks.w1.plain.PlainCounterMain 0 "$VS_PEERS" "$data/0"
  local load=$LAST_PID
  start replica1 -Dbench.primary=0 io.viewstamp.benchmarks.w1.plain.PlainCounterMain 1 "$VS_PEERS" "$data/1"
  local p1=$LAST_PID
  start replica2 -Dbench.primary=0 io.viewstamp.benchmarks.w1.plain.PlainCounterMain 2 "$VS_PEERS" "$data/2"
  echo "replica1=$p1,replica2=$LAST_PID" > "$pids"
  finish "$load" "$data"
}

# The demo application's three replicas, unmodified, and HTTP callers in a fourth JVM that deposit
# into one account on whichever replica leads.
viewstamp_http() {
  local data="$OUT/data-$RUN" pids=()
  local ports
  IFS=',' read -r -a ports <<< "$HTTP_PORTS"
  for replica in 0 1 2; do
    start_demo "replica$replica" --replication.replica="$replica" --replication.cluster-id=w1-http \
      --replication.peers="$VS_PEERS" --replication.data-dir="$data/$replica" --server.port="${ports[$replica]}" \
      --spring.main.banner-mode=off
    pids+=("replica$replica=$LAST_PID")
  done
  local listed
  listed=$(IFS=','; echo "${pids[*]}")
  # shellcheck disable=SC2046
  start load $(bench_properties) -Dbench.callers="$HTTP_CALLERS" -Dbench.variant=http-deposit -Dbench.self-name=client \
    -Dbench.pids="$listed" io.viewstamp.benchmarks.w1.http.HttpDepositMain "$HTTP_PORTS"
  finish "$LAST_PID" "$data"
}

ratis() {
  local transport="$1" in_leader="$2" data="$OUT/data-$RUN"
  start server1 io.viewstamp.benchmarks.w1.ratis.RatisServerMain 1 "$transport" "$RATIS_PORTS" "$data/1"
  local p1=$LAST_PID
  start server2 io.viewstamp.benchmarks.w1.ratis.RatisServerMain 2 "$transport" "$RATIS_PORTS" "$data/2"
  local p2=$LAST_PID
  if [ "$in_leader" = yes ]; then
    # shellcheck disable=SC2046
    start load $(bench_properties) -Dbench.variant="$transport-in-leader" -Dbench.self-name=server0 \
      -Dbench.pids="server1=$p1,server2=$p2" io.viewstamp.benchmarks.w1.ratis.RatisServerMain 0 "$transport" \
      "$RATIS_PORTS" "$data/0"
  else
    start server0 io.viewstamp.benchmarks.w1.ratis.RatisServerMain 0 "$transport" "$RATIS_PORTS" "$data/0"
    local p0=$LAST_PID
    # shellcheck disable=SC2046
    start load $(bench_properties) -Dbench.variant="$transport-client-jvm" -Dbench.self-name=client \
      -Dbench.pids="server0=$p0,server1=$p1,server2=$p2" io.viewstamp.benchmarks.w1.ratis.RatisClientMain \
      "$transport" "$RATIS_PORTS"
  fi
  finish "$LAST_PID" "$data"
}

for ROUND in $(seq 1 "$ROUNDS"); do
  for variant in $VARIANTS; do
    RUN="round$ROUND-$variant"
    echo "Round $ROUND: $variant ($(date +%H:%M:%S))"
    case "$variant" in
      vs-spring-async) viewstamp_spring primary-async ;;
      vs-spring-sync) viewstamp_spring primary-sync ;;
      vs-backup) viewstamp_spring backup-async ;;
      vs-plain) viewstamp_plain ;;
      vs-http) viewstamp_http ;;
      ratis-netty) ratis netty no ;;
      ratis-grpc) ratis grpc no ;;
      ratis-netty-leader) ratis netty yes ;;
      ratis-grpc-leader) ratis grpc yes ;;
      *) echo "Unknown variant $variant; VARIANTS may list: vs-spring-async vs-spring-sync vs-backup vs-plain vs-http" \
              "ratis-netty ratis-grpc ratis-netty-leader ratis-grpc-leader" >&2; exit 2 ;;
    esac
  done
done

"$JAVA" -cp "$CP" io.viewstamp.benchmarks.w1.ReportTable "$OUT" | tee "$OUT/table.md"
echo "The table is in $OUT/table.md; the processes' logs in $OUT/logs."
