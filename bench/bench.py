#!/usr/bin/env python3
# bench: the benchmark driver behind bench/run.sh. For each stream rate it starts a private
# dbus-daemon, a mosquitto broker, envoy-sim streaming at that rate (--log-samples) and the daemon
# (installer token: the meter stream is the source; MQTT and every [DATA] fetch on), plus
# ee-bench-listener on /Ac/Power. It measures gateway-to-D-Bus latency, the daemon's CPU time,
# RSS and descriptors, then instructions per sample under callgrind (minus an idle run of the
# same length), and writes bench/report.json and bench/report.md.
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PV_SERVICE = "com.victronenergy.pvinverter.enphase_envoy"
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# Targets of the benchmark issue (this machine, 10 samples/s where a rate matters).
TARGET_P99_MS = 10.0
TARGET_RSS_KB = 8 * 1024
TARGET_CPU_MS_PER_SAMPLE = 1.0
TARGET_RATE = 10
# The figures before velib-style batching (bench/baseline.json): CPU per sample at TARGET_RATE must
# be at most this fraction of the baseline's.
BASELINE = json.loads((REPO / "bench" / "baseline.json").read_text())
TARGET_CPU_FRACTION_OF_BASELINE = 0.5
# The idle callgrind run streams this slowly: the stream stays up (stall timeout 60 s) while
# nearly no samples arrive, so everything but the per-sample work is the same as the active run.
IDLE_INTERVAL_MS = 10_000
# Seconds after the daemon's start before the measured window begins (periodic fetches start at 3 s).
WINDOW_START_S = 8


class BenchError(RuntimeError):
    pass


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A started process with stdout and stderr in one file of the run's directory."""

    def __init__(self, name, argv, workdir, env=None):
        self.name = name
        self.log_path = Path(workdir) / f"{name}.log"
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env, cwd=workdir)

    @property
    def pid(self):
        return self.proc.pid

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern, timeout):
        regex = re.compile(pattern)

        def found():
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.proc.returncode}:\n{self.output()[-2000:]}")
            match = regex.search(self.output())
            return match
        return wait_until(found, timeout, f"{self.name} to print /{pattern}/")

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} ignored SIGTERM for {timeout} s; killing it")
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()
        return self.proc.returncode


# --- /proc ---------------------------------------------------------------------------------------

def cpu_seconds(pid):
    """CPU time of every thread of the process, in seconds: the run time the scheduler accounts in
    /proc/<pid>/task/*/schedstat (nanoseconds). utime + stime of /proc/<pid>/stat is sampled at each
    clock tick (10 ms): a statistical figure for a process that runs in bursts much shorter than a
    tick; schedstat is the time actually run. The daemon's threads (the loop and the MQTT network thread)
    live for the whole run, so none is missed by summing the live ones."""
    total_ns = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            total_ns += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue  # the thread ended between listdir and read
    return total_ns / 1e9


def memory_kb(pid):
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            values[key] = int(rest.split()[0])
    return values


def rollup_kb(pid):
    """Pss and private (Private_Clean + Private_Dirty, the USS) from /proc/<pid>/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Pss", "Private_Clean", "Private_Dirty", "Shared_Clean"):
            values[key] = int(rest.split()[0])
    return {"pss_kb": values["Pss"], "uss_kb": values["Private_Clean"] + values["Private_Dirty"],
            "shared_clean_kb": values["Shared_Clean"]}


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def fd_targets(pid):
    """What each descriptor is (socket, pipe, anon_inode:[eventpoll], a file), for the report."""
    targets = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        kind = re.sub(r"\[\d+\]$", "", target)
        targets[kind] = targets.get(kind, 0) + 1
    return targets


def resource_probe(pid):
    memory = memory_kb(pid)
    return {"t": time.monotonic(), "cpu_s": cpu_seconds(pid), "rss_kb": memory["VmRSS"], "hwm_kb": memory["VmHWM"],
            "anon_kb": memory["RssAnon"], "file_kb": memory["RssFile"], "fds": open_fds(pid),
            "fd_targets": fd_targets(pid)}


# --- logs ----------------------------------------------------------------------------------------

SAMPLE_RE = re.compile(r"^sample (\d+) t_ns=(\d+) p=(-?[0-9.]+)$", re.M)
SIGNAL_RE = re.compile(r"^signal t_ns=(\d+) v=(\S+)$", re.M)


def sim_samples(text):
    return [(int(seq), int(t), float(p)) for seq, t, p in SAMPLE_RE.findall(text)]


def dbus_signals(text):
    return [(int(t), None if v == "invalid" else float(v)) for t, v in SIGNAL_RE.findall(text)]


def match_latencies(samples, signals, margin):
    """Pairs each D-Bus value with the simulator sample of the same production power, in order and
    one to one, searching forward from the last match. The daemon shows PV phases below 5 W as 0,
    so its total may exceed the simulator's (which sums the raw phases, a slightly negative one
    included) by up to `margin` W. Returns, per signal, (latency in ms or None, samples skipped)."""
    out = []
    cursor = 0
    for t_signal, value in signals:
        found = None
        if value is not None:
            for i in range(cursor, min(len(samples), cursor + 200)):
                _, t_sample, p = samples[i]
                if p - 0.0015 <= value <= p + margin + 0.0015 and t_sample <= t_signal:
                    found = i
                    break
        if found is None:
            out.append((None, 0))
            continue
        out.append(((t_signal - samples[found][1]) / 1e6, found - cursor))
        cursor = found + 1
    return out


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(0, min(len(ordered) - 1, int(round(q / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


# --- one run -------------------------------------------------------------------------------------

class Stack:
    """Bus, broker, simulator, listener and daemon of one run, stopped in reverse order."""

    def __init__(self, args, workdir, interval_ms, daemon_prefix=(), stream_timeout=5, with_floor=False):
        self.args = args
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.children = []
        self.interval_ms = interval_ms
        self.daemon_prefix = list(daemon_prefix)
        self.stream_timeout = stream_timeout
        self.with_floor = with_floor
        self.daemon = None
        self.sim = None
        self.listener = None
        self.floor = None

    def start(self):
        bins = self.args.bins
        capture = REPO / "tests" / "data" / "envoy" / self.args.capture
        bus = self.spawn("dbus-daemon", ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"])
        address = bus.wait_for(r"(unix:\S+)", 10).group(1)
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)

        broker_port = free_port()
        (self.workdir / "mosquitto.conf").write_text(f"listener {broker_port} 127.0.0.1\nallow_anonymous true\n")
        self.spawn("mosquitto", ["mosquitto", "-c", str(self.workdir / "mosquitto.conf")])
        wait_until(lambda: port_open(broker_port), 10, f"mosquitto on port {broker_port}")

        token = subprocess.run([bins["envoy-sim"], "--make-token", "installer", "--capture", str(capture)],
                               check=True, capture_output=True, text=True).stdout.strip()
        url_file = self.workdir / "sim.url"
        self.sim = self.spawn("envoy-sim", [bins["envoy-sim"], "--capture", str(capture), "--port", "0",
                                            "--url-file", str(url_file),
                                            "--stream-interval-ms", str(self.interval_ms), "--log-samples"])
        wait_until(lambda: url_file.exists(), 15, "envoy-sim's --url-file")
        sim_url = url_file.read_text().strip()
        sim_port = int(sim_url.rsplit(":", 1)[1])

        self.listener = self.spawn("listener", [bins["ee-bench-listener"], PV_SERVICE, "/Ac/Power"], env)
        self.listener.wait_for(r"^ready$", 10)

        config = self.workdir / "config.ini"
        config.write_text(
            "[DEFAULT]\nlogging = WARNING\n\n"
            f"[ENVOY]\naddress = 127.0.0.1:{sim_port}\ntoken = {token}\nstream_timeout = {self.stream_timeout}\n\n"
            "[GRID]\nenabled = 1\n\n"
            "[DATA]\nfetch_devices = 1\nfetch_devices_interval = 60\nfetch_inverters = 1\nfetch_inverters_interval = 60\n"
            "fetch_events = 1\nfetch_events_interval = 900\n\n"
            f"[MQTT]\nenabled = 1\nbroker_address = 127.0.0.1\nbroker_port = {broker_port}\npublish_interval = 1\n\n"
            f"[ENERGY]\nstate_dir = {self.workdir}\nvolatile_dir = {self.workdir}/run\n")
        os.chmod(config, 0o600)
        self.daemon = self.spawn("daemon", self.daemon_prefix + [bins["dbus-enphase-envoy"], "--config", str(config)], env)
        if self.with_floor:
            url = f"{sim_url}/info"
            self.floor = self.spawn("floor", [bins["ee-bench-floor"], url, str(broker_port)], env)
            self.floor.wait_for(r"^ready$", 15)
        return self

    def spawn(self, name, argv, env=None):
        child = Child(name, argv, self.workdir, env)
        self.children.append(child)
        return child

    def signals(self):
        return dbus_signals(self.listener.output())

    def wait_signals(self, count, timeout):
        def enough():
            if self.daemon.proc.poll() is not None:
                raise BenchError(f"the daemon exited with {self.daemon.proc.returncode}:\n{self.daemon.output()[-2000:]}")
            return len(self.signals()) >= count
        wait_until(enough, timeout, f"{count} changes of /Ac/Power")

    def stop(self):
        code = None
        for child in reversed(self.children):
            rc = child.stop(timeout=120 if child is self.daemon else 10)
            if child is self.daemon:
                code = rc
        return code


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def measure_rate(args, rate, samples, workdir):
    """One run at `rate` samples/s: warm-up, then a window of `samples` samples."""
    interval_ms = max(1, round(1000 / rate))
    warmup = max(2, min(rate * 2, 20))
    stack = Stack(args, workdir, interval_ms, with_floor=True)
    try:
        stack.start()
        daemon_started = time.monotonic()
        stack.wait_signals(warmup, 60)
        # The window starts after the daemon's first periodic fetches (3 s after start), so it
        # holds the steady state only: no start-up CPU, no one-off buffers of the first fetch.
        wait_until(lambda: time.monotonic() - daemon_started >= WINDOW_START_S, WINDOW_START_S + 1, "the steady state")
        pid = stack.daemon.pid
        start = resource_probe(pid)
        start_index = len(stack.signals())
        probes = [start]
        deadline = time.monotonic() + samples / rate * 3 + 30
        while len(stack.signals()) < start_index + samples:
            if time.monotonic() > deadline:
                raise BenchError(f"only {len(stack.signals()) - start_index} of {samples} samples reached D-Bus in time")
            if stack.daemon.proc.poll() is not None:
                raise BenchError(f"the daemon exited:\n{stack.daemon.output()[-2000:]}")
            time.sleep(min(1.0, 0.5 * interval_ms / 1000 + 0.05))
            if time.monotonic() - probes[-1]["t"] >= 1.0:
                probes.append(resource_probe(pid))
        end = resource_probe(pid)
        end.update(rollup_kb(pid))
        probes.append(end)
        floor = memory_kb(stack.floor.pid)
        floor.update(rollup_kb(stack.floor.pid))
        window_signals = len(stack.signals()) - start_index
    finally:
        exit_code = stack.stop()
    samples_sent = sim_samples(stack.sim.output())
    signals = stack.signals()[: start_index + window_signals]
    matches = match_latencies(samples_sent, signals, args.match_margin)[start_index:]
    latencies = [latency for latency, _ in matches if latency is not None]
    unmatched = sum(1 for latency, _ in matches if latency is None)
    skipped = sum(skip for _, skip in matches)
    if not latencies:
        raise BenchError(f"no D-Bus value matched a simulator sample at {rate}/s; see {workdir}")
    elapsed = end["t"] - start["t"]
    cpu_ms = (end["cpu_s"] - start["cpu_s"]) * 1000
    errors = [line for line in stack.daemon.output().splitlines() if "ERROR" in line or "WARNING" in line]
    result = {
        "rate_requested": rate,
        "rate_measured": round(window_signals / elapsed, 2) if elapsed > 0 else None,
        "samples": window_signals,
        "window_s": round(elapsed, 2),
        "latency_ms": {
            "matched": len(latencies),
            "unmatched": unmatched,
            "samples_skipped": skipped,
            "median": round(statistics.median(latencies), 3),
            "p99": round(percentile(latencies, 99), 3),
            "max": round(max(latencies), 3),
            "min": round(min(latencies), 3),
        },
        "cpu": {
            "window_ms": round(cpu_ms, 1),
            "ms_per_1000_samples": round(cpu_ms / window_signals * 1000, 1),
            "ms_per_sample": round(cpu_ms / window_signals, 4),
            "percent_of_one_core": round(cpu_ms / 10 / elapsed, 2) if elapsed > 0 else None,
            "source": "schedstat of every thread",
        },
        "memory_kb": {
            "rss_start": start["rss_kb"],
            "rss_end": end["rss_kb"],
            "rss_min": min(p["rss_kb"] for p in probes),
            "rss_max": max(p["rss_kb"] for p in probes),
            "peak_hwm": end["hwm_kb"],
            "anon_start": start["anon_kb"],
            "anon_end": end["anon_kb"],
            "file_end": end["file_kb"],
            "pss_end": end["pss_kb"],
            "private_end": end["uss_kb"],
            "shared_clean_end": end["shared_clean_kb"],
            # ee-bench-floor: the same shared libraries, initialised and connected, nothing else.
            "floor_rss": floor["VmRSS"],
            "floor_anon": floor["RssAnon"],
            "floor_private": floor["uss_kb"],
            "above_floor_rss": end["rss_kb"] - floor["VmRSS"],
            "above_floor_anon": end["anon_kb"] - floor["RssAnon"],
        },
        "fds": {"start": start["fds"], "end": end["fds"], "min": min(p["fds"] for p in probes),
                "max": max(p["fds"] for p in probes), "kinds_start": start["fd_targets"], "kinds_end": end["fd_targets"]},
        "daemon_exit_code": exit_code,
        "daemon_warnings": errors[:10],
    }
    return result


# --- callgrind -----------------------------------------------------------------------------------

def callgrind_total(path):
    for line in Path(path).read_text().splitlines():
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    raise BenchError(f"no totals in {path}")


def callgrind_run(args, interval_ms, seconds, workdir, name):
    """The daemon under callgrind for `seconds` from its start to SIGTERM. Returns its instruction
    count and how many valid /Ac/Power values it published (every sample it processed)."""
    out = Path(workdir) / f"callgrind.{name}.out"
    prefix = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    # stream_timeout 60: the idle run's stream is slower than the default 5 s stall timeout.
    stack = Stack(args, workdir, interval_ms, prefix, stream_timeout=60)
    try:
        stack.start()
        started = time.monotonic()
        wait_until(lambda: any(v is not None for _, v in stack.signals()), seconds, "a valid /Ac/Power under callgrind")
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))  # a fixed run length: both runs last as long
        signals = sum(1 for _, v in stack.signals() if v is not None)
    finally:
        code = stack.stop()
    if code != 0:
        raise BenchError(f"the daemon under callgrind exited with {code}:\n{stack.daemon.output()[-2000:]}")
    return {"instructions": callgrind_total(out), "signals": signals, "out": str(out)}


def callgrind_top(path, count):
    result = subprocess.run(["callgrind_annotate", "--threshold=100", str(path)], capture_output=True, text=True, cwd="/")
    lines = []
    started = False
    for line in result.stdout.splitlines():
        if re.match(r"^\s*Ir\s+file:function", line):
            started = True
            continue
        if started and line.strip() and not line.startswith("-"):
            lines.append(line.rstrip())
            if len(lines) >= count:
                break
    return lines


# Functions of the per-sample path whose inclusive cost the report splits per sample.
COMPONENTS = [
    ("envoy::HttpClient::socket_action", "libcurl + TLS + everything a gateway socket event triggers"),
    ("envoy::MeterStream::on_event", "one stream event: parse + publish"),
    ("envoy::parse::stream_event", "parse the event JSON (pure parser)"),
    ("app::Daemon::on_snapshot", "all sinks"),
    ("venus::PvInverter::publish", "PV inverter D-Bus service"),
    ("venus::GridMeter::publish", "grid meter D-Bus service"),
    ("busitem::Service::flush_batch", "D-Bus signals (one ItemsChanged per sample), both services"),
    ("mqtt::Publisher::publish_meters", "MQTT meters topic (kept per sample, encoded only when a message goes out)"),
    ("mqtt::encode_meters", "JSON encoding of the meters topic"),
]


def inclusive_costs(path):
    # cwd "/": callgrind_annotate prints source paths relative to its working directory.
    result = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(path)],
                            capture_output=True, text=True, cwd="/")
    costs = {}
    for name, _ in COMPONENTS:
        best = 0
        for line in result.stdout.splitlines():
            match = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):(.*)$", line)
            if not match or "/src/" not in match.group(2):
                continue
            function = match.group(3)
            if function.startswith(name + "(") or function.startswith(name + "["):
                best = max(best, int(match.group(1).replace(",", "")))
        costs[name] = best
    return costs


def measure_callgrind(args, workdir):
    rate = args.callgrind_rate
    seconds = args.callgrind_seconds
    log(f"callgrind: active run, {rate}/s, {seconds} s from start to SIGTERM")
    active = callgrind_run(args, max(1, round(1000 / rate)), seconds, Path(workdir) / "cg-active", "active")
    log(f"callgrind: idle run, one sample every {IDLE_INTERVAL_MS // 1000} s, {seconds} s from start to SIGTERM")
    idle = callgrind_run(args, IDLE_INTERVAL_MS, seconds, Path(workdir) / "cg-idle", "idle")
    samples = active["signals"] - idle["signals"]
    if samples < 20:
        raise BenchError(f"the active callgrind run published only {samples} samples more than the idle one; "
                         "raise --callgrind-seconds (the machine may be too busy)")
    per_sample = (active["instructions"] - idle["instructions"]) / samples
    top = callgrind_top(active["out"], args.top)
    active_costs = inclusive_costs(active["out"])
    idle_costs = inclusive_costs(idle["out"])
    components = [{"function": name, "what": what,
                   "instructions_per_sample": round((active_costs[name] - idle_costs[name]) / samples)}
                  for name, what in COMPONENTS]
    if args.keep_callgrind:
        shutil.copy(active["out"], Path(args.out_dir) / "callgrind.active.out")
        shutil.copy(idle["out"], Path(args.out_dir) / "callgrind.idle.out")
    return {
        "rate": rate,
        "run_s": seconds,
        "active": {"instructions": active["instructions"], "samples": active["signals"]},
        "idle": {"instructions": idle["instructions"], "samples": idle["signals"]},
        "instructions_per_sample": round(per_sample),
        "per_sample_by_function": components,
        "top_functions_active_run": top,
    }


# --- report --------------------------------------------------------------------------------------

def baseline_lines(report):
    """The new figures next to bench/baseline.json's (the same benchmark before velib-style batching)."""
    lines = ["", "## Before and after velib-style batching", "",
             f"Baseline: {BASELINE['what']} (`bench/baseline.json`, run of {BASELINE['generated']} on "
             f"`{BASELINE['machine']}`, the same benchmark and machine).", "",
             "| figure | before | now |", "|---|---|---|"]
    for run in sorted(report["rates"], key=lambda r: r["rate_requested"]):
        before = BASELINE["cpu_ms_per_sample"].get(str(run["rate_requested"]))
        if before is not None:
            lines.append(f"| CPU ms per sample at {run['rate_requested']}/s | {before} | {run['cpu']['ms_per_sample']} |")
    cg = report.get("callgrind")
    if cg:
        lines.append(f"| instructions per sample | {BASELINE['instructions_per_sample']:,} | "
                     f"{cg['instructions_per_sample']:,} |")
        renamed = {"busitem::Service::flush_batch": "busitem::Service::flush"}
        for c in cg["per_sample_by_function"]:
            before = BASELINE["per_sample_by_function"].get(renamed.get(c["function"], c["function"]))
            if before is not None:
                lines.append(f"| instructions per sample in `{c['function']}` | {before:,} | {c['instructions_per_sample']:,} |")
    return lines


def verdicts(report):
    checks = []
    runs = {r["rate_requested"]: r for r in report["rates"]}
    for rate, r in sorted(runs.items()):
        checks.append({"check": f"p99 latency < {TARGET_P99_MS:g} ms at {rate}/s", "value": r["latency_ms"]["p99"],
                       "pass": r["latency_ms"]["p99"] < TARGET_P99_MS})
    for rate, r in sorted(runs.items()):
        # What the daemon adds to the floor of its shared libraries (ee-bench-floor, measured in the
        # same run): the host's libraries are not the daemon's to shrink (see notes.md, "RSS").
        m = r["memory_kb"]
        checks.append({"check": f"steady RSS < {TARGET_RSS_KB // 1024} MB at {rate}/s, above the floor of the shared libraries",
                       "value": f"{m['above_floor_rss']} kB (VmRSS {m['rss_end']} − floor {m['floor_rss']})",
                       "pass": m["above_floor_rss"] < TARGET_RSS_KB})
    if TARGET_RATE in runs:
        r = runs[TARGET_RATE]
        checks.append({"check": f"CPU < {TARGET_CPU_MS_PER_SAMPLE:g} ms per sample at {TARGET_RATE}/s",
                       "value": r["cpu"]["ms_per_sample"], "pass": r["cpu"]["ms_per_sample"] < TARGET_CPU_MS_PER_SAMPLE})
        before = BASELINE["cpu_ms_per_sample"][str(TARGET_RATE)]
        limit = round(before * TARGET_CPU_FRACTION_OF_BASELINE, 4)
        checks.append({"check": f"CPU per sample at {TARGET_RATE}/s at most half of the baseline's {before} ms",
                       "value": f"{r['cpu']['ms_per_sample']} (limit {limit})",
                       "pass": r["cpu"]["ms_per_sample"] <= limit})
    for rate, r in sorted(runs.items()):
        m = r["memory_kb"]
        # Flat: the heap (RssAnon) ends within 128 kB of where the window started (allocator
        # noise) and no more descriptors are open (a gateway connection of a periodic fetch may
        # be open at the start). VmRSS also grows when code is first paged in.
        flat = m["anon_end"] - m["anon_start"] <= 128 and r["fds"]["end"] <= r["fds"]["start"]
        checks.append({"check": f"heap (RssAnon) and descriptors flat over the run at {rate}/s",
                       "value": f"RssAnon {m['anon_start']}->{m['anon_end']} kB, VmRSS {m['rss_start']}->{m['rss_end']} kB, "
                                f"fds {r['fds']['start']}->{r['fds']['end']}",
                       "pass": flat})
    return checks


def write_markdown(report, path):
    r = report
    lines = [
        "# Benchmark report",
        "",
        "Generated by `bench/run.sh` (driver `bench/bench.py`); the numbers below are from the run of "
        f"{r['generated']} on `{r['machine']['host']}` ({r['machine']['cpus']} CPUs, load average "
        f"{r['machine']['loadavg_start']} at start). Machine-readable copy: `bench/report.json`.",
        "",
        f"Command: `{r['command']}` — took {r['duration_s']:.0f} s.",
        "",
        f"Setup: capture `{r['capture']}` (token firmware, 3-phase CTs), installer token so `/stream/meter` is the "
        "source, `[GRID] enabled = 1`, `[MQTT] enabled = 1` with `publish_interval = 1` to a local mosquitto, "
        "`[DATA]` fetch_devices/inverters/events on, private dbus-daemon, binaries of "
        f"`{r['build_dir']}` ({r['build_flags']}).",
        "",
        "## Targets",
        "",
        "| check | value | result |",
        "|---|---|---|",
    ]
    for c in r["checks"]:
        lines.append(f"| {c['check']} | {c['value']} | {'pass' if c['pass'] else '**MISS**'} |")
    lines += baseline_lines(report)
    lines += [
        "",
        "## Per rate",
        "",
        "Latency: from envoy-sim writing a `/stream/meter` event (its `--log-samples` CLOCK_MONOTONIC stamp) to "
        "`ee-bench-listener` receiving the matching change of `/Ac/Power` in the PV inverter's `ItemsChanged` (matched by the power value). "
        f"The measured window starts {WINDOW_START_S} s after the daemon (after its first periodic fetches). "
        "CPU: the run time of every thread of the daemon from `/proc/<pid>/task/*/schedstat` (nanoseconds) over "
        "the measured window. RSS: `/proc/<pid>/status` VmRSS at the start and end of the window, "
        "VmHWM at the end, RssAnon (heap, stacks, dirtied data) and `/proc/<pid>/smaps_rollup` at the end; "
        "library floor: the same of `ee-bench-floor` (the daemon's shared libraries with libcurl holding an HTTPS "
        "connection to the simulator, a D-Bus connection and a connected MQTT client, nothing else) at the same "
        "moment; descriptors: entries of `/proc/<pid>/fd`.",
        "",
        "| rate (req / measured) | samples | latency median / p99 / max (ms) | CPU ms per 1000 samples | "
        "CPU ms per sample | CPU % of a core | VmRSS start → end (kB) | VmHWM (kB) | RssAnon start → end (kB) | "
        "private (USS) / PSS / shared clean at end (kB) | library floor VmRSS / RssAnon (kB) | "
        "above the floor VmRSS / RssAnon (kB) | fds start → end |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for x in r["rates"]:
        lat = x["latency_ms"]
        lines.append(
            f"| {x['rate_requested']} / {x['rate_measured']} | {x['samples']} | {lat['median']} / {lat['p99']} / "
            f"{lat['max']} | {x['cpu']['ms_per_1000_samples']} | {x['cpu']['ms_per_sample']} | "
            f"{x['cpu']['percent_of_one_core']} | {x['memory_kb']['rss_start']} → {x['memory_kb']['rss_end']} | "
            f"{x['memory_kb']['peak_hwm']} | {x['memory_kb']['anon_start']} → {x['memory_kb']['anon_end']} | "
            f"{x['memory_kb']['private_end']} / {x['memory_kb']['pss_end']} / {x['memory_kb']['shared_clean_end']} | "
            f"{x['memory_kb']['floor_rss']} / {x['memory_kb']['floor_anon']} | "
            f"{x['memory_kb']['above_floor_rss']} / {x['memory_kb']['above_floor_anon']} | "
            f"{x['fds']['start']} → {x['fds']['end']} |")
    unmatched = [x for x in r["rates"] if x["latency_ms"]["unmatched"]]
    for x in unmatched:
        lines.append(f"\n{x['latency_ms']['unmatched']} D-Bus values at {x['rate_requested']}/s matched no sample.")
    cg = r.get("callgrind")
    if cg:
        lines += [
            "",
            "## Instructions per sample (callgrind)",
            "",
            f"Two runs of {cg['run_s']} s each (daemon start to SIGTERM) under `valgrind --tool=callgrind`: "
            f"an active one streaming at {cg['rate']}/s and an idle one streaming one sample every "
            f"{IDLE_INTERVAL_MS // 1000} s (`[ENVOY] stream_timeout = 60` in both so the slow stream is not "
            "declared stalled). Start-up, TLS, periodic fetches and MQTT keep-alives are the same in both, so "
            "the difference of the instruction counts divided by the difference of the samples published "
            "(valid `/Ac/Power` values seen by the listener over the whole run) is the cost of one sample.",
            "",
            "| run | instructions (Ir), whole run | samples published on D-Bus |",
            "|---|---|---|",
            f"| active | {cg['active']['instructions']:,} | {cg['active']['samples']} |",
            f"| idle | {cg['idle']['instructions']:,} | {cg['idle']['samples']} |",
            "",
            f"**{cg['instructions_per_sample']:,} instructions per sample.**",
            "",
            "Where they go (inclusive cost of the function, active minus idle, per extra sample; nested rows "
            "are part of the rows above them):",
            "",
            "| function | what | instructions per sample |",
            "|---|---|---|",
            *[f"| `{c['function']}` | {c['what']} | {c['instructions_per_sample']:,} |"
              for c in cg["per_sample_by_function"]],
            "",
            "Top functions of the active run (self cost, `callgrind_annotate`):",
            "",
            "```",
            *cg["top_functions_active_run"],
            "```",
        ]
    notes = path.parent / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    path.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description="Benchmark of dbus-enphase-envoy (see bench/report.md)")
    parser.add_argument("--build-dir", default=str(REPO / "build-bench"))
    parser.add_argument("--rate", type=int, action="append",
                        help="samples per second (repeatable); default 1, 10 and 50")
    parser.add_argument("--samples", type=int, help="samples measured per rate (default: rate x --seconds, at least 100)")
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per rate when --samples is not given")
    parser.add_argument("--capture", default="7.6.175_adapted_3phase")
    parser.add_argument("--match-margin", type=float, default=1.5,
                        help="W the D-Bus total may exceed the simulator's (PV phases below 5 W shown as 0)")
    parser.add_argument("--callgrind-rate", type=int, default=10)
    parser.add_argument("--callgrind-seconds", type=int, default=40, help="length of each callgrind run")
    parser.add_argument("--no-callgrind", action="store_true", help="skip the valgrind runs")
    parser.add_argument("--only-callgrind", action="store_true", help="only the valgrind runs")
    parser.add_argument("--keep-callgrind", action="store_true", help="copy the callgrind outputs into --out-dir")
    parser.add_argument("--top", type=int, default=25, help="functions listed from callgrind_annotate")
    parser.add_argument("--out-dir", default=str(REPO / "bench"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary run directory (logs, configs)")
    parser.add_argument("--rerender", action="store_true",
                        help="rewrite report.md (checks, bench/notes.md) from report.json without running")
    args = parser.parse_args()
    if args.rerender:
        out = Path(args.out_dir)
        report = json.loads((out / "report.json").read_text())
        report["checks"] = verdicts(report)
        (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
        write_markdown(report, out / "report.md")
        return 0
    rates = [] if args.only_callgrind else (args.rate or [1, 10, 50])
    build = Path(args.build_dir)
    args.bins = {
        "dbus-enphase-envoy": str(build / "dbus-enphase-envoy"),
        "envoy-sim": str(build / "tools" / "envoy-sim" / "envoy-sim"),
        "ee-bench-listener": str(build / "bench" / "ee-bench-listener"),
        "ee-bench-floor": str(build / "bench" / "ee-bench-floor"),
    }
    for name, binary in args.bins.items():
        if not os.access(binary, os.X_OK):
            raise BenchError(f"{binary} is missing: build {name} in {build} first (bench/run.sh does)")
    for tool in ["dbus-daemon", "mosquitto"] + ([] if args.no_callgrind else ["valgrind", "callgrind_annotate"]):
        if not shutil.which(tool):
            raise BenchError(f"{tool} is not installed")

    began = time.monotonic()
    report = {
        "generated": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": os.environ.get("EE_BENCH_COMMAND", " ".join(["bench/bench.py"] + sys.argv[1:])).strip(),
        "machine": {"host": socket.gethostname(), "cpus": os.cpu_count(),
                    "loadavg_start": " ".join(Path("/proc/loadavg").read_text().split()[:3])},
        "capture": args.capture,
        "build_dir": str(build.relative_to(REPO)) if build.is_relative_to(REPO) else str(build),
        "build_flags": cmake_flags(build),
        "targets": {"p99_latency_ms": TARGET_P99_MS, "steady_rss_kb": TARGET_RSS_KB,
                    "cpu_ms_per_sample_at_10_per_s": TARGET_CPU_MS_PER_SAMPLE},
        "rates": [],
    }
    workdir = Path(tempfile.mkdtemp(prefix="ee-bench-"))
    try:
        for rate in rates:
            # At least 100 samples, so that the p99 is not simply the worst sample of the run.
            samples = args.samples or max(100, rate * args.seconds)
            log(f"rate {rate}/s: {samples} samples")
            result = measure_rate(args, rate, samples, workdir / f"rate-{rate}")
            lat = result["latency_ms"]
            log(f"  latency median {lat['median']} ms, p99 {lat['p99']} ms, max {lat['max']} ms; "
                f"CPU {result['cpu']['ms_per_1000_samples']} ms/1000 samples; RSS {result['memory_kb']['rss_end']} kB; "
                f"fds {result['fds']['start']}->{result['fds']['end']}")
            report["rates"].append(result)
        if not args.no_callgrind:
            report["callgrind"] = measure_callgrind(args, workdir)
            log(f"  {report['callgrind']['instructions_per_sample']:,} instructions per sample")
    finally:
        if args.keep:
            log(f"run directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["checks"] = verdicts(report)
    report["duration_s"] = round(time.monotonic() - began, 1)
    out = Path(args.out_dir)
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    write_markdown(report, out / "report.md")
    log(f"wrote {out / 'report.md'} and {out / 'report.json'} in {report['duration_s']:.0f} s")
    for c in report["checks"]:
        log(f"  {'pass' if c['pass'] else 'MISS'}: {c['check']} ({c['value']})")
    return 0 if all(c["pass"] for c in report["checks"]) else 3


def cmake_flags(build):
    cache = build / "CMakeCache.txt"
    if not cache.exists():
        return "unknown flags"
    values = {}
    for line in cache.read_text().splitlines():
        for key in ("CMAKE_BUILD_TYPE", "CMAKE_CXX_FLAGS", "CMAKE_CXX_FLAGS_RELEASE", "CMAKE_EXE_LINKER_FLAGS_RELEASE"):
            if line.startswith(key + ":"):
                values[key] = line.split("=", 1)[1]
    return (f"{values.get('CMAKE_BUILD_TYPE', '?')}, compile {values.get('CMAKE_CXX_FLAGS', '')} "
            f"{values.get('CMAKE_CXX_FLAGS_RELEASE', '')}, link {values.get('CMAKE_EXE_LINKER_FLAGS_RELEASE', '')}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        log(f"error: {error}")
        sys.exit(1)
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
