#!/usr/bin/env bash
# Runs the demo as a three-replica cluster on this machine: replica N serves HTTP on 808N and
# talks to its peers on 740(N+1). Data lives in demo-app/replication-data/N, logs and pids in
# demo-app/target/cluster/.
#
#   ./cluster.sh start        build the jar if missing or older than the sources, start the replicas
#   ./cluster.sh stop         stop all replicas (SIGTERM: a graceful shutdown)
#   ./cluster.sh status       each replica's /actuator/replication and /actuator/health
#   ./cluster.sh kill N       kill -9 replica N (a crash: its data dir stays)
#   ./cluster.sh restart N    stop replica N if running, then start it again from its data dir
set -euo pipefail

DEMO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$DEMO_DIR")"
JAR="$DEMO_DIR/target/viewstamp-demo-app-0.1.0-SNAPSHOT.jar"
RUN_DIR="$DEMO_DIR/target/cluster"
REPLICAS=(0 1 2)

usage() {
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

pid_file() { echo "$RUN_DIR/replica-$1.pid"; }

running() {
	local file
	file="$(pid_file "$1")"
	[[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null
}

check_index() {
	[[ "${1:-}" =~ ^[0-2]$ ]] || { echo "replica index must be 0, 1 or 2" >&2; exit 2; }
}

build() {
	# Rebuilt when a main source or pom is newer than the jar, so a checkout of new code runs new code.
	if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT_DIR" \( -path "$ROOT_DIR/*/target" -o -path '*/src/test' \) -prune -o \
			\( -name '*.java' -o -name '*.yml' -o -name '*.html' -o -name 'pom.xml' \) -newer "$JAR" -print -quit)" ]]; then
		echo "building $JAR"
		(cd "$ROOT_DIR" && mvn -q -pl demo-app -am package -DskipTests)
	fi
}

start_one() {
	local n="$1"
	if running "$n"; then
		echo "replica $n already running (pid $(cat "$(pid_file "$n")"))"
		return
	fi
	# Nothing marks a first start: a replica with no data forms a new cluster once every member says
	# it has none, and recovers from its peers when one has some.
	mkdir -p "$RUN_DIR"
	# The working directory is demo-app, so the profiles' relative data dirs land there.
	# Only java is backgrounded (not a subshell around it), so the pid written is the JVM's.
	(cd "$DEMO_DIR" || exit 1; nohup java -jar "$JAR" --spring.profiles.active="replica-$n" \
		>"$RUN_DIR/replica-$n.log" 2>&1 & echo $! >"$(pid_file "$n")")
	echo "replica $n started (pid $(cat "$(pid_file "$n")"), http://localhost:808$n, cluster page" \
		"http://localhost:808$n/replication, log $RUN_DIR/replica-$n.log)"
}

stop_one() {
	local n="$1" signal="${2:-TERM}" file pid
	file="$(pid_file "$n")"
	if ! running "$n"; then
		echo "replica $n not running"
		rm -f "$file"
		return
	fi
	pid="$(cat "$file")"
	kill "-$signal" "$pid"
	# Wait for the exit (bounded), so a restart does not race the old process for the ports.
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "replica $n (pid $pid) did not exit after SIGTERM; killing it" >&2
		kill -9 "$pid"
	fi
	rm -f "$file"
	echo "replica $n stopped (SIG$signal)"
}

status_one() {
	local n="$1" port=$((8080 + $1))
	echo "== replica $n (http://localhost:$port)"
	if ! running "$n"; then
		echo "   not running"
		return
	fi
	echo "   replication: $(curl -s --max-time 2 "http://localhost:$port/actuator/replication" || echo unreachable)"
	echo "   health:      $(curl -s --max-time 2 "http://localhost:$port/actuator/health" || echo unreachable)"
}

case "${1:-}" in
	start)
		build
		for n in "${REPLICAS[@]}"; do start_one "$n"; done
		;;
	stop)
		for n in "${REPLICAS[@]}"; do stop_one "$n"; done
		;;
	status)
		for n in "${REPLICAS[@]}"; do status_one "$n"; done
		;;
	kill)
		check_index "${2:-}"
		stop_one "$2" KILL
		;;
	restart)
		check_index "${2:-}"
		build
		stop_one "$2"
		start_one "$2"
		;;
	*)
		usage
		;;
esac
