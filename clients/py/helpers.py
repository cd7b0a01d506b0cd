"""Shared by every supabase-py replay file: the stack's keys, clients as a backend or a signed-in
app holds them, users, and the per-seed count of calls replayed.

    seed = ReplaySeed("001", "Bondhu AI")      # counts every request its clients send
    user = create_user()                       # a real auth.users row (+ its profile)
    db = seed.as_user(user["id"])              # create_client(url, anon key) + the user's JWT
    backend = seed.as_service()                # create_client(url, service-role key)

STACK_ENV names the stack.env file; conftest.py writes the counts into REPLAY_DIR at the end.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import time
import uuid

import httpx
import psycopg2
import pytest
from postgrest.exceptions import APIError
from supabase import create_client
from supabase.lib.client_options import SyncClientOptions


def _read_stack_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            key, sep, value = line.strip().partition("=")
            if sep:
                env[key] = value
    for key in ("API_URL", "ANON_KEY", "SERVICE_ROLE_KEY", "JWT_SECRET", "DB_URL"):
        if not env.get(key):
            raise RuntimeError(f"{path} has no {key}=")
    return env


STACK = _read_stack_env(os.environ.get("STACK_ENV", ".local/test-stack/stack.env"))


def mint_user_jwt(sub):
    """A user's access token as Supabase Auth issues it: HS256, role/aud authenticated, 1 hour."""
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    now = int(time.time())
    body = b64({"alg": "HS256", "typ": "JWT"}) + "." + b64(
        {"sub": sub, "role": "authenticated", "aud": "authenticated", "iat": now, "exp": now + 3600})
    sig = hmac.new(STACK["JWT_SECRET"].encode(), body.encode(), hashlib.sha256).digest()
    return body + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


def sql(query, params=()):
    """Runs one statement as postgres (what only the auth server or an operator does)."""
    with psycopg2.connect(STACK["DB_URL"]) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        rows = cur.fetchall() if cur.description else []
    conn.close()
    return rows


def unique_email(tag="x"):
    return f"{tag}-{uuid.uuid4()}@example.test"


def create_user(email=None, full_name=None):
    """A signed-up user with a confirmed address: a row in auth.users as sign-up writes it where email
    confirmation is off (its trigger creates the profile)."""
    uid = str(uuid.uuid4())
    email = email or f"u-{uid}@example.test"
    sql("""insert into auth.users (id, aud, role, email, raw_user_meta_data, email_confirmed_at)
           values (%s, 'authenticated', 'authenticated', %s, jsonb_build_object('full_name', %s::text), now())""",
        (uid, email, full_name or f"User {uid[:8]}"))
    return {"id": uid, "email": email}


# seed id -> [name, calls]; conftest.py writes it out at the end of the session.
class Client:
    """A supabase-py client that remembers the HTTP status of its last response (not counted as a
    seed's replay: for the suites that are not a seed's own calls)."""

    def __init__(self, key, headers=None):
        self.status = None
        http = httpx.Client(event_hooks={"response": [self._keep_status]}, timeout=30)
        options = SyncClientOptions(headers=headers or {}, httpx_client=http, postgrest_client_retry=False,
                                    auto_refresh_token=False, persist_session=False)
        self.db = create_client(STACK["API_URL"], key, options=options)

    def _keep_status(self, response):
        self.status = response.status_code

    def refused(self, call, status, code, message=None):
        with pytest.raises(APIError) as caught:
            call()
        err = caught.value
        assert self.status == status, f"HTTP {self.status}, expected {status}: {err.json()}"
        assert err.code == code, err.json()
        if message is not None:
            assert re.fullmatch(message, err.message or ""), err.json()
        return err


def as_user(user):
    return Client(STACK["ANON_KEY"], {"Authorization": f"Bearer {mint_user_jwt(user['id'])}"})


backend = Client(STACK["SERVICE_ROLE_KEY"])


REPLAYED = {}


class ReplaySeed:
    def __init__(self, seed_id, name):
        self.seed_id = seed_id
        REPLAYED.setdefault(seed_id, [name, 0])
        self.last_status = None

    def _count(self, request):
        REPLAYED[self.seed_id][1] += 1

    def _status(self, response):
        self.last_status = response.status_code

    def _client(self, key, headers=None):
        http = httpx.Client(event_hooks={"request": [self._count], "response": [self._status]},
                            timeout=30)
        options = SyncClientOptions(headers=headers or {}, httpx_client=http,
                                    postgrest_client_retry=False,
                                    auto_refresh_token=False, persist_session=False)
        return create_client(STACK["API_URL"], key, options=options)

    def anon(self):
        return self._client(STACK["ANON_KEY"])

    def as_user(self, user_id):
        """A signed-in app: anon key as apikey, the user's access token as Authorization."""
        return self._client(STACK["ANON_KEY"], {"Authorization": f"Bearer {mint_user_jwt(user_id)}"})

    def as_service(self):
        """A backend holding the service-role key (Bondhu's FastAPI SupabaseClient)."""
        return self._client(STACK["SERVICE_ROLE_KEY"])

    def refused(self, call, status=None, code=None, message=None):
        """Runs call() (a query's .execute()) and asserts it is refused as promised."""
        with pytest.raises(APIError) as caught:
            call()
        err = caught.value
        statuses = [status] if isinstance(status, int) else status
        if statuses is not None:
            assert self.last_status in statuses, f"HTTP {self.last_status}, expected {statuses}: {err.json()}"
        if code is not None:
            assert err.code == code, err.json()
        if message is not None:
            import re
            assert re.search(message, err.message or ""), err.json()
        return err
