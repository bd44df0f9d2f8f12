#!/usr/bin/env python3
"""Publish → searchable and withdraw → gone latency against a running host (scripts/start): 30 samples."""
import json, time, urllib.request, random, string, statistics
B="http://127.0.0.1:5080"
def call(method, path, body=None, token=None):
    req = urllib.request.Request(B+path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"content-type":"application/json", **({"authorization":"Bearer "+token} if token else {})})
    with urllib.request.urlopen(req) as r: return json.loads(r.read() or b"null")
tok = call("POST","/api/auth/login",{"account":"demo-university","password":"TechTransfer#2026"})["token"]
pub, gone = [], []
for n in range(30):
    word = "zz" + "".join(random.choice("abcdefghij") for _ in range(8))
    body = {"title": word+" 锂电池极片检测","summary":"测试可见性","keywords":[word],"techField":"NewEnergy","trl":6,"transferModes":["License"],"askingPrice":100,"province":"江苏","ipRights":[],"contact":{"name":"王","phone":"025-1234567"}}
    i = call("POST","/api/achievements",body,tok)["id"]
    t0 = time.perf_counter(); call("POST",f"/api/achievements/{i}/publish",None,tok); t1 = time.perf_counter()
    while call("GET","/api/search?q="+word)["total"] == 0: pass
    pub.append((time.perf_counter()-t1)*1000)
    call("POST",f"/api/achievements/{i}/withdraw",None,tok); t2=time.perf_counter()
    while call("GET","/api/search?q="+word)["total"] != 0: pass
    gone.append((time.perf_counter()-t2)*1000)
def q(v,p): v=sorted(v); return v[min(len(v)-1,int(p*len(v)))]
print("publish-return→searchable ms: median %.1f p99(max of 30) %.1f" % (statistics.median(pub), max(pub)))
print("withdraw-return→gone ms: median %.1f max %.1f" % (statistics.median(gone), max(gone)))
