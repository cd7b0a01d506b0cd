"""The inputs the README's ```python examples take for granted, against a real stack.

    python tests/readme/prelude.py BLOCK_FILE README_NAME LINE   (scripts/check_readme_examples.sh)

A README example is a fragment of an app: it uses names the app has defined elsewhere (its keys,
the user it acts for, an embedding from OpenAI). This file defines them, then runs the example
(BLOCK_FILE, the code of the block that starts at README_NAME:LINE) with them in scope, so the
example's own lines (its imports, its create_client(...)) are the ones that run. It provides inputs
only, never results: every row an example reads was written through the API by the example itself.

    API_URL, SUPABASE_URL                       the stack's gateway (create_client's first argument)
    ANON_KEY, SUPABASE_ANON_KEY                 the anon key
    SERVICE_ROLE_KEY, SUPABASE_SERVICE_ROLE_KEY the service-role key
    user, user_id, uid                          a fresh signed-up user ({"id", "email"}) and their id
    supabase                                    create_client(API_URL, ANON_KEY) signed in as the user:
                                                their access token (an HS256 JWT signed with the
                                                stack's JWT_SECRET, role and aud authenticated, as
                                                Supabase Auth issues it) as Authorization
    backend                                     create_client(API_URL, SERVICE_ROLE_KEY)
    embedding                                   a list of 1536 floats (text-embedding-3-small's size)
    msg, reply                                  a user's chat message and the AI's answer to it
    avatar_url                                  a profile picture URL
    pin_to_ipfs(path)                           what an IPFS pinning service answers: a fresh CID

The user is a row inserted into auth.users through DB_URL by clients/py/helpers.py (as sign-up
writes it; a trigger creates the profile), with a unique email, so every run and every example has
a user of its own. types/ is on sys.path (the runner sets PYTHONPATH), so `from database import …`
imports the committed types.

Failures are made visible: supabase-py raises on an error response, and besides, every HTTP
response with status >= 400 that any httpx client receives is recorded and fails the example.
After the example, every variable it assigned from `… .data` must not be None.
Exit status: 0 when the example passed, 1 otherwise (the reason on stderr).
"""
import ast
import linecache
import math
import os
import sys
import traceback
import uuid

import httpx
from supabase import create_client
from supabase.lib.client_options import SyncClientOptions


# The stack's keys, a user's access token and sign-up: the same as the supabase-py replay suite's.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "py"))
from helpers import STACK as ENV, create_user, mint_user_jwt  # noqa: E402


def sign_up(full_name):
    """A signed-up user with an email of its own: {"id", "email"}."""
    return create_user(email=f"readme-{uuid.uuid4()}@example.test", full_name=full_name)


# Every response any httpx client receives (supabase-py's own ones included): failures recorded.
FAILURES = []
_send = httpx.Client.send


def _recording_send(self, request, *args, **kwargs):
    what = f"{request.method} {str(request.url).replace(ENV['API_URL'], '')}"
    try:
        response = _send(self, request, *args, **kwargs)
    except httpx.HTTPError as e:
        FAILURES.append(f"{what}: {e!r}")
        raise
    if response.status_code >= 400:
        response.read()
        FAILURES.append(f"{what}: HTTP {response.status_code} {response.text[:500]}")
    return response


httpx.Client.send = _recording_send


def names():
    """The names an example may use (see the module docstring)."""
    user = sign_up("Hana Host")
    access_token = mint_user_jwt(user["id"])
    vec = [math.sin(i + 1) for i in range(1536)]   # deterministic, so a run is reproducible
    norm = math.sqrt(sum(x * x for x in vec))
    return {
        "API_URL": ENV["API_URL"], "SUPABASE_URL": ENV["API_URL"],
        "ANON_KEY": ENV["ANON_KEY"], "SUPABASE_ANON_KEY": ENV["ANON_KEY"],
        "SERVICE_ROLE_KEY": ENV["SERVICE_ROLE_KEY"], "SUPABASE_SERVICE_ROLE_KEY": ENV["SERVICE_ROLE_KEY"],
        "user": user, "user_id": user["id"], "uid": user["id"],
        # a signed-in app: the anon key as apikey, the user's access token as Authorization
        "supabase": create_client(ENV["API_URL"], ENV["ANON_KEY"], options=SyncClientOptions(
            headers={"Authorization": f"Bearer {access_token}"})),
        "backend": create_client(ENV["API_URL"], ENV["SERVICE_ROLE_KEY"]),
        "embedding": [x / norm for x in vec],
        "msg": "I rewatched Re:Zero last night.",
        "reply": "Which arc is your favourite?",
        "avatar_url": "https://cdn.example/hana.png",
        "pin_to_ipfs": lambda path: "bafybei" + uuid.uuid4().hex,
    }


def data_targets(tree):
    """Top-level names the example assigns from an expression ending in `.data` (a query's result)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute) and node.value.attr == "data":
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id


def main(block_file, readme_name, line):
    with open(block_file) as f:
        source = f.read()
    # blank lines first, so that tracebacks give the README's own line numbers
    code = "\n" * int(line) + source
    linecache.cache[readme_name] = (len(code), None, code.splitlines(True), readme_name)  # for tracebacks
    scope = names()
    try:
        tree = ast.parse(code, filename=readme_name)
        exec(compile(tree, readme_name, "exec"), scope)
    except Exception:
        traceback.print_exc()
        return 1
    problems = [f"{name} is None: the call returned no data"
                for name in data_targets(tree) if scope.get(name) is None]
    if FAILURES:
        problems.append(f"{len(FAILURES)} request(s) failed:")
        problems += [f"  {f}" for f in FAILURES]
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
