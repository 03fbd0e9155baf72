#!/usr/bin/env bash
# The S3 server for the test suite: moto's standalone server (moto_server, from moto[server]
# in the dev dependencies), in memory, on 127.0.0.1.
#   start: prints its endpoint URL. SECURACT_TEST_S3_ENDPOINT_URL if set (it must answer),
#          else a throwaway server on a free port.
#   stop URL: stops the throwaway server answering at URL (started by `start`).
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?start|stop}

state_dir() { echo "/tmp/securact-s3-$1"; }

answers() { # port: true once something accepts connections there
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()' "$1" 2>/dev/null
}

case $action in
  start)
    if [[ -n ${SECURACT_TEST_S3_ENDPOINT_URL:-} ]]; then
      echo "$SECURACT_TEST_S3_ENDPOINT_URL"
      exit 0
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    dir=$(state_dir "$port")
    rm -rf "$dir" && mkdir -p "$dir"
    # its own session (setsid): `stop` ends the whole group, and Ctrl-C of the caller does not
    setsid .venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 300); do
      answers "$port" && { echo "http://127.0.0.1:$port"; exit 0; }
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "moto_server did not start on port $port:" >&2
    cat "$dir/server.log" >&2
    kill -- "-$(cat "$dir/pid")" 2>/dev/null || true
    rm -rf "$dir"
    exit 1
    ;;
  stop)
    url=${2:?stop needs the endpoint URL printed by start}
    port=${url##*:}
    port=${port%%/*}
    dir=$(state_dir "$port")
    [[ -f $dir/pid ]] || exit 0
    pid=$(cat "$dir/pid")
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop URL" >&2
    exit 2
    ;;
esac
