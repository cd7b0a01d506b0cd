#!/usr/bin/env python3
"""The cluster fault suite's write load (scripts/test_cluster.sh), through the API gateway only.

    cluster_load.py API_URL SERVICE_KEY PREFIX SECONDS OUT.tsv USERS_JSON

Threads send a mix of the seed apps' writes as the service role: store_chat_pair, music
inserts, load_or_create_session, mediated-session messages. Each write carries a unique marker
(PREFIX-n) in a column it stores, so the suite can check afterwards that every write the API
acknowledged with a 2xx is in the database. OUT gets one line per request:
    kind <TAB> marker <TAB> HTTP status (0: no answer) <TAB> sent (epoch s) <TAB> answered (epoch s)
Requests time out after 4 s; a failed request is not retried (its marker is simply not acked).
Bounded: stops after SECONDS, or when the file OUT.stop appears.
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

api, key, prefix, seconds, out_path, users_json = sys.argv[1:7]
users = json.loads(users_json)  # [{"user": uuid, "chat": uuid, "session": uuid, "phone": text}]
deadline = time.time() + float(seconds)
stop_file = out_path + ".stop"
lock = threading.Lock()
counter = [0]
out = open(out_path, "a", buffering=1)
HEADERS = {"apikey": key, "Authorization": "Bearer " + key,
           "Content-Type": "application/json", "Prefer": "return=minimal"}


def next_marker():
    with lock:
        counter[0] += 1
        return "%s-%d" % (prefix, counter[0])


def post(path, body):
    req = urllib.request.Request(api + "/rest/v1/" + path, data=json.dumps(body).encode(),
                                 headers=HEADERS, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=4) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return 0


def write(kind, u, marker):
    if kind == "chat":
        return post("rpc/store_chat_pair", {"p_user_id": u["user"], "p_user_message": marker,
                                            "p_ai_response": "ack " + marker, "p_session_id": u["chat"]})
    if kind == "music":
        return post("music_interactions", {"user_id": u["user"], "track_id": marker,
                                           "interaction_type": "play", "rl_reward": 0.5,
                                           "audio_features": {"genre": "Jazz"}})
    if kind == "agent":
        return post("rpc/load_or_create_session", {"p_phone_number": u["phone"]})
    return post("session_messages", {"session_id": u["session"], "content": marker,
                                     "message_type": "speech_transcript"})


def worker(i):
    kinds = ["chat", "music", "session", "agent"]
    n = i
    while time.time() < deadline and not os.path.exists(stop_file):
        kind = kinds[n % len(kinds)]
        u = users[(n // len(kinds)) % len(users)]
        n += 1
        marker = next_marker()
        sent = time.time()
        status = write(kind, u, marker)
        done = time.time()
        with lock:
            out.write("%s\t%s\t%d\t%.3f\t%.3f\n" % (kind, marker, status, sent, done))
        if status == 0 or status >= 500:
            time.sleep(0.05)  # the API is away: don't spin
        else:
            time.sleep(0.01)  # a shared 2-core machine: ~50-100 writes/s in all


threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
