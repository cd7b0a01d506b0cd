"""Conversation trees (domain 11) through supabase-py, as a signed-in user's app and a Python backend
call them: store turns, regenerate a reply, edit and resend a message, flip between versions
(switch_branch), read the current leaf (chat_sessions.current_leaf_id), build the prompt along the
current branch with a rolling summary (get_chat_context + chat_summaries), rate replies
(message_feedback) and read the daily aggregate as the backend (message_feedback_daily). Each
refusal with its HTTP status and SQLSTATE.

Not a seed's replay: these clients are made here, so the per-seed call counts stay the seeds' own.
Spec: migrations/20261206120000_trees_branches.sql … 20261206120300_trees_summaries.sql."""

import re
import uuid

from helpers import STACK, Client, as_user, backend, create_user, sql

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
anon = Client(STACK["ANON_KEY"])


def history(user, session_id):
    """The session's current branch as get_chat_history gives it: (user message, reply) pairs, newest first."""
    return user.db.rpc("get_chat_history", {"p_session_id": session_id}).execute().data


def current_leaf(user, session_id):
    row = user.db.table("chat_sessions").select("id, current_leaf_id").eq("id", session_id).single().execute().data
    assert row["id"] == session_id
    return row["current_leaf_id"]


def context(user, session_id, max_tokens, summary_tokens=0):
    return user.db.rpc("get_chat_context", {"p_max_tokens": max_tokens, "p_session_id": session_id,
                                            "p_summary_tokens": summary_tokens}).execute().data


def reply_to(user, ai_id):
    return user.db.table("chat_messages").select("reply_to").eq("id", ai_id).single().execute().data["reply_to"]


def store_turns(user, session_id, turns):
    """Stores the turns (without p_user_id, as a signed-in app does); their (user id, AI id), oldest first."""
    ids = []
    for question, answer in turns:
        ai = user.db.rpc("store_chat_pair", {"p_user_message": question, "p_ai_response": answer,
                                             "p_session_id": session_id}).execute().data
        ids.append((reply_to(user, ai), ai))
    return ids


def branch_ids(*turns):
    return [i for turn in turns for i in turn]


def test_store_chat_pair_without_p_user_id():
    alice, bob = create_user(), create_user()
    user = as_user(alice)
    reply = user.db.rpc("store_chat_pair", {"p_user_message": "Hello there", "p_ai_response": "Hi, Alice"}).execute().data
    assert UUID.fullmatch(reply)
    rows = user.db.table("chat_messages").select("id, user_id, sender_type, message_text, reply_to") \
        .eq("user_id", alice["id"]).order("timestamp").execute().data
    assert [(r["sender_type"], r["message_text"], r["user_id"]) for r in rows] == \
        [("user", "Hello there", alice["id"]), ("ai", "Hi, Alice", alice["id"])]
    assert rows[1]["id"] == reply and rows[1]["reply_to"] == rows[0]["id"]
    user.refused(lambda: user.db.rpc("store_chat_pair", {"p_user_message": "x", "p_ai_response": "y",
                                                         "p_user_id": bob["id"]}).execute(), 403, "42501")
    user.refused(lambda: user.db.rpc("store_chat_pair", {"p_user_message": "only half"}).execute(), 400, "22023")


def test_regenerate_edit_and_switch_branch():
    alice = create_user()
    user = as_user(alice)
    session = str(uuid.uuid4())
    (u1, a1), (u2, a2), (u3, a3) = store_turns(user, session, [
        ("I want to learn to cook", "Great! What do you like to eat?"),
        ("Mostly curries", "Start with a simple dal."),
        ("How long does it take?", "About forty minutes."),
    ])
    h = history(user, session)
    assert [(r["user_message_id"], r["ai_message_id"]) for r in h] == [(u3, a3), (u2, a2), (u1, a1)]
    assert {(r["user_sibling_index"], r["user_sibling_count"], r["ai_sibling_index"], r["ai_sibling_count"])
            for r in h} == {(1, 1, 1, 1)}
    assert current_leaf(user, session) == a3

    # regenerate the last reply
    again = user.db.rpc("regenerate_reply", {"p_user_message_id": u3, "p_ai_response": "Half an hour with a pressure cooker.",
                                             "p_model": "gpt-test", "p_prompt_tokens": 40,
                                             "p_completion_tokens": 9}).execute().data
    assert UUID.fullmatch(again) and again != a3
    row = user.db.table("chat_messages").select("user_id, sender_type, reply_to, parent_id, model") \
        .eq("id", again).single().execute().data
    assert row == {"user_id": alice["id"], "sender_type": "ai", "reply_to": u3, "parent_id": u3, "model": "gpt-test"}
    h = history(user, session)
    assert [(r["user_message_id"], r["ai_message_id"]) for r in h] == [(u3, again), (u2, a2), (u1, a1)]
    assert (h[0]["ai_response"], h[0]["ai_sibling_index"], h[0]["ai_sibling_count"]) == \
        ("Half an hour with a pressure cooker.", 2, 2)
    assert (h[0]["user_sibling_index"], h[0]["user_sibling_count"]) == (1, 1)
    assert current_leaf(user, session) == again

    # edit the second message: a new branch from turn 1, current; the old continuation leaves the history
    edited = user.db.rpc("edit_user_message", {"p_message_id": u2, "p_user_message": "Mostly pasta, actually",
                                               "p_ai_response": "Start with aglio e olio.",
                                               "p_mood": "curious", "p_sentiment": 0.7}).execute().data
    e_user = reply_to(user, edited)
    new_row = user.db.table("chat_messages").select("message_text, sender_type, previous_id, parent_id, mood_detected") \
        .eq("id", e_user).single().execute().data
    assert new_row == {"message_text": "Mostly pasta, actually", "sender_type": "user", "previous_id": a1,
                       "parent_id": a1, "mood_detected": "curious"}
    h = history(user, session)
    assert [(r["user_message_id"], r["ai_message_id"]) for r in h] == [(e_user, edited), (u1, a1)]
    assert (h[0]["user_message"], h[0]["ai_response"]) == ("Mostly pasta, actually", "Start with aglio e olio.")
    assert (h[0]["user_sibling_index"], h[0]["user_sibling_count"]) == (2, 2)
    assert (h[0]["ai_sibling_index"], h[0]["ai_sibling_count"]) == (1, 1)
    assert current_leaf(user, session) == edited

    # back to the first version: its newest leaf (the regenerated reply) is current again
    assert user.db.rpc("switch_branch", {"p_message_id": u2}).execute().data == again
    h = history(user, session)
    assert [(r["user_message_id"], r["ai_message_id"]) for r in h] == [(u3, again), (u2, a2), (u1, a1)]
    assert (h[1]["user_sibling_index"], h[1]["user_sibling_count"]) == (1, 2)
    assert current_leaf(user, session) == again
    # the first reply of turn 3 (a leaf: its own newest leaf)
    assert user.db.rpc("switch_branch", {"p_message_id": a3}).execute().data == a3
    h = history(user, session)
    assert (h[0]["ai_message_id"], h[0]["ai_sibling_index"], h[0]["ai_sibling_count"]) == (a3, 1, 2)
    assert current_leaf(user, session) == a3
    # the next turn continues the picked branch
    [(u4, a4)] = store_turns(user, session, [("Thanks!", "Enjoy your meal.")])
    assert user.db.table("chat_messages").select("previous_id").eq("id", u4).single().execute().data == {"previous_id": a3}
    assert current_leaf(user, session) == a4


def test_get_chat_context_follows_the_branch_and_its_summary():
    alice = create_user()
    user = as_user(alice)
    session = str(uuid.uuid4())
    t1, t2, t3, t4 = store_turns(user, session, [
        ("My name is Mitu and I live in Dhaka", "Nice to meet you, Mitu."),
        ("I am moving to Chittagong next month", "Exciting! Is it for work?"),
        ("Yes, a new job at the port", "Congratulations on the new job."),
        ("How do I pack a kitchen?", "Wrap plates in paper, pack them on edge."),
    ])
    full = context(user, session, 4000)
    assert [m["id"] for m in full["messages"]] == branch_ids(t1, t2, t3, t4)
    assert [m["parent_id"] for m in full["messages"]] == [None, t1[0], t1[1], t2[0], t2[1], t3[0], t3[1], t4[0]]
    assert full["summary"] is None
    tokens = {m["id"]: m["token_count"] for m in full["messages"]}

    def cost(*turns):
        return sum(tokens[i] for i in branch_ids(*turns))

    s2 = user.db.table("chat_summaries").insert({
        "session_id": session, "through_message_id": t2[1], "model": "gpt-test",
        "summary": "Mitu from Dhaka is moving to Chittagong next month."}).execute().data[0]
    assert s2["user_id"] == alice["id"] and 0 < s2["token_count"] < 50
    budget = 50
    ctx = context(user, session, cost(t3, t4) + budget, budget)
    assert [m["id"] for m in ctx["messages"]] == branch_ids(t3, t4)
    assert ctx["summary"]["id"] == s2["id"] and ctx["summary"]["through_message_id"] == t2[1]
    assert ctx["summary"]["content"] == "Mitu from Dhaka is moving to Chittagong next month."
    assert ctx["summary_tokens"] == s2["token_count"]
    assert ctx["total_tokens"] == ctx["message_tokens"] + ctx["summary_tokens"] == cost(t3, t4) + s2["token_count"]
    # not asked for, or every turn fits: no summary
    assert context(user, session, cost(t3, t4) + budget)["summary"] is None
    everything = context(user, session, 4000, budget)
    assert len(everything["messages"]) == 8 and everything["summary"] is None

    # edit turn 2, then flip between the versions
    e2 = user.db.rpc("edit_user_message", {"p_message_id": t2[0], "p_user_message": "I am moving to Khulna",
                                           "p_ai_response": "Khulna! Near the Sundarbans."}).execute().data
    edited = (reply_to(user, e2), e2)
    ctx = context(user, session, 4000)
    assert [m["id"] for m in ctx["messages"]] == branch_ids(t1, edited)
    assert [(m["sibling_index"], m["sibling_count"]) for m in ctx["messages"]] == [(1, 1), (1, 1), (2, 2), (1, 1)]
    assert user.db.rpc("switch_branch", {"p_message_id": t2[0]}).execute().data == t4[1]
    ctx = context(user, session, cost(t3, t4) + budget, budget)
    assert [m["id"] for m in ctx["messages"]] == branch_ids(t3, t4)
    assert ctx["summary"]["id"] == s2["id"]
    assert user.db.rpc("switch_branch", {"p_message_id": edited[0]}).execute().data == e2
    edited_cost = sum(m["token_count"] for m in context(user, session, 4000)["messages"][2:])
    ctx = context(user, session, edited_cost + budget, budget)
    assert [m["id"] for m in ctx["messages"]] == list(edited)
    assert ctx["summary"] is None, "the summary's through_message_id is not on this branch"
    assert ctx["summary_tokens"] == 0
    # a summary through turn 1 is on both branches: here it is the one used
    s1 = user.db.table("chat_summaries").insert({"session_id": session, "through_message_id": t1[1],
                                                 "summary": "Mitu lives in Dhaka."}).execute().data[0]
    assert context(user, session, edited_cost + budget, budget)["summary"]["id"] == s1["id"]

    bob = as_user(create_user())
    bob.refused(lambda: bob.db.table("chat_summaries").insert({"session_id": session, "through_message_id": t1[1],
                                                               "summary": "mine now"}).execute(), 409, "23503")
    user.refused(lambda: user.db.table("chat_summaries").insert({"session_id": session, "through_message_id": t1[1],
                                                                 "summary": "x", "token_count": 1}).execute(),
                 400, "428C9")


def test_feedback_and_the_daily_aggregate():
    alice, bob = create_user(), create_user()
    user, other = as_user(alice), as_user(bob)
    model = f"model-{uuid.uuid4()}"
    usage = {"p_model": model, "p_prompt_tokens": 200, "p_completion_tokens": 50}
    a1 = user.db.rpc("store_chat_pair", {"p_user_message": "Recommend a book", "p_ai_response": "Try 'Pather Panchali'.",
                                         **usage}).execute().data
    a2 = user.db.rpc("store_chat_pair", {"p_user_message": "Another", "p_ai_response": "'Gitanjali'.",
                                         **usage}).execute().data
    a1_row = user.db.table("chat_messages").select("model, reply_to").eq("id", a1).single().execute().data
    assert a1_row["model"] == model
    assert user.db.rpc("get_my_usage", {}).execute().data[0]["total_tokens"] == 500

    first = user.db.table("message_feedback").insert({"message_id": a1, "rating": 1, "reason": "helpful"}) \
        .execute().data[0]
    assert (first["user_id"], first["message_id"], first["rating"], first["reason"], first["comment"]) == \
        (alice["id"], a1, 1, "helpful", None)
    changed = user.db.table("message_feedback").upsert(
        {"user_id": alice["id"], "message_id": a1, "rating": -1, "reason": "inaccurate", "comment": "Wrong author."},
        on_conflict="user_id,message_id").execute().data[0]
    assert (changed["id"], changed["rating"], changed["reason"], changed["comment"]) == \
        (first["id"], -1, "inaccurate", "Wrong author.")
    assert user.db.table("message_feedback").select("id, rating").eq("message_id", a1).execute().data == \
        [{"id": first["id"], "rating": -1}]
    user.db.table("message_feedback").insert({"message_id": a2, "rating": 1, "reason": "creative"}).execute()

    user.refused(lambda: user.db.table("message_feedback").insert({"message_id": a2, "rating": 2}).execute(), 400, "23514")
    user.refused(lambda: user.db.table("message_feedback").update({"rating": 0}).eq("message_id", a1).execute(), 400, "23514")
    user.refused(lambda: user.db.table("message_feedback").insert({"message_id": a2, "rating": 1, "reason": "meh"}).execute(),
                 400, "23514")
    bob_reply = other.db.rpc("store_chat_pair", {"p_user_message": "hi", "p_ai_response": "hello Bob"}).execute().data
    user.refused(lambda: user.db.table("message_feedback").insert({"message_id": bob_reply, "rating": -1}).execute(),
                 409, "23503", "message_id must be one of your own AI replies")
    user.refused(lambda: user.db.table("message_feedback").insert({"message_id": a1_row["reply_to"], "rating": 1}).execute(),
                 400, "22023", "only AI replies can be rated")
    anon.refused(lambda: anon.db.table("message_feedback").insert({"message_id": a1, "rating": 1}).execute(), 401, "42501")
    assert other.db.table("message_feedback").select("id").execute().data == []

    [(day,)] = sql("select (now() at time zone 'UTC')::date::text")
    daily = backend.db.table("message_feedback_daily").select("model, day, up, down, up_reasons, down_reasons") \
        .eq("model", model).execute().data
    assert daily == [{"model": model, "day": day, "up": 1, "down": 1,
                      "up_reasons": {"creative": 1}, "down_reasons": {"inaccurate": 1}}]
    user.refused(lambda: user.db.table("message_feedback_daily").select("model").execute(), 403, "42501")

    assert len(user.db.table("message_feedback").delete().eq("message_id", a2).execute().data) == 1
    assert other.db.table("message_feedback").delete().eq("message_id", a1).execute().data == []
    daily = backend.db.table("message_feedback_daily").select("model, up, down, up_reasons, down_reasons") \
        .eq("model", model).execute().data
    assert daily == [{"model": model, "up": 0, "down": 1, "up_reasons": {}, "down_reasons": {"inaccurate": 1}}]


def test_branch_refusals_and_the_service_role_for_a_user():
    alice, bob = create_user(), create_user()
    user, other = as_user(alice), as_user(bob)
    session = str(uuid.uuid4())
    [(u1, a1)] = store_turns(user, session, [("What is a sonnet?", "A poem of fourteen lines.")])
    [(b_user, _)] = store_turns(other, str(uuid.uuid4()), [("Bob asks", "Bob is answered")])
    loose = user.db.rpc("store_chat_pair", {"p_user_message": "no session", "p_ai_response": "none"}).execute().data
    loose_user = reply_to(user, loose)

    def rpc(client, name, args):
        return lambda: client.db.rpc(name, args).execute()

    user.refused(rpc(user, "regenerate_reply", {"p_user_message_id": a1, "p_ai_response": "again"}), 400, "22023",
                 "p_user_message_id must be a user message")
    user.refused(rpc(user, "regenerate_reply", {"p_user_message_id": b_user, "p_ai_response": "again"}), 404, "PT404")
    user.refused(rpc(user, "regenerate_reply", {"p_user_message_id": str(uuid.uuid4()), "p_ai_response": "again"}),
                 404, "PT404")
    user.refused(rpc(user, "regenerate_reply", {"p_user_message_id": loose_user, "p_ai_response": "again"}), 400, "22023")
    user.refused(rpc(user, "regenerate_reply", {"p_user_message_id": u1, "p_ai_response": " "}), 400, "22023")
    anon.refused(rpc(anon, "regenerate_reply", {"p_user_message_id": u1, "p_ai_response": "again"}), 401, "42501")
    user.refused(rpc(user, "edit_user_message", {"p_message_id": a1, "p_user_message": "x", "p_ai_response": "y"}),
                 400, "22023", "p_message_id must be a user message")
    user.refused(rpc(user, "edit_user_message", {"p_message_id": u1, "p_user_message": "", "p_ai_response": "y"}),
                 400, "22023", "p_user_message must not be blank")
    user.refused(rpc(user, "edit_user_message", {"p_message_id": b_user, "p_user_message": "x", "p_ai_response": "y"}),
                 404, "PT404")
    user.refused(rpc(user, "switch_branch", {"p_message_id": b_user}), 404, "PT404")
    anon.refused(rpc(anon, "switch_branch", {"p_message_id": u1}), 401, "42501")
    assert [(r["ai_message_id"], r["ai_sibling_count"]) for r in history(user, session)] == [(a1, 1)], \
        "the refusals wrote nothing"

    # the backend regenerates for alice
    via_backend = backend.db.rpc("regenerate_reply", {"p_user_message_id": u1, "p_user_id": alice["id"],
                                                      "p_ai_response": "Fourteen lines, often iambic."}).execute().data
    assert user.db.table("chat_messages").select("user_id, reply_to").eq("id", via_backend).single().execute().data == \
        {"user_id": alice["id"], "reply_to": u1}
    h = history(user, session)
    assert [(r["ai_message_id"], r["ai_sibling_index"], r["ai_sibling_count"]) for r in h] == [(via_backend, 2, 2)]
    assert current_leaf(user, session) == via_backend
    assert backend.db.rpc("get_chat_history", {"p_session_id": session, "p_user_id": alice["id"]}).execute().data == h
    backend.refused(rpc(backend, "regenerate_reply", {"p_user_message_id": u1, "p_ai_response": "again"}), 400, "22023")
    backend.refused(rpc(backend, "regenerate_reply", {"p_user_message_id": u1, "p_ai_response": "again",
                                                      "p_user_id": bob["id"]}), 404, "PT404")
    assert backend.db.rpc("switch_branch", {"p_message_id": a1, "p_user_id": alice["id"]}).execute().data == a1
    assert current_leaf(user, session) == a1


def test_editing_the_first_message_makes_a_second_root():
    alice = create_user()
    user = as_user(alice)
    session = str(uuid.uuid4())
    (u1, a1), (u2, a2) = store_turns(user, session, [("Hi", "Hello! How can I help?"),
                                                     ("Tell me about tea", "Tea comes from Camellia sinensis.")])
    e1 = user.db.rpc("edit_user_message", {"p_message_id": u1, "p_user_message": "Good morning",
                                           "p_ai_response": "Good morning to you!"}).execute().data
    e_user = reply_to(user, e1)
    assert user.db.table("chat_messages").select("previous_id, parent_id").eq("id", e_user).single().execute().data == \
        {"previous_id": None, "parent_id": None}
    h = history(user, session)
    assert [(r["user_message_id"], r["user_sibling_index"], r["user_sibling_count"]) for r in h] == [(e_user, 2, 2)]
    assert user.db.rpc("switch_branch", {"p_message_id": u1}).execute().data == a2
    h = user.db.rpc("get_chat_history", {"p_session_id": session, "p_limit": 1, "p_offset": 1}).execute().data
    assert [(r["user_message_id"], r["user_sibling_index"], r["user_sibling_count"]) for r in h] == [(u1, 1, 2)]
    h = user.db.rpc("get_chat_history", {"p_session_id": session}, get=True).execute().data
    assert [r["ai_message_id"] for r in h] == [a2, a1]
