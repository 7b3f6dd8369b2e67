# shellcheck shell=bash
# Helpers the bench and chaos scripts share: processes they start, ports and HTTP answers they wait for.
# Sourced, never run: `source "$root/scripts/lib.sh"`. Plain functions, no state but `started_pids`.

# The pids of what `track_pid` was given; `stop_started` stops them all.
started_pids=()

port_open() { # port: whether something accepts connections on 127.0.0.1:<port>
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() { # port seconds pid [name]: until <port> accepts; fails when <pid> exits first or time is up
  local port="$1" seconds="$2" pid="$3" name="${4:-process $3}"
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    port_open "$port" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name exited during start-up" >&2; return 1; }
    sleep 0.5
  done
  echo "$name did not open port $port within $seconds s" >&2
  return 1
}

wait_http() { # url seconds pid: until the server launched as <pid> answers there (not a stale one: the
  # answer must carry "pid":<pid>, as the bench profile's /bench/memory does)
  local url="$1" seconds="$2" pid="$3" answer
  for _ in $(seq 1 $((seconds * 5))); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "process $pid exited during start-up" >&2; return 1; fi
    if answer="$(curl -fsS --max-time 2 "$url" 2>/dev/null)"; then
      if [[ "$answer" == *"\"pid\":$pid"[,}]* ]]; then return 0; fi
      echo "another process answers at $url ($answer); is a server from an earlier run still up?" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "no answer from $url within ${seconds}s" >&2
  return 1
}

stop_pid() { # pid [seconds=10]: SIGTERM (after SIGCONT, in case it was stopped), SIGKILL if still there then
  local pid="$1" seconds="${2:-10}"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((seconds * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

track_pid() { # pid: stop it with the others in stop_started
  started_pids+=("$1")
}

stop_started() { # stops every tracked pid, newest first
  local i
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do stop_pid "${started_pids[i]}"; done
  started_pids=()
}

raise_fd_limit() { # thousands of client sockets per process: root may raise the hard limit, others get it
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}
