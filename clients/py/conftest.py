"""Writes the calls each seed's tests sent (helpers.REPLAYED) for scripts/clients.sh to sum."""
import json
import os

import helpers


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get("REPLAY_DIR")
    if not out:
        return
    os.makedirs(out, exist_ok=True)
    for seed_id, (name, calls) in helpers.REPLAYED.items():
        with open(os.path.join(out, f"py-{seed_id}-{os.getpid()}.json"), "w") as f:
            json.dump({"seed": seed_id, "name": name, "calls": calls}, f)
