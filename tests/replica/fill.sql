-- Rows in every domain for the replica suite (scripts/test_replica.sh), run as postgres on the
-- primary after sql/seed.sql (alice, bob, carol). Reads on the standby then return rows, and a
-- read that records itself (get_memories' access counts) has something to record.
-- Writes go through the API's RPCs where the apps use them, plain inserts elsewhere.
\set ON_ERROR_STOP on
\set alice '''11111111-1111-4111-8111-111111111111'''
\set bob   '''22222222-2222-4222-8222-222222222222'''

begin;

-- companion chat: turns (with the model's usage), memories, an analysis
select public.store_chat_pair(p_user_id => :alice, p_user_message => 'I could not sleep again.',
                              p_ai_response => 'That sounds tiring. What kept you awake?',
                              p_session_id => 'a0a0a0a0-0000-4000-8000-000000000001', p_mood => 'tired',
                              p_sentiment => 0.3, p_model => 'gpt-4o', p_prompt_tokens => 20, p_completion_tokens => 12);
select public.store_chat_pair(p_user_id => :alice, p_user_message => 'Work, mostly. And Re:Zero.',
                              p_ai_response => 'Both can keep a mind busy.',
                              p_session_id => 'a0a0a0a0-0000-4000-8000-000000000001');
select public.store_chat_pair(p_user_id => :bob, p_user_message => 'Hello there', p_ai_response => 'Hi Bob');
insert into public.user_memories (user_id, memory_key, memory_value, memory_category, importance) values
  (:alice, 'favorite_anime', 'Re:Zero', 'preference', 'high'),
  (:alice, 'sleep', 'struggles to sleep before deadlines', 'health', 'medium');
-- embeddings where semantic search is installed (it needs pgvector)
do $$
begin
  if to_regtype('extensions.vector') is not null then
    execute $e$ update public.user_memories set embedding = array_fill(0.02::real, array[1536])::extensions.vector
                 where memory_key = 'favorite_anime' $e$;
    execute $e$ update public.chat_messages set embedding = array_fill(0.03::real, array[1536])::extensions.vector
                 where user_id = '11111111-1111-4111-8111-111111111111' $e$;
  end if;
end
$$;
insert into public.agent_analyses (user_id, agent_type, analysis_data) values (:alice, 'mood', '{"trend": "tired"}');

-- agent sessions (service role's): a session with a message, memories, a client with its rows
select public.load_or_create_session('+15551230001', interval '1 hour', 'companion');
insert into public.messages (session_id, role, content, region)
select id, 'user', 'hi from sms', 'us' from public.user_sessions where phone_number = '+15551230001';
insert into public.soul_memories (session_id, key, value)
select id, 'name', '"Ann"' from public.user_sessions where phone_number = '+15551230001';
insert into public.process_memories (session_id, process_name, key, value)
select id, 'greet', 'done', 'true' from public.user_sessions where phone_number = '+15551230001';
insert into public.mental_process_state (session_id, process_name)
select id, 'greet' from public.user_sessions where phone_number = '+15551230001';
insert into public.working_memory_snapshots (session_id, memories)
select id, '[]' from public.user_sessions where phone_number = '+15551230001';
insert into public.clients (id, name, email, phone, plan)
values ('c0c0c0c0-0000-4000-8000-000000000001', 'Cafe Uno', 'owner@cafe.test', '+15551230002', 'basic');
insert into public.conversations (id, client_id) values ('conv-1', 'c0c0c0c0-0000-4000-8000-000000000001');
insert into public.messages (conversation_id, role, content) values ('conv-1', 'user', 'a table for two?');
insert into public.reservations (client_id, name, datetime, guests)
values ('c0c0c0c0-0000-4000-8000-000000000001', 'Ann', now() + interval '1 day', 2);
insert into public.orders (client_id, order_id, amount) values ('c0c0c0c0-0000-4000-8000-000000000001', 'o-1', 12.50);

-- music: history, a recommendation, interactions (they fold into genre preferences), a model
insert into public.music_listening_history (user_id, track_id, track_name, played_at)
values (:alice, 't1', 'Plastic Love', now());
insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
values (:alice, 't2', 'Stay With Me', '{Miki Matsubara}', 'https://example.test/t2', 'city pop');
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
values (:alice, 't1', 'like', 1.0, '{"genre": "City Pop"}');
insert into public.music_rl_models (user_id, version, q_table) values (:alice, 1, '{}');

-- mediation: alice hosts, bob takes part, messages, a file, an insight, an evaluation
insert into public.sessions (id, host_id, title, status)
values ('5e5e5e5e-0000-4000-8000-000000000001', :alice, 'Kitchen rota', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status)
values ('5e5e5e5e-0000-4000-8000-000000000001', :bob, 'participant', 'accepted');
insert into public.session_messages (session_id, profile_id, content, message_type)
values ('5e5e5e5e-0000-4000-8000-000000000001', :alice, 'Shall we start?', 'user_typed_message'),
       ('5e5e5e5e-0000-4000-8000-000000000001', :bob, 'Yes', 'user_typed_message');
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
values ('5e5e5e5e-0000-4000-8000-000000000001', :alice, 'rota.pdf', :alice || '/5e5e5e5e-0000-4000-8000-000000000001/rota.pdf');
insert into public.growth_insights (profile_id, session_id, insight_type, insight_data)
values (:alice, '5e5e5e5e-0000-4000-8000-000000000001', 'communication', '{"note": "listens well"}');
insert into public.achievements (profile_id, badge_id) values (:alice, 'first_session');
insert into public.session_evaluations (session_id, evaluator_profile_id, rating_overall_satisfaction, share_with_host)
values ('5e5e5e5e-0000-4000-8000-000000000001', :bob, 4, true);
insert into public.session_invitations (session_id, email, invited_by)
values ('5e5e5e5e-0000-4000-8000-000000000001', 'carol@example.com', :alice);

-- mentor: an avatar, a persona, onboarding, rituals, categories, a goal, a session
insert into public.mentor_avatars (id, name, provider_replica_id)
values ('a7a7a7a7-0000-4000-8000-000000000001', 'Sage', 'r-1');
insert into public.user_personas (id, user_id, avatar_id, name)
values ('9e9e9e9e-0000-4000-8000-000000000001', :alice, 'a7a7a7a7-0000-4000-8000-000000000001', 'Coach');
insert into public.onboarding_profiles (user_id, disc_type) values (:alice, 'D');
insert into public.ritual_preferences (user_id, timezone) values (:alice, 'UTC');
insert into public.user_emotional_categories (user_id, category, priority) values (:alice, 'stress', 1);
insert into public.user_goals (user_id, title) values (:alice, 'Sleep by 11');
select public.start_mentor_session('tavus-conv-1', '9e9e9e9e-0000-4000-8000-000000000001', :alice);

-- tokens: a limit of alice's own (usage came with the first chat pair)
insert into public.user_token_limits (user_id, daily_token_limit) values (:alice, 100000);

commit;
