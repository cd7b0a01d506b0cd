"""Memory and history search through supabase-py (issue 14): search_chat_history, match_memories
(also as LangChain's SupabaseVectorStore calls it), match_chat_messages and the hybrid searches,
for a signed-in user (anon key + their JWT) and for a backend (service-role key).

Not a seed's replay: these clients are made here, so the per-seed call counts stay the seeds' own.
Without pgvector on the server the semantic tests are skipped, each saying why."""

import pytest

from helpers import STACK, Client, as_user, backend, create_user, sql


DIM = 1536
HAS_VECTOR = bool(sql("select 1 from pg_extension where extname = 'vector'"))
needs_vector = pytest.mark.skipif(
    not HAS_VECTOR,
    reason="pgvector is not installed on this server: semantic search is disabled "
           "(install pgvector 0.8, then `select convo.install_semantic_search()`)")


def vec(axis, tilt=0.0):
    """A 1536-dimension embedding along `axis`, tilted by `tilt` toward the next axis."""
    v = [0.0] * DIM
    v[axis] = 1.0
    v[axis + 1] = tilt
    return v


@pytest.fixture(scope="module")
def people():
    """Two users with the same words and the same vectors, so any leak would show."""
    me, other = create_user(full_name="Searcher"), create_user(full_name="Other")
    for user, prefix in ((me, ""), (other, "other ")):
        for n, text in enumerate(["I love green tea in the morning", "my sister Mitu plays chess",
                                  "tea tea ceremony in Kyoto", "the garden is quiet tonight"]):
            backend.db.table("chat_messages").insert({
                "user_id": user["id"], "message_text": prefix + text, "sender_type": "user",
                **({"embedding": vec(10, n * 0.1)} if HAS_VECTOR else {})}).execute()
        for n, (key, value, category) in enumerate([("drink", "likes green tea", "preference"),
                                                   ("sister", "sister named Mitu", "family"),
                                                   ("kyoto", "tea ceremony in Kyoto", "preference")]):
            backend.db.table("user_memories").insert({
                "user_id": user["id"], "memory_key": key, "memory_value": prefix + value,
                "memory_category": category,
                **({"embedding": vec(10, n * 0.1)} if HAS_VECTOR else {})}).execute()
    return me, other


def access_counts(user):
    return dict(sql("select memory_key, access_count from public.user_memories where user_id = %s", (user["id"],)))


# --- keyword search ----------------------------------------------------------------------------------

def test_search_chat_history_as_the_user(people):
    me, _ = people
    rows = as_user(me).db.rpc("search_chat_history", {"p_query": "tea"}).execute().data
    # more occurrences rank higher; the other user's identical messages never appear
    assert [r["message_text"] for r in rows] == ["tea tea ceremony in Kyoto", "I love green tea in the morning"]
    assert rows[0]["rank"] > rows[1]["rank"]
    assert as_user(me).db.rpc("search_chat_history", {"p_query": '"green tea" -morning'}).execute().data == []


def test_search_chat_history_with_the_service_key(people):
    me, other = people
    mine = backend.db.rpc("search_chat_history", {"p_query": "quiet", "p_user_id": me["id"]}).execute().data
    theirs = backend.db.rpc("search_chat_history", {"p_query": "quiet", "p_user_id": other["id"]}).execute().data
    assert [r["message_text"] for r in mine] == ["the garden is quiet tonight"]
    assert [r["message_text"] for r in theirs] == ["other the garden is quiet tonight"]
    assert mine == as_user(me).db.rpc("search_chat_history", {"p_query": "quiet"}).execute().data


def test_search_chat_history_refusals(people):
    me, other = people
    user = as_user(me)
    user.refused(lambda: user.db.rpc("search_chat_history", {"p_query": "tea", "p_user_id": other["id"]}).execute(),
                 403, "42501", "p_user_id must be omitted or be the signed-in user")
    user.refused(lambda: user.db.rpc("search_chat_history", {"p_query": "  "}).execute(),
                 400, "22023", "p_query must not be empty")
    user.refused(lambda: user.db.rpc("search_chat_history", {"p_query": "tea", "p_limit": 500}).execute(),
                 400, "22023", "p_limit must be between 1 and 200")
    backend.refused(lambda: backend.db.rpc("search_chat_history", {"p_query": "tea"}).execute(),
                    400, "22023", "p_user_id is required when calling with the service role key")
    anon = Client(STACK["ANON_KEY"])
    anon.refused(lambda: anon.db.rpc("search_chat_history", {"p_query": "tea"}).execute(), 401, "42501")


def test_the_seeds_ilike_search_keeps_working(people):
    me, _ = people
    rows = as_user(me).db.table("chat_messages").select("message_text").ilike("message_text", "%GREEN%") \
        .order("timestamp", desc=True).limit(10).execute().data
    assert rows == [{"message_text": "I love green tea in the morning"}]


# --- semantic search -----------------------------------------------------------------------------------

@needs_vector
def test_match_memories_langchain_js_call_shape(people):
    me, _ = people
    before = access_counts(me)
    # LangChain JS SupabaseVectorStore: rpc(queryName, {query_embedding, match_count, filter})
    rows = as_user(me).db.rpc("match_memories", {"query_embedding": vec(10), "match_count": 2, "filter": {}}).execute().data
    assert [r["content"] for r in rows] == ["likes green tea", "sister named Mitu"]
    assert rows[0]["similarity"] == pytest.approx(1.0)
    assert rows[0]["similarity"] > rows[1]["similarity"]
    assert rows[0]["metadata"] == {"memory_key": "drink", "memory_category": "preference", "importance": "medium"}
    assert all(r["user_id"] == me["id"] for r in rows)
    # each memory returned counts as a read, and the rows show it
    after = access_counts(me)
    assert after == {**before, "drink": before["drink"] + 1, "sister": before["sister"] + 1}
    assert [r["access_count"] for r in rows] == [after["drink"], after["sister"]]


@needs_vector
def test_match_memories_langchain_python_call_shape(people):
    me, _ = people
    # LangChain Python: rpc(query_name, {query_embedding, filter}) with PostgREST's limit=k
    rows = as_user(me).db.rpc("match_memories", {"query_embedding": vec(10, 0.2),
                                                  "filter": {"memory_category": "preference"}}).limit(1).execute().data
    assert [(r["content"], r["metadata"]["memory_category"]) for r in rows] == [("tea ceremony in Kyoto", "preference")]


@needs_vector
def test_match_memories_with_the_service_key(people):
    me, other = people
    rows = backend.db.rpc("match_memories", {"query_embedding": vec(10), "match_count": 3,
                                             "p_user_id": other["id"]}).execute().data
    assert [r["content"] for r in rows] == ["other likes green tea", "other sister named Mitu", "other tea ceremony in Kyoto"]
    before = access_counts(me)
    backend.db.rpc("match_memories", {"query_embedding": vec(10), "match_count": 1, "p_user_id": me["id"]}).execute()
    assert access_counts(me)["drink"] == before["drink"] + 1


@needs_vector
def test_match_memories_bad_input_writes_nothing(people):
    me, other = people
    user = as_user(me)
    before = access_counts(me)
    for args, message in (
            ({"query_embedding": [0.1, 0.2, 0.3]}, "the query embedding must have 1536 dimensions"),
            ({"query_embedding": None}, "the query embedding is required"),
            ({"query_embedding": vec(10), "match_count": 0}, "match_count must be between 1 and 200"),
            ({"query_embedding": vec(10), "match_count": -3}, "match_count must be between 1 and 200"),
            ({"query_embedding": vec(10), "match_count": 201}, "match_count must be between 1 and 200"),
            ({"query_embedding": vec(10), "filter": {"source": "x"}},
             "filter may only use the keys memory_key, memory_category, importance")):
        user.refused(lambda: user.db.rpc("match_memories", args).execute(), 400, "22023", message)
    user.refused(lambda: user.db.rpc("match_memories", {"query_embedding": vec(10), "p_user_id": other["id"]}).execute(),
                 403, "42501")
    assert access_counts(me) == before


@needs_vector
def test_embeddings_are_written_by_their_owner_with_a_checked_dimension(people):
    me, _ = people
    user = as_user(me)
    done = user.db.table("user_memories").update({"embedding": vec(10, 0.05)}).eq("memory_key", "sister").execute().data
    assert len(done) == 1 and done[0]["user_id"] == me["id"]
    # pgvector's own check of vector(1536): HTTP 400
    err = user.refused(lambda: user.db.table("user_memories").update({"embedding": [1, 2, 3]})
                       .eq("memory_key", "sister").execute(), 400, "22000")
    assert "1536 dimensions" in err.message
    user.db.table("user_memories").update({"embedding": vec(10, 0.1)}).eq("memory_key", "sister").execute()


@needs_vector
def test_match_chat_messages(people):
    me, other = people
    rows = as_user(me).db.rpc("match_chat_messages", {"query_embedding": vec(10, 0.3), "match_count": 2}).execute().data
    assert [r["content"] for r in rows] == ["the garden is quiet tonight", "tea tea ceremony in Kyoto"]
    assert rows[0]["metadata"]["sender_type"] == "user"
    theirs = backend.db.rpc("match_chat_messages", {"query_embedding": vec(10, 0.3), "match_count": 1,
                                                    "p_user_id": other["id"]}).execute().data
    assert [r["content"] for r in theirs] == ["other the garden is quiet tonight"]


# --- hybrid ------------------------------------------------------------------------------------------------

@needs_vector
def test_hybrid_search_memories(people):
    me, _ = people
    rows = as_user(me).db.rpc("hybrid_search_memories", {"p_query": "tea", "p_query_embedding": vec(10, 0.2),
                                                         "match_count": 2}).execute().data
    # kyoto is the nearest by meaning and among the two memories with the word: first either way
    assert rows[0]["memory_key"] == "kyoto" and rows[0]["semantic_rank"] == 1
    for r in rows:
        expected = sum(1 / (60 + rank) for rank in (r["keyword_rank"], r["semantic_rank"]) if rank is not None)
        assert r["score"] == pytest.approx(expected)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all(r["user_id"] == me["id"] for r in rows)


@needs_vector
def test_hybrid_search_chat_messages(people):
    me, other = people
    rows = backend.db.rpc("hybrid_search_chat_messages", {"p_query": "tea", "p_query_embedding": vec(10, 0.2),
                                                          "match_count": 3, "p_user_id": me["id"]}).execute().data
    assert rows[0]["content"] == "tea tea ceremony in Kyoto"
    assert rows[0]["keyword_rank"] == 1 and rows[0]["semantic_rank"] == 1
    assert all(r["user_id"] == me["id"] for r in rows)
    user = as_user(me)
    user.refused(lambda: user.db.rpc("hybrid_search_chat_messages", {"p_query": "", "p_query_embedding": vec(10)}).execute(),
                 400, "22023", "p_query must not be empty")
