# scripts/lib/simulator.sh: starting the gateway simulator for a script (the demo, the release
# check) and learning where it listens, from the file it writes once it accepts connections
# (envoy-sim --url-file) rather than from its log. Source it.

sim_pid=
sim_url=
sim_port=

# start_simulator SIMULATOR LOG ARG...: starts SIMULATOR --port 0 ARG... with its output in LOG
# and waits up to 20 s for it to listen; sets sim_pid, sim_url ("https://127.0.0.1:PORT") and
# sim_port. Returns 1, with the log on stderr, when it does not come up.
start_simulator() {
  local simulator=$1 log=$2
  shift 2
  local url_file="$log.url"
  rm -f "$url_file"
  "$simulator" --port 0 --url-file "$url_file" "$@" >"$log" 2>&1 &
  sim_pid=$!
  local deadline=$((SECONDS + 20))
  until [ -s "$url_file" ]; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$sim_pid" 2>/dev/null; then
      echo "$(basename "$0"): the simulator did not start: $(cat "$log")" >&2
      return 1
    fi
    sleep 0.05
  done
  sim_url=$(head -n 1 "$url_file")
  sim_port=${sim_url##*:}
}

# stop_simulator: stops the simulator start_simulator started, if it runs.
stop_simulator() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
  fi
}
