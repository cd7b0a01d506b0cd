"""Seed 000, Understand.me: the calls a Python backend (service-role key) or a Python client of the
app makes around files and session types, through supabase-py. (The Expo app's own calls, in full:
clients/js/seed_000_understand_me.test.ts.)

- the guide's Edge Function get-cached-session-types: `from('session_type_templates').select('*')`;
- after `storage.from_('session-files').upload(path, file)`, the session_files insert recording it
  (the Storage server does not run here; its policies are tested in pgrx-tests/80_storage.sql);
- the backend's pin-summary step: the file found by its storage_path, its IPFS CID written."""
import time
import uuid

import pytest

from helpers import ReplaySeed, create_user

seed = ReplaySeed("000", "Understand.me")
backend = seed.as_service()


@pytest.fixture(scope="module")
def session():
    host = create_user(full_name="Hana Host")
    guest = create_user(full_name="Gil Guest")
    host_db, guest_db = seed.as_user(host["id"]), seed.as_user(guest["id"])
    sid = host_db.table("sessions").insert({
        "host_id": host["id"], "title": "Kitchen rota", "session_type": "mediated_discussion",
    }).execute().data[0]["id"]
    host_db.table("session_participants").insert(
        {"session_id": sid, "profile_id": guest["id"], "role": "participant"}).execute()
    guest_db.table("session_participants").update({"invitation_status": "accepted"}) \
        .eq("session_id", sid).eq("profile_id", guest["id"]).execute()
    return {"id": sid, "host": host, "guest": guest, "host_db": host_db, "guest_db": guest_db}


def test_session_type_templates_select_all(session):
    templates = session["guest_db"].table("session_type_templates").select("*").execute().data
    assert sorted(t["key"] for t in templates) == ["mediated_discussion", "problem_solving"]
    assert all(t["default_goals"] and t["default_rules"] and t["is_active"] for t in templates)
    # the backend maintains them
    assert len(backend.table("session_type_templates").select("key").execute().data) == 2


def test_session_files_insert_after_upload(session):
    guest, sid = session["guest"], session["id"]
    path = f"{guest['id']}/{sid}/{int(time.time() * 1000)}_perspective.pdf"   # upload(...).path
    row = session["guest_db"].table("session_files").insert({
        "session_id": sid, "uploader_profile_id": guest["id"], "file_name": "perspective.pdf",
        "storage_path": path, "file_type": "application/pdf", "file_size": 2048,
    }).execute().data[0]
    assert row["storage_path"] == path
    # the backend pins it and records the CID, finding the row by its path
    cid = "bafy" + uuid.uuid4().hex
    backend.table("session_files").update({"ipfs_cid": cid}).eq("storage_path", path).execute()
    seen = session["host_db"].table("session_files").select("file_name, ipfs_cid").eq("storage_path", path).execute().data
    assert seen == [{"file_name": "perspective.pdf", "ipfs_cid": cid}]


def test_session_files_refuses_someone_elses_path(session):
    host, guest, sid = session["host"], session["guest"], session["id"]
    for path in (f"{host['id']}/{sid}/agenda.pdf", f"{guest['id']}/{uuid.uuid4()}/x.pdf", "shared/agenda.pdf"):
        seed.refused(lambda: session["guest_db"].table("session_files").insert({
            "session_id": sid, "uploader_profile_id": guest["id"], "file_name": "x.pdf", "storage_path": path,
        }).execute(), status=400, code="22023")
