"""Latency of GET /events: how long after POST /messages returns on one listener the
message.created event reaches a subscriber of another listener on the same database.

Usage: events.py WRITER_BASE SUBSCRIBER_BASE TOKEN COUNT RUN
Prints one RESULT line: count, p50, p90, p99 and max in microseconds, and misses (events that did
not come within 10 s).
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
import urllib.request

writer, subscriber, token, count, run = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
arrived = {}
lock = threading.Condition()


def follow():
    """Reads the subscriber's event stream; notes when each message.created arrives."""
    url = urllib.parse.urlsplit(subscriber)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=3600)
    connection.request("GET", "/events", headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200, response.status
    event = None
    while True:
        line = response.fp.readline()
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "message.created":
            data = json.loads(line[6:])
            with lock:
                arrived[data["id"]] = time.monotonic()
                lock.notify_all()


threading.Thread(target=follow, daemon=True).start()
time.sleep(1)  # the stream is open and caught up
latencies, misses = [], 0
for index in range(count):
    body = json.dumps({"phone": f"55119{index % 100000:08d}", "message": f"evento {index}", "clientMessageId": f"events-{run}-{index}"})
    request = urllib.request.Request(f"{writer}/messages", data=body.encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        message = json.load(reply)["id"]
    answered = time.monotonic()
    with lock:
        lock.wait_for(lambda: message in arrived, timeout=10)
        if message in arrived:
            latencies.append(max(0.0, arrived[message] - answered))
        else:
            misses += 1
    time.sleep(random.uniform(0.02, 0.55))  # apart, and out of step with any poll interval

latencies.sort()
pick = lambda q: int(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e6) if latencies else 0
print(f"RESULT count={len(latencies)} p50_us={pick(0.5)} p90_us={pick(0.9)} p99_us={pick(0.99)} max_us={pick(1.0)} misses={misses}")
