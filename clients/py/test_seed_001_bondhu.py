"""Seed 001, Bondhu AI: the FastAPI backend's supabase-py calls as written (service-role key),
then what the backend does next: store a chat turn, read the history, search it, remember facts
and read them back, learn music preferences. (The Next.js frontend's calls: clients/js.)"""
import uuid
from datetime import datetime

import pytest

from helpers import ReplaySeed, create_user, sql

seed = ReplaySeed("001", "Bondhu AI")
backend = seed.as_service()          # SupabaseClient(): create_client(SUPABASE_URL, SUPABASE_KEY)

PERSONALITY_COLUMNS = (
    'id, full_name, avatar_url, '
    'personality_openness, personality_conscientiousness, '
    'personality_extraversion, personality_agreeableness, '
    'personality_neuroticism, personality_llm_context, '
    'personality_completed_at, onboarding_completed, '
    'has_completed_personality_assessment'
)


@pytest.fixture(scope="module")
def user():
    return create_user(full_name="Rafi Rahman")


@pytest.fixture(scope="module")
def other():
    return create_user(full_name="Other Person")


@pytest.fixture(scope="module")
def chatter():
    """A user with a conversation, stored the way every pg_convo version accepts: into a chat
    session that exists (the history and search tests read it)."""
    u = create_user(full_name="Chatty Chen")
    session_id = backend.table('chat_sessions').insert({'user_id': u['id']}).execute().data[0]['id']
    store_chat_message(u['id'], 'I had a rough day at work', 'I am sorry to hear that.', 'sad', 0.2, session_id)
    for message, response in (('My favorite anime is Re:Zero', 'Re:Zero is a great pick!'),
                              ('Who is your favorite character?', 'Rem, of course.')):
        backend.rpc('store_chat_pair', {'p_user_id': u['id'], 'p_user_message': message,
                                        'p_ai_response': response, 'p_session_id': session_id}).execute()
    u['session_id'] = session_id
    return u


def store_chat_message(user_id, message, response, mood, sentiment, session_id):
    """api/routes/chat.py _store_chat_message, as written."""
    backend.table('chat_messages').insert({
        'user_id': user_id,
        'message_text': message,
        'sender_type': 'user',
        'mood_detected': mood,
        'sentiment_score': sentiment,
        'session_id': session_id
    }).execute()
    ai_message = backend.table('chat_messages').insert({
        'user_id': user_id,
        'message_text': response,
        'sender_type': 'ai',
        'session_id': session_id
    }).execute()
    return ai_message.data[0]['id']


def add_memory(user_id, key, value, metadata):
    """core/database/memory_service.py add_memory, with pg_convo's column names (DIFFERENCES.md)."""
    memory_data = {
        "user_id": user_id,
        "memory_key": key,
        "memory_value": value,
        "importance": metadata.get('importance'),
        "memory_category": metadata.get('category'),
    }
    return backend.table("user_memories").upsert(memory_data, on_conflict="user_id, memory_key").execute()


# --- personality -------------------------------------------------------------------------------

def test_personality_update_then_view_read(user):
    # Issue 4's update_personality: .table('profiles').update(new_scores).eq('id', user_id)
    new_scores = {'personality_openness': 81, 'personality_neuroticism': 22,
                  'personality_llm_context': {'tone': 'warm', 'traits': ['curious']},
                  'personality_completed_at': datetime.utcnow().isoformat(),
                  'onboarding_completed': True}
    updated = backend.table('profiles').update(new_scores).eq('id', user['id']).execute()
    assert len(updated.data) == 1
    # get_user_personality: the personality_profiles VIEW, two .eq filters
    response = backend.table('personality_profiles').select(PERSONALITY_COLUMNS) \
        .eq('id', user['id']).eq('has_completed_personality_assessment', True).execute()
    assert len(response.data) == 1
    row = response.data[0]
    assert row['personality_openness'] == 81 and row['personality_neuroticism'] == 22
    assert row['has_completed_personality_assessment'] is True
    # Issue 3 of the seed: the JSONB column parses as a dict, no json.loads needed
    assert row['personality_llm_context'] == {'tone': 'warm', 'traits': ['curious']}
    # as written: no filter (with the service key: every profile's column)
    response = backend.table('profiles').select('personality_llm_context').execute()
    contexts = [r['personality_llm_context'] for r in response.data if r['personality_llm_context'] is not None]
    assert {'tone': 'warm', 'traits': ['curious']} in contexts
    assert all(isinstance(c, dict) for c in contexts)
    # the same call from the user's own session: their row only (RLS)
    assert seed.as_user(user['id']).table('profiles').select('personality_llm_context').execute().data == [
        {'personality_llm_context': {'tone': 'warm', 'traits': ['curious']}}]


def test_personality_view_is_empty_for_an_unassessed_user(other):
    response = backend.table('personality_profiles').select(PERSONALITY_COLUMNS) \
        .eq('id', other['id']).eq('has_completed_personality_assessment', True).execute()
    assert response.data == []
    # Best practice 3: .select('*').eq('id', user_id); "if not response.data: return None"
    assert backend.table('profiles').select('*').eq('id', other['id']).execute().data[0]['id'] == other['id']
    assert backend.table('profiles').select('*').eq('id', str(uuid.uuid4())).execute().data == []
    # "Connection Pooling": supabase.table('profiles').select('*').execute(), from a user's session: their row
    assert [r['id'] for r in seed.as_user(other['id']).table('profiles').select('*').execute().data] == [other['id']]


# --- chat: issue 10 #3, session ids the backend generates ----------------------------------------

def test_chat_insert_with_a_new_session_id_creates_the_session(user):
    session_id = str(uuid.uuid4())
    ai_id = store_chat_message(user['id'], 'I had a rough day at work', 'I am sorry to hear that.',
                               'sad', 0.2, session_id)
    assert uuid.UUID(ai_id)
    owner = sql('select user_id::text from public.chat_sessions where id = %s', (session_id,))
    assert owner == [(user['id'],)]
    rows = backend.table('chat_messages').select('sender_type, session_id').eq('session_id', session_id) \
        .order('timestamp').execute().data
    assert [r['sender_type'] for r in rows] == ['user', 'ai']


def test_store_chat_pair_with_a_new_session_id(user):
    session_id = str(uuid.uuid4())
    result = backend.rpc('store_chat_pair', {
        'p_user_id': user['id'],
        'p_user_message': 'My favorite anime is Re:Zero',
        'p_ai_response': 'Re:Zero is a great pick!',
        'p_session_id': session_id
    }).execute()
    assert uuid.UUID(result.data)
    assert sql('select user_id::text from public.chat_sessions where id = %s', (session_id,)) == [(user['id'],)]
    # a second turn in the same session
    backend.rpc('store_chat_pair', {'p_user_id': user['id'], 'p_user_message': 'Who is your favorite character?',
                                    'p_ai_response': 'Rem, of course.', 'p_session_id': session_id}).execute()
    assert sql('select count(*) from public.chat_messages where session_id = %s', (session_id,)) == [(4,)]


def test_another_users_session_id_is_refused_and_reveals_nothing(user, other):
    theirs = str(uuid.uuid4())
    store_chat_message(other['id'], 'private', 'reply', None, None, theirs)
    before = sql('select count(*) from public.chat_messages where session_id = %s', (theirs,))
    db = seed.as_user(user['id'])
    err_insert = seed.refused(lambda: db.table('chat_messages').insert({
        'user_id': user['id'], 'message_text': 'hi', 'sender_type': 'user', 'session_id': theirs}).execute(),
        status=403, code='42501')
    err_rpc = seed.refused(lambda: db.rpc('store_chat_pair', {
        'p_user_id': user['id'], 'p_user_message': 'hi', 'p_ai_response': 'hello', 'p_session_id': theirs}).execute(),
        status=403, code='42501')
    # the backend writing for one user into another user's session is refused too
    seed.refused(lambda: backend.rpc('store_chat_pair', {
        'p_user_id': user['id'], 'p_user_message': 'hi', 'p_ai_response': 'hello', 'p_session_id': theirs}).execute())
    for err in (err_insert, err_rpc):
        text = f"{err.message} {err.details} {err.hint}"
        assert theirs not in text and other['id'] not in text, text
    # the same answer as for a session id that does not exist for anyone else … or is simply unknown
    assert sql('select count(*) from public.chat_messages where session_id = %s', (theirs,)) == before


def test_chat_bad_input_is_a_400_and_writes_nothing(user):
    session_id = str(uuid.uuid4())
    for args in ({'p_user_message': '   ', 'p_ai_response': 'x'},
                 {'p_user_message': 'x' * 5001, 'p_ai_response': 'x'},
                 {'p_user_message': 'x', 'p_ai_response': 'y' * 20001}):
        seed.refused(lambda: backend.rpc('store_chat_pair', {
            'p_user_id': user['id'], 'p_session_id': session_id, **args}).execute(), status=400, code='22023')
    seed.refused(lambda: backend.rpc('store_chat_pair', {
        'p_user_id': user['id'], 'p_user_message': 'x', 'p_ai_response': 'y', 'p_session_id': 'not-a-uuid'}).execute(),
        status=400)
    assert sql('select count(*) from public.chat_sessions where id = %s', (session_id,)) == [(0,)]


# --- chat history and search -----------------------------------------------------------------------

def test_get_chat_history_select_order_range(chatter):
    limit, offset = 2, 0
    response = backend.table('chat_messages') \
        .select('*') \
        .eq('user_id', chatter['id']) \
        .order('timestamp', desc=True) \
        .range(offset, offset + limit * 2 - 1) \
        .execute()
    assert len(response.data) == 4
    stamps = [r['timestamp'] for r in response.data]
    assert stamps == sorted(stamps, reverse=True)
    assert response.data[0]['message_text'] == 'Rem, of course.'
    page = backend.table('chat_messages').select('id, message_text, timestamp') \
        .eq('user_id', chatter['id']).order('timestamp', desc=True).range(0, 49).execute()
    assert len(page.data) == 6 and set(page.data[0]) == {'id', 'message_text', 'timestamp'}


def test_search_chat_history_ilike(chatter):
    query = 'RE:ZERO'
    search_term = f"%{query.lower()}%"
    response = backend.table('chat_messages') \
        .select('*') \
        .eq('user_id', chatter['id']) \
        .ilike('message_text', search_term) \
        .order('timestamp', desc=True) \
        .limit(10) \
        .execute()
    assert [r['message_text'] for r in response.data] == ['Re:Zero is a great pick!', 'My favorite anime is Re:Zero']


def test_get_chat_history_rpc_for_a_user_with_the_service_key(chatter):
    # issue 10 #5: the backend names the user
    pairs = backend.rpc('get_chat_history', {'p_user_id': chatter['id'], 'p_limit': 10}).execute().data
    assert [p['user_message'] for p in pairs] == [
        'Who is your favorite character?', 'My favorite anime is Re:Zero', 'I had a rough day at work']
    assert pairs[0]['ai_response'] == 'Rem, of course.'
    assert pairs[2]['ai_response'] is None  # two plain inserts: the reply is not linked (reply_to)
    assert pairs == seed.as_user(chatter['id']).rpc('get_chat_history', {'p_limit': 10}).execute().data


# --- memories ----------------------------------------------------------------------------------------

def test_add_memory_upsert_and_importance_none(user):
    # issue 10 #4: metadata.get('importance') is None → supabase-py sends null → the default
    add_memory(user['id'], 'favorite_anime', 'Re:Zero', {'category': 'favorite'})
    add_memory(user['id'], 'personal_info', 'Rafi', {'importance': 'high', 'category': 'personal_fact'})
    # upsert again: updates in place
    add_memory(user['id'], 'favorite_anime', 'Steins;Gate', {'category': 'favorite'})
    rows = backend.table('user_memories').select('memory_key, memory_value, importance, memory_category') \
        .eq('user_id', user['id']).order('memory_key').execute().data
    assert rows == [
        {'memory_key': 'favorite_anime', 'memory_value': 'Steins;Gate', 'importance': 'medium', 'memory_category': 'favorite'},
        {'memory_key': 'personal_info', 'memory_value': 'Rafi', 'importance': 'high', 'memory_category': 'personal_fact'},
    ]


def test_seed_memory_key_names_are_not_columns(user):
    # the seed's code says key/value; its own schema (and pg_convo) say memory_key/memory_value
    seed.refused(lambda: backend.table('user_memories').upsert({
        'user_id': user['id'], 'key': 'favorite_anime', 'value': 'Re:Zero'
    }, on_conflict='user_id, key').execute(), status=400)


def test_get_memories_for_a_user_bumps_access_count_like_their_own_read(user):
    def counts():
        return dict(sql('select memory_key, access_count from public.user_memories where user_id = %s', (user['id'],)))
    start = counts()
    mine = seed.as_user(user['id']).rpc('get_memories', {'p_limit': 20}).execute().data
    assert [m['memory_key'] for m in mine] == ['personal_info', 'favorite_anime']
    after_user = counts()
    assert all(after_user[k] == start[k] + 1 for k in start)
    theirs = backend.rpc('get_memories', {'p_user_id': user['id'], 'p_limit': 20}).execute().data
    assert [m['memory_key'] for m in theirs] == ['personal_info', 'favorite_anime']
    after_backend = counts()
    assert all(after_backend[k] == after_user[k] + 1 for k in start)
    assert all(m['last_accessed'] for m in theirs)


def test_acting_user_rule_bad_input(user):
    seed.refused(lambda: backend.rpc('get_chat_history', {'p_user_id': user['id'], 'p_limit': 0}).execute(),
                 status=400, code='22023')
    seed.refused(lambda: backend.rpc('get_memories', {'p_user_id': user['id'], 'p_limit': 1000}).execute(),
                 status=400, code='22023')
    seed.refused(lambda: backend.rpc('get_genre_preferences', {'p_user_id': user['id'], 'p_limit': -1}).execute(),
                 status=400, code='22023')


def test_acting_user_rule(user, other, chatter):
    # issue 10 #5: the service key must name the user; a user may name only themselves
    seed.refused(lambda: backend.rpc('get_memories', {'p_limit': 5}).execute(), status=400, code='22023')
    seed.refused(lambda: backend.rpc('get_chat_history', {'p_limit': 5}).execute(), status=400, code='22023')
    seed.refused(lambda: backend.rpc('get_genre_preferences', {'p_limit': 5}).execute(), status=400, code='22023')
    db = seed.as_user(user['id'])
    seed.refused(lambda: db.rpc('get_memories', {'p_user_id': other['id'], 'p_limit': 5}).execute(),
                 status=403, code='42501')
    seed.refused(lambda: db.rpc('get_chat_history', {'p_user_id': other['id']}).execute(), status=403, code='42501')
    seed.refused(lambda: db.rpc('get_genre_preferences', {'p_user_id': other['id']}).execute(),
                 status=403, code='42501')
    assert len(db.rpc('get_memories', {'p_user_id': user['id'], 'p_limit': 5}).execute().data) == 2
    chat = seed.as_user(chatter['id'])
    assert len(chat.rpc('get_chat_history', {'p_user_id': chatter['id']}).execute().data) == 3
    assert len(chat.rpc('get_chat_history', {}).execute().data) == 3
    assert chat.rpc('get_genre_preferences', {'p_user_id': chatter['id']}).execute().data == []
    seed.refused(lambda: backend.rpc('get_memories', {'p_user_id': 'nope', 'p_limit': 5}).execute(), status=400)


# --- agent analyses ----------------------------------------------------------------------------------

def test_store_agent_analysis_upsert_without_on_conflict(user):
    def store(data):
        result = backend.table('agent_analyses').upsert({
            'user_id': user['id'],
            'agent_type': 'music',
            'analysis_data': data,
            'created_at': datetime.utcnow().isoformat(),
            'updated_at': datetime.utcnow().isoformat()
        }).execute()
        return len(result.data) > 0
    assert store({'top_genre': 'lo-fi'})
    assert store({'top_genre': 'city pop'})
    rows = seed.as_user(user['id']).table('agent_analyses').select('agent_type, analysis_data').execute().data
    assert rows == [{'agent_type': 'music', 'analysis_data': {'top_genre': 'city pop'}}]


# --- music (Pattern 4) --------------------------------------------------------------------------------

def test_music_flow_and_genre_preferences(user, other):
    uid = user['id']
    backend.table('music_listening_history').upsert({
        'user_id': uid, 'track_id': 't1', 'track_name': 'Snowfall', 'artists': ['oneheart'],
        'played_at': '2026-11-01T10:00:00Z', 'genres': ['lo-fi'], 'audio_features': {'energy': 0.2}},
        on_conflict='user_id,track_id,played_at').execute()
    backend.table('music_listening_history').upsert({
        'user_id': uid, 'track_id': 't1', 'track_name': 'Snowfall (remaster)', 'artists': ['oneheart'],
        'played_at': '2026-11-01T10:00:00Z'}, on_conflict='user_id,track_id,played_at').execute()
    hist = backend.table('music_listening_history').select('track_name').eq('user_id', uid).execute().data
    assert hist == [{'track_name': 'Snowfall (remaster)'}]
    backend.table('music_recommendations').insert({
        'user_id': uid, 'track_id': 't2', 'track_name': 'Plastic Love', 'artists': ['Mariya Takeuchi'],
        'external_url': 'https://open.spotify.com/track/t2', 'genz_genre': 'City Pop', 'rl_score': 0.9}).execute()
    # a re-run of the recommender on the same UTC day updates the row (DIFFERENCES.md: recommended_on)
    again = backend.table('music_recommendations').upsert({
        'user_id': uid, 'track_id': 't2', 'track_name': 'Plastic Love', 'artists': ['Mariya Takeuchi'],
        'external_url': 'https://open.spotify.com/track/t2', 'genz_genre': 'City Pop', 'rl_score': 0.95,
        'recommended_at': datetime.utcnow().isoformat() + 'Z'},
        on_conflict='user_id,track_id,recommended_on').execute()
    assert float(again.data[0]['rl_score']) == pytest.approx(0.95)
    recs = seed.as_user(uid).table('music_recommendations').select('track_name, genz_genre') \
        .eq('user_id', uid).order('rl_score', desc=True).execute().data
    assert recs == [{'track_name': 'Plastic Love', 'genz_genre': 'City Pop'}]
    # the user's like (frontend) and the backend's play: the trigger learns the genre
    seed.as_user(uid).table('music_interactions').insert({
        'user_id': uid, 'track_id': 't2', 'interaction_type': 'like', 'rl_reward': 1.0,
        'audio_features': {'genre': 'City Pop'}}).execute()
    backend.table('music_interactions').insert({
        'user_id': uid, 'track_id': 't2', 'interaction_type': 'play', 'rl_reward': 0.5,
        'listen_duration_ms': 90000, 'track_duration_ms': 180000,
        'audio_features': {'genre': '  city   POP '}}).execute()
    prefs = seed.as_user(uid).rpc('get_genre_preferences', {'p_limit': 5}).execute().data
    # pg_convo normalises genres (trimmed, lower case, single spaces): DIFFERENCES.md
    assert [(p['genre'], p['interaction_count']) for p in prefs] == [('city pop', 2)]
    assert float(prefs[0]['average_reward']) == pytest.approx(0.75)
    backend.table('music_rl_models').insert({'user_id': uid, 'version': 1, 'q_table': {'s0': {'a0': 0.1}}}).execute()
    newest = backend.table('music_rl_models').select('version, q_table').eq('user_id', uid) \
        .order('version', desc=True).limit(1).execute().data
    assert newest == [{'version': 1, 'q_table': {'s0': {'a0': 0.1}}}]


def test_get_genre_preferences_for_a_user_with_the_service_key(user, other):
    # issue 10 #5 (after test_music_flow_and_genre_preferences has taught one genre)
    mine = seed.as_user(user['id']).rpc('get_genre_preferences', {'p_limit': 5}).execute().data
    assert backend.rpc('get_genre_preferences', {'p_user_id': user['id'], 'p_limit': 5}).execute().data == mine
    assert backend.rpc('get_genre_preferences', {'p_user_id': other['id']}).execute().data == []
