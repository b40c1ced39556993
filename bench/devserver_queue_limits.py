#!/usr/bin/env python3
# Dispatch latency of two letts-devserver binaries (A, B) holding N finished
# jobs, with max_queue_per_lane / max_queue_total set (issue 15: the limit
# check scanned every job; it now reads counters). Both servers run at once;
# the three measuring rounds alternate A, B, A, B, A, B so that load changes
# hit both. Speed is reported, never asserted.
#
#   bench/devserver_queue_limits.py BINARY_A BINARY_B [N [M]]
#
# N finished jobs (default 20000, each dispatched to a paused lane and
# killed while queued), then per round M dispatch+kill pairs; the figure is
# the median latency of the dispatch request (a new connection each).
import http.client, json, os, shutil, subprocess, sys, tempfile, time, statistics

def uuid7():
    ms = int(time.time() * 1000)
    r = int.from_bytes(os.urandom(10), 'big')
    v = (ms << 80) | (0x7 << 76) | ((r >> 68) & 0xfff) << 64 | (0b10 << 62) | (r & ((1 << 62) - 1))
    h = '%032x' % v
    return f'{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}'

def req(port, method, path, token, body=None, headers=None):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    h = {'Authorization': 'Bearer ' + token}
    if headers: h.update(headers)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data

dirs = []

def start(binary, port):
    d = tempfile.mkdtemp()
    dirs.append(d)
    cfg = os.path.join(d, 'dugdale.yaml')
    open(cfg, 'w').write(f"listen: 127.0.0.1:{port}\ndata_dir: {d}/data\nauth:\n  tokens: [dt]\nadmin:\n  tokens: [at]\n"
                         "limits:\n  max_queue_per_lane: 100000\n  max_queue_total: 100000\n")
    os.chmod(cfg, 0o600)
    p = subprocess.Popen([binary, '--config', cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            req(port, 'GET', '/v1/lanes', 'at'); break
        except OSError: time.sleep(0.05)
    st, _ = req(port, 'POST', '/v1/admin/apply', 'at', json.dumps({"mission_dir": d, "lanes": {"p": {"concurrency": 1, "paused": True}}}))
    assert st == 200, st
    return p

def dispatch_kill(port):
    k = uuid7()
    t0 = time.perf_counter()
    st, b = req(port, 'POST', '/v1/dispatch', 'dt', '{"mission":"m","lane":"p"}', {'Idempotency-Key': k})
    t1 = time.perf_counter()
    assert st == 202, (st, b)
    st, b = req(port, 'POST', f'/v1/missions/{k}/kill', 'at', '')
    assert st == 200, (st, b)
    return t1 - t0

if len(sys.argv) < 3:
    sys.exit('usage: devserver_queue_limits.py BINARY_A BINARY_B [N [M]]')
N = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
M = int(sys.argv[4]) if len(sys.argv) > 4 else 500
servers = {'A': (start(sys.argv[1], 47811), 47811), 'B': (start(sys.argv[2], 47812), 47812)}
for i in range(N):
    for name, (p, port) in servers.items(): dispatch_kill(port)
res = {'A': [], 'B': []}
for rnd in range(3):
    for name, (p, port) in servers.items():
        lat = [dispatch_kill(port) for _ in range(M)]
        res[name].append(statistics.median(lat) * 1e6)
for name, v in res.items():
    print(f'{name}: median dispatch latency per run (us) with {N} finished jobs: ' + ' '.join(f'{x:.0f}' for x in v), f' min/median/max {min(v):.0f}/{statistics.median(v):.0f}/{max(v):.0f}')
for name, (p, port) in servers.items(): p.terminate(); p.wait()
for d in dirs: shutil.rmtree(d, ignore_errors=True)
