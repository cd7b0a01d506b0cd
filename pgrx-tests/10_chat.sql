-- Companion chat (issue 3): the schema of migration 20261122010000_chat — tables, constraints, the
-- auth.users → profiles triggers, RLS for every role and action, the personality_profiles view's
-- invoker rights, get_chat_history / get_memories, and the trigram index on 100k rows.
begin;
select plan(209);


-- Fixtures (as postgres): two users with a row in every table, one user without a profile.
select tests.create_supabase_user('owner', 'olive@chat.test', metadata => jsonb_build_object('full_name', 'Olive Owner'));
select tests.create_supabase_user('other', 'oscar@chat.test', metadata => jsonb_build_object('full_name', 'Oscar Other'));
select tests.create_supabase_user('orphan', 'nora@chat.test', metadata => jsonb_build_object('full_name', 'Nora Noprofile'));
delete from public.profiles where id = tests.get_supabase_uid('orphan');
update public.profiles set personality_completed_at = now() where id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'));

insert into public.chat_sessions (id, user_id, title, created_at) values
  ('a0000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Owner first', now() - interval '1 day'),
  ('a0000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'Owner second', now() - interval '2 hours'),
  ('a0000000-0000-4000-8000-000000000003', tests.get_supabase_uid('other'), 'Other session', now());

-- Owner: three pairs (one still unanswered) in the first session, one pair in the second.
insert into public.chat_messages (id, user_id, message_text, sender_type, mood_detected, sentiment_score, session_id, "timestamp", reply_to) values
  ('b0000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'I feel anxious today', 'user', 'anxious', 0.2, 'a0000000-0000-4000-8000-000000000001', now() - interval '4 hours', null),
  ('b0000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'I am here for you', 'ai', null, null, 'a0000000-0000-4000-8000-000000000001', now() - interval '4 hours' + interval '1 second', 'b0000000-0000-4000-8000-000000000001'),
  ('b0000000-0000-4000-8000-000000000003', tests.get_supabase_uid('owner'), 'Tell me about Re:Zero', 'user', 'curious', 0.7, 'a0000000-0000-4000-8000-000000000001', now() - interval '3 hours', null),
  ('b0000000-0000-4000-8000-000000000004', tests.get_supabase_uid('owner'), 'Re:Zero is a story about loops', 'ai', null, null, 'a0000000-0000-4000-8000-000000000001', now() - interval '3 hours' + interval '1 second', 'b0000000-0000-4000-8000-000000000003'),
  ('b0000000-0000-4000-8000-000000000005', tests.get_supabase_uid('owner'), 'Thanks', 'user', null, null, 'a0000000-0000-4000-8000-000000000001', now() - interval '2 hours', null),
  ('b0000000-0000-4000-8000-000000000006', tests.get_supabase_uid('owner'), 'A new topic', 'user', null, null, 'a0000000-0000-4000-8000-000000000002', now() - interval '1 hour', null),
  ('b0000000-0000-4000-8000-000000000007', tests.get_supabase_uid('owner'), 'Sure, go ahead', 'ai', null, null, 'a0000000-0000-4000-8000-000000000002', now() - interval '1 hour' + interval '1 second', 'b0000000-0000-4000-8000-000000000006'),
  ('b0000000-0000-4000-8000-000000000008', tests.get_supabase_uid('other'), 'Oscar''s secret', 'user', null, null, 'a0000000-0000-4000-8000-000000000003', now() - interval '30 minutes', null),
  ('b0000000-0000-4000-8000-000000000009', tests.get_supabase_uid('other'), 'Safe with me', 'ai', null, null, 'a0000000-0000-4000-8000-000000000003', now() - interval '30 minutes' + interval '1 second', 'b0000000-0000-4000-8000-000000000008');

insert into public.user_memories (id, user_id, memory_key, memory_value, memory_category, importance, updated_at) values
  ('c0000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'favorite_anime', 'Re:Zero', 'favorite', 'medium', now() - interval '1 day'),
  ('c0000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'name', 'Olive', 'personal_fact', 'high', now() - interval '10 days'),
  ('c0000000-0000-4000-8000-000000000003', tests.get_supabase_uid('owner'), 'pet', 'a cat', 'personal_fact', 'low', now() - interval '1 hour'),
  ('c0000000-0000-4000-8000-000000000004', tests.get_supabase_uid('owner'), 'favorite_food', 'dumplings', 'favorite', 'medium', now() - interval '2 hours'),
  ('c0000000-0000-4000-8000-000000000005', tests.get_supabase_uid('other'), 'name', 'Oscar', 'personal_fact', 'high', now() - interval '1 hour');

insert into public.agent_analyses (id, user_id, agent_type, analysis_data) values
  ('d0000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'personality', '{"mood": "calm"}'),
  ('d0000000-0000-4000-8000-000000000002', tests.get_supabase_uid('owner'), 'music', '{}'),
  ('d0000000-0000-4000-8000-000000000003', tests.get_supabase_uid('other'), 'personality', '{"mood": "busy"}');


-- Schema -------------------------------------------------------------------------------------
select has_table('public', t, 'table public.' || t || ' exists')
from unnest(array['profiles', 'chat_sessions', 'chat_messages', 'user_memories', 'agent_analyses']) t;
select has_view('public', 'personality_profiles', 'view public.personality_profiles exists');

select columns_are('public', 'profiles', array[
  'id', 'created_at', 'updated_at', 'full_name', 'avatar_url', 'email', 'preferred_communication_style',
  'onboarding_completed', 'personality_openness', 'personality_conscientiousness', 'personality_extraversion',
  'personality_agreeableness', 'personality_neuroticism', 'personality_llm_context', 'personality_completed_at',
  'has_completed_personality_assessment', 'profile_completion_percentage'], 'profiles has exactly its columns');
select columns_are('public', 'chat_sessions', array['id', 'user_id', 'title', 'created_at', 'last_message_at',
  'selected_leaf_id', 'selected_at'], 'chat_sessions has exactly its columns (selected_*: B0_branches.sql)');
select columns_are('public', 'chat_messages', array['id', 'user_id', 'message_text', 'sender_type', 'mood_detected',
  'sentiment_score', 'session_id', 'timestamp', 'reply_to', 'token_count', 'message_tsv']
  || case when exists (select from pg_extension where extname = 'vector') then array['embedding'] else '{}' end
  || array['previous_id', 'parent_id', 'model'],
  'chat_messages has exactly its columns (token_count: 60_tokens.sql; message_tsv, embedding where pgvector is installed: 70_memory_search.sql; previous_id, parent_id, model: B0_branches.sql)');
select columns_are('public', 'user_memories', array['id', 'user_id', 'memory_key', 'memory_value', 'memory_category',
  'importance', 'created_at', 'updated_at', 'last_accessed', 'access_count']
  || case when exists (select from pg_extension where extname = 'vector') then array['embedding'] else '{}' end,
  'user_memories has exactly its columns (embedding only where pgvector is installed)');
select columns_are('public', 'agent_analyses', array['id', 'user_id', 'agent_type', 'analysis_data', 'created_at', 'updated_at'],
  'agent_analyses has exactly its columns');
select columns_are('public', 'personality_profiles', array['id', 'full_name', 'avatar_url', 'personality_openness',
  'personality_conscientiousness', 'personality_extraversion', 'personality_agreeableness', 'personality_neuroticism',
  'personality_llm_context', 'personality_completed_at', 'onboarding_completed', 'has_completed_personality_assessment',
  'profile_completion_percentage', 'created_at', 'updated_at'], 'personality_profiles has the seed''s columns');

select col_is_pk('public', 'profiles', 'id', 'profiles: primary key id');
select col_is_pk('public', 'chat_messages', 'id', 'chat_messages: primary key id');
select col_is_pk('public', 'agent_analyses', array['user_id', 'agent_type'],
  'agent_analyses: primary key (user_id, agent_type), so an upsert without on_conflict is idempotent');
select col_is_unique('public', 'agent_analyses', array['id'], 'agent_analyses: id is unique');
select col_is_unique('public', 'profiles', array['email'], 'profiles: email is unique');
select is_empty($$ select c.conname from pg_constraint c
                   where c.conrelid = 'public.chat_messages'::regclass and c.contype = 'u'
                     and c.conkey = array[(select a.attnum from pg_attribute a
                                           where a.attrelid = 'public.chat_messages'::regclass and a.attname = 'reply_to')] $$,
  'chat_messages: a user message may have several replies (regenerations: B0_branches.sql)');
select col_is_unique('public', 'user_memories', array['user_id', 'memory_key'], 'user_memories: unique (user_id, memory_key)');

select results_eq(
  $$ select conname::text collate "default", confrelid::regclass::text, confdeltype::text from pg_constraint
     where contype = 'f' and conrelid in ('public.profiles'::regclass, 'public.chat_sessions'::regclass,
       'public.chat_messages'::regclass, 'public.user_memories'::regclass, 'public.agent_analyses'::regclass)
     order by conname $$,
  $$ values ('agent_analyses_user_id_fkey', 'profiles', 'c'), ('chat_messages_previous_id_fkey', 'chat_messages', 'n'),
            ('chat_messages_reply_to_fkey', 'chat_messages', 'c'),
            ('chat_messages_session_id_fkey', 'chat_sessions', 'c'), ('chat_messages_user_id_fkey', 'profiles', 'c'),
            ('chat_sessions_user_id_fkey', 'profiles', 'c'), ('profiles_id_fkey', 'auth.users', 'c'),
            ('user_memories_user_id_fkey', 'profiles', 'c') $$,
  'foreign keys are named explicitly and cascade on delete (previous_id: set null, what followed a deleted message starts its branch)');

select col_type_is('public', 'profiles', 'has_completed_personality_assessment', 'boolean', 'has_completed_personality_assessment is boolean');
select is((select attgenerated from pg_attribute where attrelid = 'public.profiles'::regclass
           and attname = 'has_completed_personality_assessment'), 's'::"char",
          'has_completed_personality_assessment is a stored generated column');
select col_default_is('public', 'user_memories', 'importance', 'medium', 'importance defaults to medium');
select col_default_is('public', 'agent_analyses', 'analysis_data', '{}'::jsonb, 'analysis_data defaults to {}');

select index_is_type('public', 'chat_messages', 'chat_messages_message_text_trgm_idx', 'gin',
  'message_text has a GIN index');
select results_eq(
  $$ select a.attname::text collate "default", o.opcname::text collate "default"
     from pg_index i join pg_class c on c.oid = i.indexrelid
     join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
     join pg_opclass o on o.oid = i.indclass[0]
     where c.relname = 'chat_messages_message_text_trgm_idx' and c.relnamespace = 'public'::regnamespace $$,
  $$ values ('message_text', 'gin_trgm_ops') $$,
  '... on message_text with the trigram operator class');
select indexes_are('public', 'chat_messages', array['chat_messages_pkey', 'idx_chat_messages_reply_to',
  'idx_chat_messages_previous', 'idx_chat_messages_session_roots',
  'idx_chat_messages_user_timestamp', 'idx_chat_messages_session', 'idx_chat_messages_mood',
  'chat_messages_message_text_trgm_idx', 'idx_chat_messages_user_tsv',
  'idx_chat_messages_user_turns', 'idx_chat_messages_session_turns']
  || case when exists (select from pg_extension where extname = 'vector') then array['idx_chat_messages_embedding'] else '{}' end,
  'chat_messages has the seed''s indexes plus trigram, the tree''s (reply_to, previous_id, roots), full text, the context window''s turns (and HNSW where pgvector is installed)');
select has_index('public', 'user_memories', i, 'user_memories has index ' || i)
from unnest(array['idx_user_memories_user', 'idx_user_memories_category', 'idx_user_memories_importance',
                  'idx_user_memories_updated']) i;
select has_index('public', 'profiles', 'idx_profiles_personality', 'profiles keeps the seed''s personality index');

select ok(exists (select from pg_publication_tables where pubname = 'supabase_realtime'
                  and schemaname = 'public' and tablename = 'chat_messages'),
          'chat_messages is in the supabase_realtime publication');

-- RLS and policies ----------------------------------------------------------------------------
select is(array_agg(c.relname::text order by c.relname) filter (where not c.relrowsecurity), null,
          'RLS is enabled on every chat table')
from pg_class c
where c.oid in ('public.profiles'::regclass, 'public.chat_sessions'::regclass, 'public.chat_messages'::regclass,
                'public.user_memories'::regclass, 'public.agent_analyses'::regclass);
select policies_are('public', 'profiles',
  array['Users can view their own profile', 'Users can update their own profile',
        'Users can create their own profile'],
  'profiles: select, update and insert (upsert) own, no delete policy (pgrx-tests/41_mediation_clients.sql)');
select policies_are('public', 'chat_messages',
  array['Users can view their own chat messages', 'Users can create their own chat messages',
        'Users can delete their own chat messages'], 'chat_messages: select, insert, delete own (no update)');
select policies_are('public', t, array['Users can view their own ' || n, 'Users can create their own ' || n,
                                        'Users can update their own ' || n, 'Users can delete their own ' || n],
                    t || ': one policy per action')
from (values ('chat_sessions', 'chat sessions'), ('user_memories', 'memories'), ('agent_analyses', 'agent analyses')) v(t, n);
select is_empty($$ select tablename, cmd from pg_policies where schemaname = 'public'
                   and tablename in ('profiles', 'chat_sessions', 'chat_messages', 'user_memories', 'agent_analyses')
                   and (roles <> '{authenticated}' or permissive <> 'PERMISSIVE') $$,
  'every chat policy is a permissive policy to authenticated only');
select is_empty($$ select tablename, cmd from pg_policies where schemaname = 'public'
                   group by tablename, cmd, roles having count(*) > 1 $$,
  'no two permissive policies for the same table, role and action');

-- The auth.users → profiles triggers -----------------------------------------------------------
insert into auth.users (id, aud, role, email, raw_user_meta_data)
values ('e0000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'tina@chat.test',
        '{"full_name": "Tina Trigger", "avatar_url": "https://cdn.example/tina.png"}');
select results_eq(
  $$ select full_name, avatar_url, email from public.profiles where id = 'e0000000-0000-4000-8000-000000000001' $$,
  $$ values ('Tina Trigger', 'https://cdn.example/tina.png', 'tina@chat.test') $$,
  'a new auth user gets a profile with full_name, avatar_url and email from auth.users');
select results_eq(
  $$ select personality_openness, personality_conscientiousness, personality_extraversion, personality_agreeableness,
            personality_neuroticism, onboarding_completed, profile_completion_percentage, has_completed_personality_assessment
     from public.profiles where id = 'e0000000-0000-4000-8000-000000000001' $$,
  $$ values (50, 50, 50, 50, 50, false, 0::numeric, false) $$,
  'a new profile has the defaults: scores 50, not onboarded, 0 %, no assessment');
select is((select full_name from public.profiles where id = tests.get_supabase_uid('owner')), 'Olive Owner',
  'tests.create_user''s full_name reaches the profile');

update auth.users set email = 'tina.new@chat.test' where id = 'e0000000-0000-4000-8000-000000000001';
select is((select email from public.profiles where id = 'e0000000-0000-4000-8000-000000000001'), 'tina.new@chat.test',
  'changing auth.users.email updates profiles.email');
update auth.users set raw_user_meta_data = '{"full_name": "Renamed"}' where id = 'e0000000-0000-4000-8000-000000000001';
select is((select email from public.profiles where id = 'e0000000-0000-4000-8000-000000000001'), 'tina.new@chat.test',
  'other auth.users updates leave profiles.email alone');

update public.profiles set updated_at = '2000-01-01', full_name = 'Tina T.' where id = 'e0000000-0000-4000-8000-000000000001';
select is((select updated_at from public.profiles where id = 'e0000000-0000-4000-8000-000000000001'), now(),
  'updating a profile sets updated_at (trigger)');

select is((select has_completed_personality_assessment from public.profiles where id = 'e0000000-0000-4000-8000-000000000001'),
  false, 'generated: no assessment while personality_completed_at is null');
update public.profiles set personality_completed_at = now() where id = 'e0000000-0000-4000-8000-000000000001';
select is((select has_completed_personality_assessment from public.profiles where id = 'e0000000-0000-4000-8000-000000000001'),
  true, 'generated: assessment completed once personality_completed_at is set');
select throws_ok($$ update public.profiles set has_completed_personality_assessment = false
                    where id = 'e0000000-0000-4000-8000-000000000001' $$,
  '428C9', null, 'the generated column cannot be written');

-- Deleting the auth user removes the profile and everything hanging from it.
insert into public.chat_sessions (id, user_id) values ('a0000000-0000-4000-8000-0000000000e1', 'e0000000-0000-4000-8000-000000000001');
insert into public.chat_messages (user_id, message_text, sender_type, session_id)
  values ('e0000000-0000-4000-8000-000000000001', 'bye', 'user', 'a0000000-0000-4000-8000-0000000000e1');
insert into public.user_memories (user_id, memory_key, memory_value) values ('e0000000-0000-4000-8000-000000000001', 'k', 'v');
insert into public.agent_analyses (user_id, agent_type) values ('e0000000-0000-4000-8000-000000000001', 'personality');
delete from auth.users where id = 'e0000000-0000-4000-8000-000000000001';
select is_empty($$ select from public.profiles where id = 'e0000000-0000-4000-8000-000000000001' $$,
  'deleting the auth user deletes the profile');
select is(array[(select count(*) from public.chat_sessions where user_id = 'e0000000-0000-4000-8000-000000000001'),
                (select count(*) from public.chat_messages where user_id = 'e0000000-0000-4000-8000-000000000001'),
                (select count(*) from public.user_memories where user_id = 'e0000000-0000-4000-8000-000000000001'),
                (select count(*) from public.agent_analyses where user_id = 'e0000000-0000-4000-8000-000000000001')],
          array[0, 0, 0, 0]::bigint[], '... and cascades to sessions, messages, memories and analyses');

select is_definer('convo', 'handle_new_user', '{}'::name[], 'convo.handle_new_user() is SECURITY DEFINER');
select is_definer('convo', 'sync_user_email', '{}'::name[], 'convo.sync_user_email() is SECURITY DEFINER');
select ok(not has_function_privilege('authenticated', 'convo.handle_new_user()', 'execute')
          and not has_function_privilege('anon', 'convo.sync_user_email()', 'execute'),
          'the trigger functions are not executable by the API roles');

-- CHECK and UNIQUE constraints -------------------------------------------------------------------
select throws_ok($$ update public.profiles set personality_openness = 101 where id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'a Big Five score above 100 is refused');
select throws_ok($$ update public.profiles set personality_neuroticism = -1 where id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'a Big Five score below 0 is refused');
select lives_ok($$ update public.profiles set personality_openness = 0, personality_conscientiousness = 100,
                     personality_extraversion = 0, personality_agreeableness = 100, personality_neuroticism = 0
                   where id = tests.get_supabase_uid('owner') $$, 'Big Five scores 0 and 100 are accepted');
select throws_ok($$ update public.profiles set profile_completion_percentage = 100.5 where id = tests.get_supabase_uid('owner') $$,
  '23514', null, 'profile_completion_percentage above 100 is refused');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, sentiment_score)
                    values (tests.get_supabase_uid('owner'), 'x', 'user', 1.01) $$, '23514', null, 'sentiment above 1 is refused');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, sentiment_score)
                    values (tests.get_supabase_uid('owner'), 'x', 'user', -0.01) $$, '23514', null, 'sentiment below 0 is refused');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, sentiment_score)
                   values (tests.get_supabase_uid('owner'), 'low', 'user', 0), (tests.get_supabase_uid('owner'), 'high', 'user', 1) $$,
  'sentiment 0 and 1 are accepted');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                    values (tests.get_supabase_uid('owner'), 'x', 'bot') $$, '23514', null, 'sender_type other than user/ai is refused');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to)
                    values (tests.get_supabase_uid('owner'), 'x', 'user', 'b0000000-0000-4000-8000-000000000005') $$,
  '23514', null, 'a user message cannot have reply_to');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to)
                   values (tests.get_supabase_uid('owner'), 'second answer', 'ai', 'b0000000-0000-4000-8000-000000000001') $$,
  'a user message may get a second reply (a regeneration: B0_branches.sql)');
-- Changed in 20261123010000_chat_clients (issue 10): an unknown session id is created for the
-- message's user on first use (the seed's backend generates its own session ids).
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                   values (tests.get_supabase_uid('owner'), 'x', 'user', 'a0000000-0000-4000-8000-0000000000e2') $$,
  'an unknown session id is created on first use (see 11_chat_clients.sql)');
delete from public.chat_sessions where id = 'a0000000-0000-4000-8000-0000000000e2';
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value, importance)
                    values (tests.get_supabase_uid('owner'), 'mood', 'ok', 'urgent') $$, '23514', null, 'importance other than high/medium/low is refused');
select lives_ok($$ insert into public.user_memories (user_id, memory_key, memory_value, importance)
                   values (tests.get_supabase_uid('owner'), 'hobby', 'chess', 'low') $$, 'importance low is accepted');
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value)
                    values (tests.get_supabase_uid('owner'), 'name', 'Olive again') $$, '23505', null, 'a memory key is unique per user');
select lives_ok($$ insert into public.user_memories (user_id, memory_key, memory_value)
                   values (tests.get_supabase_uid('other'), 'favorite_anime', 'Naruto') $$, '... but another user may use the same key');
select throws_ok($$ insert into public.agent_analyses (user_id, agent_type) values (tests.get_supabase_uid('owner'), 'personality') $$,
  '23505', null, 'an agent type is unique per user');
insert into public.agent_analyses (user_id, agent_type, analysis_data) values (tests.get_supabase_uid('owner'), 'personality', '{"mood": "happy"}')
  on conflict (user_id, agent_type) do update set analysis_data = excluded.analysis_data;
select results_eq($$ select id, analysis_data from public.agent_analyses
                     where user_id = tests.get_supabase_uid('owner') and agent_type = 'personality' $$,
  $$ values ('d0000000-0000-4000-8000-000000000001'::uuid, '{"mood": "happy"}'::jsonb) $$,
  'the upsert on (user_id, agent_type) updates the one row in place');


-- RLS matrix: profiles ----------------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select id from public.profiles', array[tests.get_supabase_uid('owner')], 'owner: selects only their own profile');
-- a user may (up)sert their own profile (pgrx-tests/41_mediation_clients.sql); a second row for the
-- same id is the primary key's 23505, and another id is refused below
select throws_ok($$ insert into public.profiles (id) values (tests.get_supabase_uid('owner')) $$, '23505', null,
  'owner: their profile exists already: a plain insert of it is a duplicate (23505)');
select is(tests.affected($$ update public.profiles set full_name = 'Olive O.' where id = tests.get_supabase_uid('owner') $$), 1::bigint,
  'owner: updates their own profile');
select throws_ok($$ update public.profiles set id = gen_random_uuid() where id = tests.get_supabase_uid('owner') $$, '42501', null,
  'owner: cannot change their profile''s id');
select throws_ok($$ update public.profiles set email = 'mallory@chat.test' where id = tests.get_supabase_uid('owner') $$, '42501', null,
  'owner: cannot change their email through profiles (auth.users owns it)');
select is(tests.affected($$ delete from public.profiles where id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'owner: cannot delete their profile');

select tests.authenticate_as('orphan');
select lives_ok($$ insert into public.profiles (id) values (tests.get_supabase_uid('orphan')) $$,
  'a user without a profile may create their own through the API');
-- put it back the way the service-role test below expects
select tests.reset_authentication();
delete from public.profiles where id = tests.get_supabase_uid('orphan');

select tests.authenticate_as('other');
select is_empty($$ select from public.profiles where id = tests.get_supabase_uid('owner') $$, 'other user: does not see the owner''s profile');
select throws_ok($$ insert into public.profiles (id) values (tests.get_supabase_uid('orphan')) $$, '42501', null,
  'other user: cannot insert a profile for someone else');
select is(tests.affected($$ update public.profiles set full_name = 'hacked' where id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s profile touches 0 rows');
select is(tests.affected($$ delete from public.profiles where id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s profile touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.profiles', 'anon: sees no profile');
select throws_ok($$ insert into public.profiles (id) values (tests.get_supabase_uid('orphan')) $$, '42501', null, 'anon: cannot insert a profile');
select is(tests.affected($$ update public.profiles set full_name = 'hacked' $$) + tests.affected('delete from public.profiles'),
  0::bigint, 'anon: updates and deletes touch 0 profiles');

select tests.authenticate_as_service_role();
select is((select count(*) from public.profiles where id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 2::bigint,
  'service_role: sees every profile');
select lives_ok($$ insert into public.profiles (id, full_name) values (tests.get_supabase_uid('orphan'), 'Nora') $$,
  'service_role: inserts a profile');
select is(tests.affected($$ update public.profiles set onboarding_completed = true where id = tests.get_supabase_uid('orphan') $$), 1::bigint,
  'service_role: updates any profile');
select is(tests.affected($$ delete from public.profiles where id = tests.get_supabase_uid('orphan') $$), 1::bigint,
  'service_role: deletes any profile');

select tests.reset_authentication();
select results_eq($$ select full_name from public.profiles where id = tests.get_supabase_uid('owner') $$, array['Olive O.'],
  'the owner''s profile: their own update only, the others'' attempts changed nothing');


-- RLS matrix: chat_sessions -----------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select title from public.chat_sessions order by created_at', array['Owner first', 'Owner second'],
  'owner: selects only their own sessions');
select lives_ok($$ insert into public.chat_sessions (id, user_id, title)
                   values ('a0000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'mine') $$, 'owner: creates a session');
select throws_ok($$ insert into public.chat_sessions (user_id) values (tests.get_supabase_uid('other')) $$, '42501', null,
  'owner: cannot create a session for another user');
select is(tests.affected($$ update public.chat_sessions set title = 'Renamed' where id = 'a0000000-0000-4000-8000-000000000001' $$),
  1::bigint, 'owner: renames their own session');
select throws_ok($$ update public.chat_sessions set user_id = tests.get_supabase_uid('other') where id = 'a0000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'owner: cannot give a session away');
select is(tests.affected($$ delete from public.chat_sessions where id = 'a0000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own session');

select tests.authenticate_as('other');
select is_empty($$ select from public.chat_sessions where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s sessions');
select throws_ok($$ insert into public.chat_sessions (user_id) values (tests.get_supabase_uid('owner')) $$, '42501', null,
  'other user: cannot create a session for the owner');
select is(tests.affected($$ update public.chat_sessions set title = 'hacked' where id = 'a0000000-0000-4000-8000-000000000001' $$),
  0::bigint, 'other user: updating the owner''s session touches 0 rows');
select is(tests.affected($$ delete from public.chat_sessions where id = 'a0000000-0000-4000-8000-000000000001' $$), 0::bigint,
  'other user: deleting the owner''s session touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.chat_sessions', 'anon: sees no session');
select throws_ok($$ insert into public.chat_sessions (user_id) values (tests.get_supabase_uid('owner')) $$, '42501', null, 'anon: cannot create a session');
select is(tests.affected($$ update public.chat_sessions set title = 'hacked' $$), 0::bigint, 'anon: updates touch 0 sessions');
select is(tests.affected('delete from public.chat_sessions'), 0::bigint, 'anon: deletes touch 0 sessions');

select tests.authenticate_as_service_role();
select is((select count(*) from public.chat_sessions where id::text like 'a0000000-0000-4000-8000-00000000000_'), 3::bigint,
  'service_role: sees every session');
select lives_ok($$ insert into public.chat_sessions (id, user_id) values ('a0000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('owner')) $$,
  'service_role: creates a session for any user');
select is(tests.affected($$ update public.chat_sessions set last_message_at = now() where id = 'a0000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any session');
select is(tests.affected($$ delete from public.chat_sessions where id = 'a0000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any session');

select tests.reset_authentication();
select results_eq($$ select title from public.chat_sessions where id = 'a0000000-0000-4000-8000-000000000001' $$, array['Renamed'],
  'the owner''s session: renamed by the owner only');
select is((select count(*) from public.chat_sessions where id::text like 'a0000000-0000-4000-8000-00000000000_'), 3::bigint,
  'no fixture session was deleted by another user or anon');


-- RLS matrix: chat_messages -----------------------------------------------------------------------
select tests.authenticate_as('owner');
select is((select array_agg(distinct user_id) from public.chat_messages), array[tests.get_supabase_uid('owner')],
  'owner: selects only their own messages');
select lives_ok($$ insert into public.chat_messages (id, user_id, message_text, sender_type)
                   values ('b0000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'no session', 'user') $$,
  'owner: writes a message without a session');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id, reply_to)
                   values (tests.get_supabase_uid('owner'), 'a reply', 'ai', 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000005') $$,
  'owner: writes a reply to their own message in their own session');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                    values (tests.get_supabase_uid('owner'), 'x', 'user', 'a0000000-0000-4000-8000-000000000003') $$, '42501', null,
  'owner: cannot write into another user''s session');
select lives_ok($$ with u as (
                     insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                     values (tests.get_supabase_uid('owner'), 'pair question', 'user', 'a0000000-0000-4000-8000-000000000001')
                     returning id, "timestamp")
                   insert into public.chat_messages (user_id, message_text, sender_type, session_id, reply_to, "timestamp")
                   select tests.get_supabase_uid('owner'), 'pair answer', 'ai', 'a0000000-0000-4000-8000-000000000001', u.id,
                          u."timestamp" + interval '1 microsecond'
                   from u $$,
  'owner: writes a user message and its reply in ONE statement (store_chat_pair''s way) through RLS');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                    values (tests.get_supabase_uid('other'), 'x', 'user') $$, '42501', null, 'owner: cannot write a message as another user');
select is(tests.affected($$ update public.chat_messages set message_text = 'edited' where id = 'b0000000-0000-4000-8000-000000000001' $$),
  0::bigint, 'owner: cannot edit messages (no update policy: 0 rows)');
select is(tests.affected($$ delete from public.chat_messages where id = 'b0000000-0000-4000-8000-000000000006' $$), 1::bigint,
  'owner: deletes their own message');

select tests.authenticate_as('other');
select is_empty($$ select from public.chat_messages where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s messages');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                    values (tests.get_supabase_uid('owner'), 'x', 'user') $$, '42501', null, 'other user: cannot write a message for the owner');
select is(tests.affected($$ update public.chat_messages set message_text = 'hacked' where id = 'b0000000-0000-4000-8000-000000000001' $$),
  0::bigint, 'other user: updating the owner''s message touches 0 rows');
select is(tests.affected($$ delete from public.chat_messages where id = 'b0000000-0000-4000-8000-000000000001' $$), 0::bigint,
  'other user: deleting the owner''s message touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.chat_messages', 'anon: sees no message');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                    values (tests.get_supabase_uid('owner'), 'x', 'user') $$, '42501', null, 'anon: cannot write a message');
select is(tests.affected($$ update public.chat_messages set message_text = 'hacked' $$), 0::bigint, 'anon: updates touch 0 messages');
select is(tests.affected('delete from public.chat_messages'), 0::bigint, 'anon: deletes touch 0 messages');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.chat_messages where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s messages');
select lives_ok($$ insert into public.chat_messages (id, user_id, message_text, sender_type)
                   values ('b0000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('other'), 'from the backend', 'user') $$,
  'service_role: writes a message for any user');
select is(tests.affected($$ update public.chat_messages set mood_detected = 'calm' where id = 'b0000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: updates any message');
select is(tests.affected($$ delete from public.chat_messages where id = 'b0000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any message');

select tests.reset_authentication();
select results_eq($$ select message_text from public.chat_messages where id = 'b0000000-0000-4000-8000-000000000001' $$,
  array['I feel anxious today'], 'the owner''s message is unchanged and still there');
select is_empty($$ select from public.chat_messages where id in ('b0000000-0000-4000-8000-000000000006', 'b0000000-0000-4000-8000-000000000007') $$,
  'deleting a user message deleted its reply too');
select is((select count(*) from public.chat_messages where user_id = tests.get_supabase_uid('other')), 2::bigint,
  'the other user''s messages are all still there');
-- put back the deleted pair for the history tests
insert into public.chat_messages (id, user_id, message_text, sender_type, session_id, "timestamp", reply_to) values
  ('b0000000-0000-4000-8000-000000000006', tests.get_supabase_uid('owner'), 'A new topic', 'user', 'a0000000-0000-4000-8000-000000000002', now() - interval '1 hour', null),
  ('b0000000-0000-4000-8000-000000000007', tests.get_supabase_uid('owner'), 'Sure, go ahead', 'ai', 'a0000000-0000-4000-8000-000000000002', now() - interval '1 hour' + interval '1 second', 'b0000000-0000-4000-8000-000000000006');
delete from public.chat_messages where user_id = tests.get_supabase_uid('owner')
  and id not in (select ('b0000000-0000-4000-8000-00000000000' || i)::uuid from generate_series(1, 7) i);
select is((select count(*) from public.chat_messages where user_id = tests.get_supabase_uid('owner')), 7::bigint,
  'the owner''s fixture messages are back to the seven of the fixtures');


-- RLS matrix: user_memories -----------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select memory_key from public.user_memories order by memory_key',
  array['favorite_anime', 'favorite_food', 'hobby', 'name', 'pet'], 'owner: selects only their own memories');
select lives_ok($$ insert into public.user_memories (id, user_id, memory_key, memory_value)
                   values ('c0000000-0000-4000-8000-0000000000f1', tests.get_supabase_uid('owner'), 'city', 'Dhaka') $$, 'owner: adds a memory');
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value) values (tests.get_supabase_uid('other'), 'k', 'v') $$,
  '42501', null, 'owner: cannot add a memory for another user');
select is(tests.affected($$ update public.user_memories set memory_value = 'Chittagong' where id = 'c0000000-0000-4000-8000-0000000000f1' $$),
  1::bigint, 'owner: edits their own memory');
select is(tests.affected($$ delete from public.user_memories where id = 'c0000000-0000-4000-8000-0000000000f1' $$), 1::bigint,
  'owner: deletes their own memory');

select tests.authenticate_as('other');
select is_empty($$ select from public.user_memories where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s memories');
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value) values (tests.get_supabase_uid('owner'), 'k', 'v') $$,
  '42501', null, 'other user: cannot add a memory for the owner');
select is(tests.affected($$ update public.user_memories set memory_value = 'hacked' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s memories touches 0 rows');
select is(tests.affected($$ delete from public.user_memories where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s memories touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.user_memories', 'anon: sees no memory');
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value) values (tests.get_supabase_uid('owner'), 'k', 'v') $$,
  '42501', null, 'anon: cannot add a memory');
select is(tests.affected($$ update public.user_memories set memory_value = 'hacked' $$), 0::bigint, 'anon: updates touch 0 memories');
select is(tests.affected('delete from public.user_memories'), 0::bigint, 'anon: deletes touch 0 memories');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.user_memories where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s memories');
select lives_ok($$ insert into public.user_memories (id, user_id, memory_key, memory_value)
                   values ('c0000000-0000-4000-8000-0000000000f2', tests.get_supabase_uid('owner'), 'service', 'yes') $$,
  'service_role: adds a memory for any user');
select is(tests.affected($$ update public.user_memories set importance = 'high' where id = 'c0000000-0000-4000-8000-0000000000f2' $$),
  1::bigint, 'service_role: edits any memory');
select is(tests.affected($$ delete from public.user_memories where id = 'c0000000-0000-4000-8000-0000000000f2' $$), 1::bigint,
  'service_role: deletes any memory');

select tests.reset_authentication();
select results_eq($$ select memory_value from public.user_memories where user_id = tests.get_supabase_uid('owner') order by memory_key $$,
  array['Re:Zero', 'dumplings', 'chess', 'Olive', 'a cat'], 'the owner''s memories are unchanged by the other user and anon');
delete from public.user_memories where user_id = tests.get_supabase_uid('owner') and memory_key = 'hobby';
select is((select count(*) from public.user_memories where user_id = tests.get_supabase_uid('other')), 2::bigint,
  'the other user''s memories are all still there');


-- RLS matrix: agent_analyses ----------------------------------------------------------------------
select tests.authenticate_as('owner');
select results_eq('select agent_type from public.agent_analyses order by agent_type', array['music', 'personality'],
  'owner: selects only their own analyses');
select lives_ok($$ insert into public.agent_analyses (user_id, agent_type) values (tests.get_supabase_uid('owner'), 'video') $$,
  'owner: stores an analysis');
select throws_ok($$ insert into public.agent_analyses (user_id, agent_type) values (tests.get_supabase_uid('other'), 'video') $$,
  '42501', null, 'owner: cannot store an analysis for another user');
select is(tests.affected($$ update public.agent_analyses set analysis_data = '{"v": 2}' where agent_type = 'video' $$),
  1::bigint, 'owner: updates their own analysis');
select is(tests.affected($$ delete from public.agent_analyses where agent_type = 'video' $$), 1::bigint,
  'owner: deletes their own analysis');

select tests.authenticate_as('other');
select is_empty($$ select from public.agent_analyses where user_id = tests.get_supabase_uid('owner') $$, 'other user: sees none of the owner''s analyses');
select throws_ok($$ insert into public.agent_analyses (user_id, agent_type) values (tests.get_supabase_uid('owner'), 'video') $$,
  '42501', null, 'other user: cannot store an analysis for the owner');
select is(tests.affected($$ update public.agent_analyses set analysis_data = '{}' where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: updating the owner''s analyses touches 0 rows');
select is(tests.affected($$ delete from public.agent_analyses where user_id = tests.get_supabase_uid('owner') $$), 0::bigint,
  'other user: deleting the owner''s analyses touches 0 rows');

select tests.clear_authentication();
select is_empty('select from public.agent_analyses', 'anon: sees no analysis');
select throws_ok($$ insert into public.agent_analyses (user_id, agent_type) values (tests.get_supabase_uid('owner'), 'video') $$,
  '42501', null, 'anon: cannot store an analysis');
select is(tests.affected($$ update public.agent_analyses set analysis_data = '{}' $$), 0::bigint, 'anon: updates touch 0 analyses');
select is(tests.affected('delete from public.agent_analyses'), 0::bigint, 'anon: deletes touch 0 analyses');

select tests.authenticate_as_service_role();
select is((select count(distinct user_id) from public.agent_analyses where user_id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))),
  2::bigint, 'service_role: sees every user''s analyses');
select lives_ok($$ insert into public.agent_analyses (user_id, agent_type) values (tests.get_supabase_uid('other'), 'video') $$,
  'service_role: stores an analysis for any user');
select is(tests.affected($$ update public.agent_analyses set analysis_data = '{"s": 1}' where agent_type = 'video' $$),
  1::bigint, 'service_role: updates any analysis');
select is(tests.affected($$ delete from public.agent_analyses where agent_type = 'video' $$), 1::bigint,
  'service_role: deletes any analysis');

select tests.reset_authentication();
select results_eq($$ select agent_type, analysis_data from public.agent_analyses where user_id = tests.get_supabase_uid('owner') order by agent_type $$,
  $$ values ('music', '{}'::jsonb), ('personality', '{"mood": "happy"}'::jsonb) $$,
  'the owner''s analyses are unchanged by the other user and anon');
update public.agent_analyses set updated_at = '2000-01-01', analysis_data = '{"mood": "calm"}'
  where user_id = tests.get_supabase_uid('owner') and agent_type = 'personality';
select is((select updated_at from public.agent_analyses where user_id = tests.get_supabase_uid('owner') and agent_type = 'personality'), now(),
  'updating an analysis sets updated_at (trigger)');


-- personality_profiles: invoker rights ---------------------------------------------------------
select is((select reloptions from pg_class where oid = 'public.personality_profiles'::regclass), array['security_invoker=true'],
  'personality_profiles is security_invoker');
select tests.clear_authentication();
select throws_ok('select * from public.personality_profiles', '42501', null, 'anon: may not read personality_profiles');
select tests.authenticate_as('owner');
select results_eq('select id from public.personality_profiles', array[tests.get_supabase_uid('owner')],
  'owner: sees only their own row in personality_profiles');
select throws_ok($$ update public.personality_profiles set full_name = 'x' $$, '42501', null,
  'the view is read-only for users');
select tests.authenticate_as('other');
select results_eq('select id from public.personality_profiles', array[tests.get_supabase_uid('other')],
  'other user: sees only their own row, not the owner''s');
select tests.authenticate_as_service_role();
select is((select count(*) from public.personality_profiles where id in (tests.get_supabase_uid('owner'), tests.get_supabase_uid('other'))), 2::bigint,
  'service_role: sees every completed profile');
select tests.reset_authentication();
select is((select count(*) from public.personality_profiles),
          (select count(*) from public.profiles where personality_completed_at is not null),
          'only profiles with a completed assessment are in the view');


-- get_chat_history ---------------------------------------------------------------------------------
select volatility_is('public', 'get_chat_history', array['integer', 'integer', 'uuid', 'uuid'], 'stable', 'get_chat_history is STABLE');
select ok(not has_function_privilege('anon', 'public.get_chat_history(integer, integer, uuid, uuid)', 'execute')
          and has_function_privilege('authenticated', 'public.get_chat_history(integer, integer, uuid, uuid)', 'execute')
          and has_function_privilege('service_role', 'public.get_chat_history(integer, integer, uuid, uuid)', 'execute'),
          'get_chat_history: authenticated and service_role may execute it, anon may not');
select tests.authenticate_as('owner');
select results_eq(
  'select user_message_id, user_message, ai_message_id, ai_response from public.get_chat_history()',
  $$ values ('b0000000-0000-4000-8000-000000000006'::uuid, 'A new topic', 'b0000000-0000-4000-8000-000000000007'::uuid, 'Sure, go ahead'),
            ('b0000000-0000-4000-8000-000000000005'::uuid, 'Thanks', null::uuid, null::text),
            ('b0000000-0000-4000-8000-000000000003'::uuid, 'Tell me about Re:Zero', 'b0000000-0000-4000-8000-000000000004'::uuid, 'Re:Zero is a story about loops'),
            ('b0000000-0000-4000-8000-000000000001'::uuid, 'I feel anxious today', 'b0000000-0000-4000-8000-000000000002'::uuid, 'I am here for you') $$,
  'get_chat_history(): the caller''s pairs, newest first, an unanswered message with a null reply');
select results_eq(
  $$ select mood_detected, sentiment_score, session_id, user_timestamp, ai_timestamp from public.get_chat_history()
     where user_message_id = 'b0000000-0000-4000-8000-000000000001' $$,
  $$ values ('anxious', 0.2, 'a0000000-0000-4000-8000-000000000001'::uuid, now() - interval '4 hours',
             now() - interval '4 hours' + interval '1 second') $$,
  'get_chat_history(): the user message''s mood, sentiment, session and both timestamps');
select results_eq('select user_message from public.get_chat_history(p_limit => 2, p_offset => 1)',
  array['Thanks', 'Tell me about Re:Zero'], 'get_chat_history(2, 1): limit and offset');
select results_eq($$ select user_message from public.get_chat_history(p_session_id => 'a0000000-0000-4000-8000-000000000001') $$,
  array['Thanks', 'Tell me about Re:Zero', 'I feel anxious today'], 'get_chat_history(p_session_id): one session only');
select is_empty($$ select from public.get_chat_history(p_session_id => 'a0000000-0000-4000-8000-000000000003') $$,
  'get_chat_history: another user''s session id yields nothing');
select throws_ok('select public.get_chat_history(0)', '22023', null, 'get_chat_history: p_limit 0 is refused (22023)');
select throws_ok('select public.get_chat_history(201)', '22023', null, 'get_chat_history: p_limit 201 is refused (22023)');
select throws_ok('select public.get_chat_history(10, -1)', '22023', null, 'get_chat_history: a negative p_offset is refused (22023)');
select lives_ok('select public.get_chat_history(200, 0)', 'get_chat_history: p_limit 200 is accepted');
select tests.authenticate_as('other');
select results_eq('select user_message, ai_response from public.get_chat_history()',
  $$ values ('Oscar''s secret', 'Safe with me') $$, 'get_chat_history() as the other user: only their pairs');
select tests.clear_authentication();
select throws_ok('select public.get_chat_history()', '42501', null, 'anon cannot call get_chat_history');
select tests.reset_authentication();
select isnt(obj_description('public.get_chat_history(integer, integer, uuid, uuid)'::regprocedure, 'pg_proc'), null,
  'get_chat_history has a comment (PostgREST''s OpenAPI description)');


-- get_memories ------------------------------------------------------------------------------------
select volatility_is('public', 'get_memories', array['integer', 'text', 'uuid'], 'volatile', 'get_memories is VOLATILE (it records the read)');
select tests.authenticate_as('owner');
select results_eq('select memory_key, access_count from public.get_memories(2)',
  $$ values ('name', 1), ('favorite_food', 1) $$,
  'get_memories(2): high importance first, then the most recently updated medium one; access_count already bumped');
select tests.reset_authentication();
select results_eq($$ select memory_key, access_count, last_accessed is not null from public.user_memories
                     where user_id = tests.get_supabase_uid('owner') order by memory_key $$,
  $$ values ('favorite_anime', 0, false), ('favorite_food', 1, true), ('name', 1, true), ('pet', 0, false) $$,
  'get_memories bumped access_count and last_accessed of exactly the rows it returned');
select is((select updated_at from public.user_memories where id = 'c0000000-0000-4000-8000-000000000002'), now() - interval '10 days',
  'recording an access leaves updated_at alone (the order is stable)');
select tests.authenticate_as('owner');
select results_eq($$ select memory_key from public.get_memories(p_category => 'favorite') $$,
  array['favorite_food', 'favorite_anime'], 'get_memories(p_category): one category, most recent first');
select results_eq('select memory_key from public.get_memories()', array['name', 'favorite_food', 'favorite_anime', 'pet'],
  'get_memories(): all of them, high → medium → low');
select throws_ok('select public.get_memories(0)', '22023', null, 'get_memories: p_limit 0 is refused (22023)');
select throws_ok('select public.get_memories(201)', '22023', null, 'get_memories: p_limit 201 is refused (22023)');
select tests.reset_authentication();
select results_eq($$ select memory_key, access_count from public.user_memories where user_id = tests.get_supabase_uid('owner') order by memory_key $$,
  $$ values ('favorite_anime', 2), ('favorite_food', 3), ('name', 2), ('pet', 1) $$,
  'each call counted once per returned row; refused calls counted nothing');
select is((select access_count from public.user_memories where user_id = tests.get_supabase_uid('other') and memory_key = 'name'), 0,
  'get_memories never touches another user''s memories');
select ok(not has_function_privilege('anon', 'public.get_memories(integer, text, uuid)', 'execute')
          and has_function_privilege('authenticated', 'public.get_memories(integer, text, uuid)', 'execute')
          and has_function_privilege('service_role', 'public.get_memories(integer, text, uuid)', 'execute'),
          'get_memories: authenticated and service_role may execute it, anon may not');
select isnt(obj_description('public.get_memories(integer, text, uuid)'::regprocedure, 'pg_proc'), null,
  'get_memories has a comment (PostgREST''s OpenAPI description)');


-- The trigram index serves ilike '%…%' on 100k rows ------------------------------------------------
select tests.create_supabase_user('bulk', 'bulk@chat.test', metadata => jsonb_build_object('full_name', 'Bulk Writer'));
insert into public.chat_messages (user_id, message_text, sender_type, "timestamp")
select tests.get_supabase_uid('bulk'),
       case when i % 10000 = 0 then 'I found a needle in the haystack, number ' || i
            else 'message ' || i || ': ' || (array['hello there', 'how are you feeling', 'I feel happy today',
                   'tell me a story about dragons', 'good night, see you tomorrow', 'what is the weather like'])[i % 6 + 1]
       end,
       case when i % 2 = 0 then 'user' else 'ai' end,
       now() - make_interval(secs => i)
from generate_series(1, 100000) i;
analyze public.chat_messages;
select ok(tests.plan_of($$ select * from public.chat_messages where message_text ilike '%needle%' $$)
          like '%"Index Name": "chat_messages_message_text_trgm_idx"%',
          'EXPLAIN on 100k rows: message_text ilike ''%needle%'' uses chat_messages_message_text_trgm_idx');
-- The seed's backend searches with the service_role key (BYPASSRLS). Under RLS, as authenticated,
-- ILIKE is not leakproof and cannot be an index condition (see the migration's comment).
select tests.authenticate_as_service_role();
select ok(tests.plan_of(format($$ select * from public.chat_messages where user_id = %L and message_text ilike '%%NEEDLE%%'
                                  order by "timestamp" desc limit 50 $$, tests.get_supabase_uid('bulk')))
          like '%"Index Name": "chat_messages_message_text_trgm_idx"%',
          'EXPLAIN as service_role: the seed''s search (eq user_id, ilike, order by timestamp desc, limit) uses it too');
select tests.reset_authentication();
select is((select count(*) from public.chat_messages where message_text ilike '%NEEDLE%'), 10::bigint,
  'the case-insensitive search finds the 10 needles');

select * from finish();
rollback;
