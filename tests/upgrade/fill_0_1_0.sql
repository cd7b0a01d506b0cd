-- Data in every domain of a pg_convo 0.1.0 database (extension 0.1.0 + the migrations up to
-- 20261122050000), written the way the apps write it: rows through the 0.1.0 RPCs where the
-- apps use them (store_chat_pair, get_memories, load_or_create_session, increment_session_messages,
-- start/end_mentor_session, record_mentor_webhook), the Rust genre-preference trigger fed by
-- music interactions, and plain inserts elsewhere. scripts/test_upgrade.sh runs it as postgres,
-- then upgrades the database and checks that all of it is still there.
-- Uses only what 0.1.0 had: never change it to fit a later schema.

\set ON_ERROR_STOP on
\set ann '''f0f0a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1a1'''
\set ben '''f0f0b2b2-b2b2-4b2b-8b2b-b2b2b2b2b2b2'''
\set cy  '''f0f0c3c3-c3c3-4c3c-8c3c-c3c3c3c3c3c3'''
\set as_ann 'select set_config(''request.jwt.claims'', ''{"sub":"f0f0a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1a1","role":"authenticated"}'', true); set local role authenticated;'
\set as_ben 'select set_config(''request.jwt.claims'', ''{"sub":"f0f0b2b2-b2b2-4b2b-8b2b-b2b2b2b2b2b2","role":"authenticated"}'', true); set local role authenticated;'
\set as_service 'select set_config(''request.jwt.claims'', ''{"role":"service_role"}'', true); set local role service_role;'
\set as_postgres 'reset role; select set_config(''request.jwt.claims'', '''', true);'

begin;

-- Users: auth.users rows; the profiles come from the AFTER INSERT trigger ---------------------------
insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at) values
  (:ann, 'authenticated', 'authenticated', 'ann@upgrade.test', '{"full_name": "Ann Upgrade"}', '{"provider": "email"}', now()),
  (:ben, 'authenticated', 'authenticated', 'ben@upgrade.test', '{"full_name": "Ben Upgrade"}', '{"provider": "email"}', now()),
  (:cy,  'authenticated', 'authenticated', 'cy@upgrade.test',  '{"full_name": "Cy Upgrade"}',  '{"provider": "email"}', now());

:as_ann
update public.profiles
set full_name = 'Ann U.', avatar_url = 'https://example.test/ann.png',
    preferred_communication_style = '{"tone": "warm", "length": "short"}',
    personality_openness = 72, personality_conscientiousness = 61, personality_extraversion = 35,
    personality_agreeableness = 80, personality_neuroticism = 44,
    personality_llm_context = '{"summary": "reflective, prefers questions over advice"}',
    personality_completed_at = '2026-11-20 10:00+00',
    onboarding_completed = true, profile_completion_percentage = 90
where id = :ann;

-- Companion chat: a session, turns through the 0.1.0 Rust store_chat_pair, memories, analyses ----
insert into public.chat_sessions (id, user_id, title)
values ('f0f00001-0000-4000-8000-000000000001', :ann, 'Evening check-in');
select public.store_chat_pair(:ann, 'I had a rough day at work.', 'I am sorry. What made it rough?',
                              'f0f00001-0000-4000-8000-000000000001', 'sad', 0.2);
select public.store_chat_pair(:ann, 'A deadline moved up by a week.', 'That is a lot. What would help most right now?',
                              'f0f00001-0000-4000-8000-000000000001');
select public.store_chat_pair(:ann, 'Thanks, that helps — ünïcödé and “quotes” too.', 'Any time.', null, 'grateful', 0.9);
insert into public.user_memories (user_id, memory_key, memory_value, memory_category, importance) values
  (:ann, 'job', 'Works as a product designer', 'work', 'high'),
  (:ann, 'pet', 'Has a cat named Miso', 'personal', 'medium'),
  (:ann, 'likes', 'Lo-fi music while working', 'preferences', 'low');
select count(*) from public.get_memories(10);          -- bumps access_count / last_accessed
insert into public.agent_analyses (user_id, agent_type, analysis_data)
values (:ann, 'mood', '{"trend": "improving", "samples": 3}'),
       (:ann, 'personality', '{"big5": {"o": 72}}');
:as_postgres

:as_service
select public.store_chat_pair(:ben, 'Hello from the backend.', 'Hello, Ben.');
:as_postgres

-- Agent sessions (service role) -----------------------------------------------------------------------
:as_service
select (s).id is not null from public.load_or_create_session('+15559990001', interval '1 hour', 'aldea') s;
select (s).id is not null from public.load_or_create_session('+15559990002', interval '1 hour', null) s;
select public.increment_session_messages((select id from public.user_sessions where phone_number = '+15559990001'));
select public.increment_session_messages((select id from public.user_sessions where phone_number = '+15559990001'));
:as_postgres
insert into public.soul_memories (session_id, key, value)
select id, 'name', '"Alex"' from public.user_sessions where phone_number = '+15559990001';
insert into public.process_memories (session_id, process_name, key, value)
select id, 'greeting', 'step', '{"n": 2}' from public.user_sessions where phone_number = '+15559990001';
insert into public.mental_process_state (session_id, process_name, params)
select id, 'small_talk', '{"turns": 1}' from public.user_sessions where phone_number = '+15559990001';
insert into public.working_memory_snapshots (session_id, memories, region)
select id, '[{"role": "user", "content": "hi"}]', 'us-east' from public.user_sessions where phone_number = '+15559990001';
insert into public.messages (session_id, role, content, message_sid)
select id, 'user', 'Hi there', 'SM-upgrade-0001' from public.user_sessions where phone_number = '+15559990001';
insert into public.messages (session_id, role, content, region)
select id, 'assistant', 'Hello! How can I help?', 'us-east' from public.user_sessions where phone_number = '+15559990001';
insert into public.clients (id, name, email, phone, preferred_language, plan) values
  ('f0f00002-0000-4000-8000-000000000001', 'Dana Client', 'dana@upgrade.test', '+15559990003', 'es', 'premium'),
  ('f0f00002-0000-4000-8000-000000000002', 'Eli Client', 'eli@upgrade.test', null, 'en', 'basic');
insert into public.conversations (id, client_id, language)
values ('conv-upgrade-1', 'f0f00002-0000-4000-8000-000000000001', 'es');
insert into public.messages (conversation_id, role, content, metadata)
values ('conv-upgrade-1', 'user', 'Quiero reservar una mesa', '{"channel": "web"}'),
       ('conv-upgrade-1', 'assistant', '¿Para cuántas personas?', '{}');
insert into public.reservations (client_id, name, email, datetime, guests, notes)
values ('f0f00002-0000-4000-8000-000000000001', 'Dana Client', 'dana@upgrade.test', '2026-12-24 20:00+00', 4, 'window seat');
insert into public.orders (client_id, order_id, payment_intent_id, amount, currency, status, items)
values ('f0f00002-0000-4000-8000-000000000001', 'ORD-UP-1', 'pi_123', 42.50, 'eur', 'paid', '[{"sku": "menu", "qty": 2}]'),
       ('f0f00002-0000-4000-8000-000000000002', 'ORD-UP-2', null, 0, 'usd', 'pending', '[]');

-- Music: history, recommendations, interactions (the Rust trigger learns preferences), RL models ----
:as_ann
insert into public.music_listening_history (user_id, track_id, track_name, artists, album, played_at, duration_ms, genres, audio_features)
values (:ann, 'upgrade-trk1', 'Night Drive', '{"Lo Artist"}', 'Calm', '2026-11-20 21:00+00', 180000, '{"lo-fi"}', '{"energy": 0.2}'),
       (:ann, 'upgrade-trk2', 'Anthem', '{"Pop Star","Feat"}', null, '2026-11-21 08:00+00', 200000, '{"pop"}', null);
insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre, energy, valence, rl_score, personality_match_score)
values (:ann, 'upgrade-trk3', 'Rain', '{"Lo Artist"}', 'https://example.test/trk3', 'Lo-fi Chill', 0.1, 0.4, 0.8, 0.7);
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, listen_duration_ms, track_duration_ms, audio_features, created_at)
values (:ann, 'upgrade-trk1', 'like', 1, 180000, 180000, '{"genre": "Lo-Fi"}', '2026-11-20 21:05+00'),
       (:ann, 'upgrade-trk1', 'play', 0.5, 90000, 180000, '{"genre": " lo-fi "}', '2026-11-21 07:00+00'),
       (:ann, 'upgrade-trk2', 'skip', -0.5, 10000, 200000, '{"genre": "Pop"}', '2026-11-21 08:01+00'),
       (:ann, 'upgrade-trk4', 'save', 0.75, null, null, null, '2026-11-21 09:00+00');
insert into public.music_rl_models (user_id, version, q_table, hyperparameters)
values (:ann, 1, '{"lo-fi": 0.7, "pop": -0.2}', '{"alpha": 0.1}');
:as_postgres

-- Mediated sessions: the host becomes a participant (trigger), a guest, messages, files, feedback ----
:as_ann
insert into public.sessions (id, host_id, title, description_context, session_type, status, goals, rules)
values ('f0f00003-0000-4000-8000-000000000001', :ann, 'Roommate chores', 'Who does the dishes', 'mediation', 'in_progress',
        '["fair split"]', '["no interrupting"]');
:as_postgres
insert into public.session_participants (session_id, profile_id, role, invitation_status, perspective_text)
values ('f0f00003-0000-4000-8000-000000000001', :ben, 'participant', 'accepted', 'I cook, so I should not wash up.');
insert into public.session_messages (session_id, session_participant_id, profile_id, message_type, content, sentiment_analysis)
select p.session_id, p.id, p.profile_id, 'user_typed_message', 'Let us split by days.', '{"score": 0.6}'
from public.session_participants p where p.session_id = 'f0f00003-0000-4000-8000-000000000001' and p.profile_id = :ann;
insert into public.session_messages (session_id, message_type, content)
values ('f0f00003-0000-4000-8000-000000000001', 'alex_guidance', 'What would feel fair to both of you?');
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path, file_type, file_size, description)
values ('f0f00003-0000-4000-8000-000000000001', :ann, 'rota.pdf', 'upgrade/f0f00003/rota.pdf', 'application/pdf', 1024, 'current rota');
insert into public.growth_insights (profile_id, session_id, insight_type, insight_data)
values (:ann, 'f0f00003-0000-4000-8000-000000000001', 'communication', '{"tip": "ask first"}');
insert into public.achievements (profile_id, badge_id, details) values (:ann, 'upgrade_first_session', '{"session": "f0f00003"}');
insert into public.session_evaluations (session_id, evaluator_profile_id, rating_overall_satisfaction, rating_clarity_goals,
                                        rating_fairness_balance, rating_alex_helpfulness, feedback_worked_well, share_with_host)
values ('f0f00003-0000-4000-8000-000000000001', :ben, 4, 5, 3, 4, 'Calm tone', true);

-- Mentor video sessions ---------------------------------------------------------------------------------
insert into public.mentor_avatars (id, name, description, provider_replica_id, sort_order, metadata)
values ('f0f00004-0000-4000-8000-000000000001', 'Upgrade Sage', 'Calm mentor', 'r_upgrade_1', 1, '{"voice": "soft"}');
:as_ann
insert into public.user_personas (id, user_id, avatar_id, name, communication_style, is_default)
values ('f0f00005-0000-4000-8000-000000000001', :ann, 'f0f00004-0000-4000-8000-000000000001', 'My Sage', 'gentle', true);
insert into public.onboarding_profiles (user_id, disc_type, disc_scores, enneagram_type, enneagram_wing, focus_areas, personality_insights, completed_at)
values (:ann, 'SC', '{"D": 10, "I": 20, "S": 40, "C": 30}', 9, 1, '{"career","calm"}', '{"note": "steady"}', '2026-11-20 12:00+00');
insert into public.ritual_preferences (user_id, preferred_time, timezone, session_days, session_duration_minutes)
values (:ann, '07:30', 'Europe/Berlin', '{1,3,5}', 15);
insert into public.user_emotional_categories (user_id, category, priority, description) values (:ann, 'stress', 1, 'work stress');
insert into public.user_goals (user_id, title, category, status, target_date) values (:ann, 'Sleep 8 hours', 'health', 'active', '2026-12-31');
select (public.start_mentor_session('prov-conv-upgrade-1', 'f0f00005-0000-4000-8000-000000000001')).id is not null;
select (public.end_mentor_session((select id from public.mentor_conversations where provider_conversation_id = 'prov-conv-upgrade-1'))).status;
select (public.start_mentor_session('prov-conv-upgrade-2')).id is not null;
:as_postgres
:as_service
select public.record_mentor_webhook('prov-conv-upgrade-2', 'transcript_ready', '{"transcript": [{"role": "user", "content": "hello"}]}');
:as_postgres

commit;
