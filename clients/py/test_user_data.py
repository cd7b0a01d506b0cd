"""Users' data (issue 23) through supabase-py, as a Python backend calls it: export a named
user's data, delete their account, drain the Storage queue, read and set retention windows,
dry-run retention, and the SMS seed's delete_old_messages (now one case of retention); a
signed-in user exports and deletes themselves. Each refusal with its HTTP status.

Not a seed's replay: these clients are made here, so the per-seed call counts stay the seeds' own."""

import uuid

from helpers import as_user, backend, create_user, sql


def test_export_for_a_named_user_and_for_oneself():
    alice, bob = create_user(), create_user()
    backend.db.table("user_memories").insert(
        {"user_id": alice["id"], "memory_key": "tea", "memory_value": "green, no sugar"}).execute()
    backend.db.table("user_goals").insert({"user_id": alice["id"], "title": "run 5 km"}).execute()

    doc = backend.db.rpc("export_my_data", {"p_user_id": alice["id"]}).execute().data
    assert doc["format"] == "pg_convo.export.v1"
    assert doc["user"]["id"] == alice["id"]
    assert [m["memory_value"] for m in doc["user_memories"]] == ["green, no sugar"]
    assert [g["title"] for g in doc["user_goals"]] == ["run 5 km"]
    assert doc["chat_messages"] == []

    mine = as_user(alice).db.rpc("export_my_data").execute().data
    assert mine["user_goals"] == doc["user_goals"]

    user = as_user(alice)
    user.refused(lambda: user.db.rpc("export_my_data", {"p_user_id": bob["id"]}).execute(),
                 403, "42501", "p_user_id must be omitted or be the signed-in user")
    backend.refused(lambda: backend.db.rpc("export_my_data", {}).execute(),
                    400, "22023", "p_user_id is required when calling with the service role key")
    backend.refused(lambda: backend.db.rpc("export_my_data", {"p_user_id": str(uuid.uuid4())}).execute(),
                    404, "PT404", "no such user")


def test_delete_a_named_account_and_drain_its_storage():
    alice, bob = create_user(), create_user()
    backend.db.table("user_memories").insert(
        {"user_id": alice["id"], "memory_key": "city", "memory_value": "Dhaka"}).execute()
    backend.db.table("user_memories").insert(
        {"user_id": bob["id"], "memory_key": "city", "memory_value": "Sylhet"}).execute()

    user = as_user(alice)
    user.refused(lambda: user.db.rpc("delete_my_account", {"p_confirm": "delete my account", "p_user_id": bob["id"]}).execute(),
                 403, "42501")
    backend.refused(lambda: backend.db.rpc("delete_my_account", {"p_user_id": alice["id"]}).execute(),
                    400, "22023", "p_confirm must be the text 'delete my account': deleting an account cannot be undone")
    assert sql("select count(*) from auth.users where id = %s", (alice["id"],)) == [(1,)]

    # her avatar, as the Storage server records an upload (a row of storage.objects)
    sql("insert into storage.objects (bucket_id, name, owner, owner_id) values ('avatars', %s, %s, %s)",
        (f"{alice['id']}/avatar.png", alice["id"], alice["id"]))
    summary = backend.db.rpc("delete_my_account", {"p_confirm": "delete my account", "p_user_id": alice["id"]}).execute().data
    assert summary["user_id"] == alice["id"]
    assert sql("select count(*) from auth.users where id = %s", (alice["id"],)) == [(0,)]
    assert sql("select count(*) from public.user_memories where user_id = %s", (alice["id"],)) == [(0,)]
    assert sql("select memory_value from public.user_memories where user_id = %s", (bob["id"],)) == [("Sylhet",)]

    queued = backend.db.table("storage_deletion_queue").select("id, bucket_id, object_name, is_prefix") \
        .like("object_name", f"{alice['id']}/%").execute().data
    assert [(q["bucket_id"], q["object_name"]) for q in queued] == [("avatars", f"{alice['id']}/avatar.png")], \
        "her Storage objects are queued for the backend to remove"
    # a backend removes each through the Storage API, then deletes the queue rows
    backend.db.table("storage_deletion_queue").delete().in_("id", [q["id"] for q in queued]).execute()
    assert backend.db.table("storage_deletion_queue").select("id") \
        .like("object_name", f"{alice['id']}/%").execute().data == []

    # bob deletes himself
    assert as_user(bob).db.rpc("delete_my_account", {"p_confirm": "delete my account"}).execute().data["user_id"] == bob["id"]
    assert sql("select count(*) from public.profiles where id = %s", (bob["id"],)) == [(0,)]


def test_retention_windows_and_dry_run():
    windows = {w["target"]: w["keep_days"] for w in
               backend.db.table("retention_windows").select("target, keep_days").execute().data}
    assert "token_usage" in windows and windows["user_memories"] is None
    backend.refused(lambda: backend.db.table("retention_windows").update({"keep_days": 0})
                    .eq("target", "token_usage").execute(), 400, "23514")
    backend.refused(lambda: backend.db.table("plan_token_limits").update({"chat_history_days": -1})
                    .eq("plan", "premium").execute(), 400, "23514")
    report = backend.db.rpc("apply_retention", {"p_dry_run": True}).execute().data
    assert report["dry_run"] is True
    assert {w["target"] for w in report["windows"]} >= {"sms_messages", "token_usage"}
    user = as_user(create_user())
    user.refused(lambda: user.db.rpc("apply_retention", {"p_dry_run": True}).execute(), 403, "42501")


def test_delete_old_messages_is_the_sms_case_of_retention():
    phone = "+1555" + str(uuid.uuid4().int)[:7]
    session = backend.db.table("user_sessions").insert(
        {"phone_number": phone, "assigned_persona": "samantha"}).execute().data[0]
    sql("insert into public.messages (session_id, role, content, created_at) values "
        "(%s, 'user', 'old', now() - interval '10 days'), (%s, 'user', 'new', now())",
        (session["id"], session["id"]))
    assert backend.db.rpc("delete_old_messages", {"p_session_id": session["id"], "p_older_than_days": 5}) \
        .execute().data == 1
    left = backend.db.table("messages").select("content").eq("session_id", session["id"]).execute().data
    assert left == [{"content": "new"}]
    backend.refused(lambda: backend.db.rpc("delete_old_messages", {"p_session_id": session["id"],
                                                                   "p_older_than_days": -1}).execute(),
                    400, "22023", "p_older_than_days must be a number of days >= 0")
    backend.db.table("user_sessions").delete().eq("id", session["id"]).execute()
