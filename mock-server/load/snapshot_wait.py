#!/usr/bin/env python3
# How long requests wait while GET /_mock/snapshot runs: starts BINARY (a release build of
# gameliftstreams-mock) on loopback, makes N ACTIVE sessions, then times 5 sequential snapshot
# GETs while another connection loops GET /_mock/health, and prints both.
# Usage: python3 mock-server/load/snapshot_wait.py target/release/gameliftstreams-mock 100000
import http.client, json, subprocess, sys, threading, time, statistics
BIN = sys.argv[1]; N = int(sys.argv[2])
p = subprocess.Popen([BIN, "--listen", "127.0.0.1:0", "--clock", "manual", "--log-level", "warn"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = p.stdout.readline().strip()
host, port = line.split("http://")[1].split(":")
AUTH = "AWS4-HMAC-SHA256 Credential=AKIDLOADTEST/20260101/us-west-2/gameliftstreams/aws4_request, SignedHeaders=host, Signature=00"
def conn(): return http.client.HTTPConnection(host, int(port), timeout=60)
c = conn()
def call(method, path, body=None, expect=None, cx=None):
    cx = cx or c
    cx.request(method, path, body=json.dumps(body) if body is not None else None,
               headers={"Authorization": AUTH, "Content-Type": "application/json"})
    r = cx.getresponse(); data = r.read()
    if expect and r.status != expect: raise SystemExit(f"{method} {path}: {r.status} {data[:300]}")
    return json.loads(data) if data else None
call("PUT", "/_mock/config", {"Quotas": {"CapacityPerLocation": 5000000}}, 200)
app = call("POST", "/applications", {"Description": "load", "RuntimeEnvironment": {"Type": "PROTON", "Version": "20241007"},
           "ExecutablePath": "bin/game.exe", "ApplicationSourceUri": "s3://b/g"}, 201)["Arn"]
grp = call("POST", "/streamgroups", {"Description": "load", "StreamClass": "gen5n_ultra", "DefaultApplicationIdentifier": app,
           "LocationConfigurations": [{"LocationName": "us-west-2", "AlwaysOnCapacity": 0, "MaximumCapacity": N + 10}]}, 201)["Id"]
call("GET", "/_mock/health", None, 200)
t0 = time.time()
for i in range(N):
    call("POST", f"/streamgroups/{grp}/streamsessions", {"ApplicationIdentifier": app, "Protocol": "WebRTC",
         "SignalRequest": f"v=0 offer {i}", "ConnectionTimeoutSeconds": 3600}, 201)
print(f"{N} sessions in {time.time()-t0:.1f} s", flush=True)
lat = []; stop = False
def health():
    hc = conn()
    while not stop:
        s = time.perf_counter(); call("GET", "/_mock/health", None, 200, hc); lat.append(time.perf_counter() - s)
th = threading.Thread(target=health); th.start()
time.sleep(0.5); base = len(lat)
snaps = []
for _ in range(5):
    s = time.perf_counter(); sc = conn(); sc.request("GET", "/_mock/snapshot"); r = sc.getresponse(); body = r.read(); snaps.append(time.perf_counter() - s)
stop = True; th.join()
during = sorted(lat[base:])
print(f"snapshot GET: median {statistics.median(snaps):.2f} s ({len(body)/1e6:.0f} MB); health during: n={len(during)} "
      f"p50 {during[len(during)//2]*1000:.1f} ms p99 {during[int(len(during)*0.99)]*1000:.1f} ms max {during[-1]*1000:.0f} ms")
p.terminate(); p.wait()
