"""The article's Python clients, driven in a closed loop for the bench.

Usage: clients.py KIND ADDR THREADS DURATION WARMUP [CALLS [TOPIC]]
  KIND      xmlrpc | jsonrpclib | oslo (ADDR is then the AMQP URL)
  THREADS   callers, each with its own proxy, in a closed loop; a
            comma-separated list measures one cell per number
  DURATION  seconds measured, after WARMUP seconds not measured
  CALLS     if given: one caller makes 5 calls, prints WARM, waits for
            a line on stdin, makes exactly CALLS calls, prints the JSON
            and waits for another line (the bench counts their bytes)

Prints one JSON object per cell: callers, calls, errors, elapsed
seconds and the latency of every measured call in microseconds.
"""
import json
import socket
import sys
import threading
import time


def make_caller(kind, addr, shared):
    if kind == "xmlrpc":
        from xmlrpc.client import ServerProxy
        p = ServerProxy("http://%s/RPC2" % addr)
        return lambda: p.add(2, 3)
    if kind == "jsonrpclib":
        import jsonrpclib
        p = jsonrpclib.ServerProxy("http://%s/" % addr)
        return lambda: p.add(2, 3)
    if kind == "oslo":
        client = shared["oslo"]
        return lambda: client.call({}, "add", x=2, y=3)
    raise SystemExit("unknown kind %r" % kind)


def setup_shared(kind, addr, topic):
    shared = {}
    if kind == "oslo":
        import logging
        logging.disable(logging.CRITICAL)
        import warnings
        warnings.simplefilter("ignore")
        from oslo_config import cfg
        import oslo_messaging as om
        url = addr.replace("amqp://", "rabbit://", 1)
        transport = om.get_rpc_transport(cfg.CONF, url=url)
        target = om.Target(topic=topic)
        if hasattr(om, "get_rpc_client"):
            shared["oslo"] = om.get_rpc_client(transport, target, timeout=30)
        else:
            shared["oslo"] = om.RPCClient(transport, target, timeout=30)
        shared["transport"] = transport
    return shared


def main():
    kind, addr = sys.argv[1], sys.argv[2]
    threads = [int(n) for n in sys.argv[3].split(",")]
    duration = float(sys.argv[4])
    warmup = float(sys.argv[5])
    calls = int(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[6] != "0" else 0
    topic = sys.argv[7] if len(sys.argv) > 7 else "bench-py"
    shared = setup_shared(kind, addr, topic)

    if calls:
        # Bytes mode: warm up, say so, wait for the bench to zero its
        # counters (a line on stdin), then make exactly CALLS calls.
        call = make_caller(kind, addr, shared)
        for _ in range(5):
            assert call() == 5
        print("WARM", flush=True)
        sys.stdin.readline()
        for _ in range(calls):
            assert call() == 5
        print(json.dumps({"calls": calls, "errors": 0, "elapsed": 0, "lat_us": []}), flush=True)
        sys.stdin.readline()
        cleanup(shared)
        return

    if kind in ("xmlrpc", "jsonrpclib"):
        # A call stuck in TCP's SYN retries after the window ends must
        # not hold the bench for a minute.
        socket.setdefaulttimeout(warmup + duration + 5)

    for n in threads:
        print(json.dumps(run_cell(kind, addr, shared, n, duration, warmup)), flush=True)
    cleanup(shared)


def run_cell(kind, addr, shared, threads, duration, warmup):
    start = threading.Barrier(threads + 1)
    go = threading.Event()
    lock = threading.Lock()
    out = {"calls": 0, "errors": 0, "first_error": "", "lat_us": []}
    phase = {"measure_from": 0.0, "until": 0.0}

    def worker():
        call = make_caller(kind, addr, shared)
        lat = []
        ok = bad = 0
        first = ""
        # One call before the clock starts: the first call of a
        # client sets things up (oslo declares its reply queue).
        try:
            call()
        except Exception:
            pass
        start.wait()
        go.wait()
        now = time.perf_counter
        while True:
            t0 = now()
            if t0 >= phase["until"]:
                break
            try:
                if call() != 5:
                    raise ValueError("wrong answer")
                t1 = now()
                # Counted: started after the warm-up, answered in time.
                if t0 >= phase["measure_from"] and t1 <= phase["until"]:
                    ok += 1
                    lat.append((t1 - t0) * 1e6)
            except Exception as e:  # count it and go on
                if now() >= phase["until"]:
                    break  # cut off by the end of the window
                bad += 1
                first = first or repr(e)
                if bad > 100:
                    break
        with lock:
            out["calls"] += ok
            out["errors"] += bad
            out["first_error"] = out["first_error"] or first
            out["lat_us"].extend(lat)

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    start.wait()  # every caller has made its first call
    t0 = time.perf_counter()
    phase["measure_from"] = t0 + warmup
    phase["until"] = t0 + warmup + duration
    go.set()
    for t in ts:
        t.join()
    out["callers"] = threads
    out["elapsed"] = duration
    return out


def cleanup(shared):
    if "transport" in shared:
        shared["transport"].cleanup()


if __name__ == "__main__":
    main()
