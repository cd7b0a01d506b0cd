-- Companion chat for real clients (migration 20261123010000_chat_clients; issues 10 and 11):
-- chat sessions created on first use and someone else's refused without a trace, explicit nulls
-- taking defaults, the acting-user rule of get_memories / get_chat_history / store_chat_pair,
-- server-maintained columns, bounds, and error messages without caller text.
begin;
select plan(92);


select tests.create_supabase_user('owner', 'olga@clients.test', metadata => jsonb_build_object('full_name', 'Olga Owner'));
select tests.create_supabase_user('other', 'otto@clients.test', metadata => jsonb_build_object('full_name', 'Otto Other'));
-- s1: the owner's existing session (titled, so a leak of its title would show)
insert into public.chat_sessions (id, user_id, title)
values ('a1000000-0000-4000-8000-000000000001', tests.get_supabase_uid('owner'), 'Olga''s secret plans');


-- 1. Chat sessions created on first use (issue 10 #3) ----------------------------------------------------
select tests.authenticate_as('owner');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                   values (tests.get_supabase_uid('owner'), 'first words', 'user', 'a1000000-0000-4000-8000-0000000000a1') $$,
  'a user''s message with a session id that does not exist yet is stored');
select results_eq($$ select user_id, title from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000a1' $$,
  $$ values (tests.get_supabase_uid('owner'), null::text) $$,
  '... and that session now exists, the user''s (they see it under RLS)');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                   values (tests.get_supabase_uid('owner'), 'more words', 'user', 'a1000000-0000-4000-8000-0000000000a1'),
                          (tests.get_supabase_uid('owner'), 'and more', 'user', 'a1000000-0000-4000-8000-0000000000a1') $$,
  'more messages into it, two in one statement');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                   values (tests.get_supabase_uid('owner'), 'old session', 'user', 'a1000000-0000-4000-8000-000000000001') $$,
  'a message into the user''s existing session');

select tests.authenticate_as('other');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                              values (tests.get_supabase_uid('other'), 'hi', 'user', 'a1000000-0000-4000-8000-000000000001') $$, null, true),
  '42501: this chat session cannot be used by this user',
  'another user''s session is refused (42501), naming neither the session, its owner nor its title');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                              values (tests.get_supabase_uid('owner'), 'hi', 'user', 'a1000000-0000-4000-8000-0000000000a2') $$, null, true),
  '42501: new row violates row-level security policy for table "chat_messages"',
  'a message for another user into a new session id: RLS refuses it (42501) ...');
select tests.clear_authentication();
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                    values (tests.get_supabase_uid('owner'), 'hi', 'user', 'a1000000-0000-4000-8000-0000000000a3') $$,
  '42501', null, 'anon: a message with a new session id is refused (42501) ...');

select tests.authenticate_as_service_role();
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                   values (tests.get_supabase_uid('other'), 'from the backend', 'user', 'a1000000-0000-4000-8000-0000000000b1'),
                          (tests.get_supabase_uid('other'), 'its reply', 'ai', 'a1000000-0000-4000-8000-0000000000b1') $$,
  'service_role: the seed''s backend writes messages with a session id it generated');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                              values (tests.get_supabase_uid('other'), 'x', 'user', 'a1000000-0000-4000-8000-000000000001') $$, null, true),
  '42501: this chat session cannot be used by this user',
  'service_role: a message for one user into another user''s session is refused too (42501)');

select tests.reset_authentication();
select is((select user_id from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000b1'), tests.get_supabase_uid('other'),
  'the backend''s session belongs to the message''s user');
select is_empty($$ select from public.chat_sessions where id in ('a1000000-0000-4000-8000-0000000000a2',
                                                                 'a1000000-0000-4000-8000-0000000000a3') $$,
  '... and the refused messages created no session');
select is((select count(*) from public.chat_messages where session_id = 'a1000000-0000-4000-8000-000000000001'), 1::bigint,
  'the owner''s session holds only the owner''s message');
select results_eq($$ select user_id, title from public.chat_sessions where id = 'a1000000-0000-4000-8000-000000000001' $$,
  $$ values (tests.get_supabase_uid('owner'), 'Olga''s secret plans') $$, 'the owner''s session is unchanged');

-- store_chat_pair: the same rule, before the Rust function runs
select tests.authenticate_as('owner');
select isnt(public.store_chat_pair(tests.get_supabase_uid('owner'), 'hello', 'hi!', 'a1000000-0000-4000-8000-0000000000c1'), null,
  'store_chat_pair with a new session id stores the pair');
select isnt(public.store_chat_pair(null, 'p_user_id null', 'is you', 'a1000000-0000-4000-8000-0000000000c1'), null,
  'store_chat_pair: a signed-in user may pass p_user_id null (acts for themselves)');
select tests.authenticate_as('other');
select is(tests.error_of($$ select public.store_chat_pair(tests.get_supabase_uid('other'), 'm', 'r', 'a1000000-0000-4000-8000-000000000001') $$, null, true),
  '42501: this chat session cannot be used by this user',
  'store_chat_pair into another user''s session: 42501, nothing about the session');
select is(tests.error_of($$ select public.store_chat_pair(tests.get_supabase_uid('owner'), 'm', 'r', null) $$, null, true),
  '42501: p_user_id must be omitted or be the signed-in user',
  'store_chat_pair for another user: 42501');
select is(tests.error_of($$ select public.store_chat_pair(tests.get_supabase_uid('other'), '   ', 'r', 'a1000000-0000-4000-8000-0000000000c2') $$, null, true),
  '22023: p_user_message must not be blank', 'a refused pair (blank message) with a new session id: 22023 ...');
select tests.authenticate_as_service_role();
select isnt(public.store_chat_pair(tests.get_supabase_uid('other'), 'via backend', 'ok', 'a1000000-0000-4000-8000-0000000000c3'), null,
  'service_role: store_chat_pair with a new session id for the user it names');
select throws_ok($$ select public.store_chat_pair(tests.get_supabase_uid('other'), 'm', 'r', 'a1000000-0000-4000-8000-000000000001') $$,
  '42501', null, 'service_role: store_chat_pair into another user''s session: 42501');
select throws_ok($$ select public.store_chat_pair(null, 'm', 'r', null) $$,
  '22023', null, 'service_role: store_chat_pair without p_user_id: 22023');
select tests.clear_authentication();
select throws_ok($$ select public.store_chat_pair(tests.get_supabase_uid('owner'), 'm', 'r', 'a1000000-0000-4000-8000-0000000000c4') $$,
  '42501', null, 'anon: store_chat_pair is refused (42501)');

select tests.reset_authentication();
select results_eq($$ select s.id, s.user_id, count(m.*) from public.chat_sessions s left join public.chat_messages m on m.session_id = s.id
                     where s.id::text like 'a1000000-0000-4000-8000-0000000000c_' group by s.id order by s.id $$,
  $$ values ('a1000000-0000-4000-8000-0000000000c1'::uuid, tests.get_supabase_uid('owner'), 4::bigint),
            ('a1000000-0000-4000-8000-0000000000c3'::uuid, tests.get_supabase_uid('other'), 2::bigint) $$,
  'store_chat_pair created exactly the accepted sessions, each its user''s; the refused calls left nothing');
select is((select count(*) from public.chat_messages where session_id = 'a1000000-0000-4000-8000-000000000001'), 1::bigint,
  'no pair reached the owner''s session from anyone else');
select ok((select bool_and(a."timestamp" > u."timestamp") from public.chat_messages a
           join public.chat_messages u on u.id = a.reply_to
           where a.session_id = 'a1000000-0000-4000-8000-0000000000c1'),
  'a user''s pairs still sort reply-after-message (the server clock for users keeps store_chat_pair''s order)');

-- last_message_at follows the newest message, whichever way it was written
select is((select last_message_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000a1'),
          (select max("timestamp") from public.chat_messages where session_id = 'a1000000-0000-4000-8000-0000000000a1'),
  'direct inserts move the session''s last_message_at to its newest message');
select is((select last_message_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000c1'),
          (select max("timestamp") from public.chat_messages where session_id = 'a1000000-0000-4000-8000-0000000000c1'),
  'store_chat_pair by a user moves last_message_at to the reply');
select is((select last_message_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000c3'),
          (select max("timestamp") from public.chat_messages where session_id = 'a1000000-0000-4000-8000-0000000000c3'),
  'store_chat_pair by the service role likewise');
insert into public.chat_messages (user_id, message_text, sender_type, session_id, "timestamp")
values (tests.get_supabase_uid('owner'), 'backfilled, older', 'user', 'a1000000-0000-4000-8000-0000000000c1', now() - interval '1 year');
select is((select last_message_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000c1'),
          (select max("timestamp") from public.chat_messages where session_id = 'a1000000-0000-4000-8000-0000000000c1'),
  'an older message (a backend''s backfill) never moves last_message_at back');


-- 2. Explicit nulls take the default (issue 10 #4) ----------------------------------------------------------
select tests.authenticate_as('owner');
insert into public.user_memories (user_id, memory_key, memory_value, memory_category, importance)
values (tests.get_supabase_uid('owner'), 'favorite_anime', 'Re:Zero', 'favorite', null);
select is((select importance from public.user_memories where memory_key = 'favorite_anime'), 'medium',
  'user_memories insert with importance null (supabase-py''s None): stored as medium');
insert into public.user_memories (user_id, memory_key, memory_value, importance)
values (tests.get_supabase_uid('owner'), 'name', 'Olga', 'high');
insert into public.user_memories as m (user_id, memory_key, memory_value, memory_category, importance)
values (tests.get_supabase_uid('owner'), 'name', 'Olga K.', null, null)
on conflict (user_id, memory_key) do update
  set memory_value = excluded.memory_value, memory_category = excluded.memory_category, importance = excluded.importance;
select results_eq($$ select memory_value, importance from public.user_memories where memory_key = 'name' $$,
  $$ values ('Olga K.', 'medium') $$,
  'the seed''s upsert (on_conflict user_id,memory_key) with importance null: updated, importance medium');
insert into public.user_memories (user_id, memory_key, memory_value, access_count, created_at, updated_at)
values (tests.get_supabase_uid('owner'), 'nulls', 'v', null, null, null);
select results_eq($$ select access_count, created_at, updated_at from public.user_memories where memory_key = 'nulls' $$,
  $$ values (0, now(), now()) $$, 'user_memories: null access_count / created_at / updated_at take their defaults');
insert into public.agent_analyses (user_id, agent_type, analysis_data) values (tests.get_supabase_uid('owner'), 'music', null);
select is((select analysis_data from public.agent_analyses where agent_type = 'music'), '{}'::jsonb,
  'agent_analyses: analysis_data null takes its default {}');
insert into public.chat_sessions (id, user_id, created_at) values ('a1000000-0000-4000-8000-0000000000d1', tests.get_supabase_uid('owner'), null);
select is((select created_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000d1'), now(),
  'chat_sessions: created_at null takes its default');
select tests.authenticate_as_service_role();
insert into public.chat_messages (id, user_id, message_text, sender_type, "timestamp")
values ('b1000000-0000-4000-8000-0000000000d1', tests.get_supabase_uid('owner'), 'ts null', 'user', null);
select is((select "timestamp" from public.chat_messages where id = 'b1000000-0000-4000-8000-0000000000d1'), now(),
  'chat_messages: timestamp null (as the service role) takes its default');
select throws_ok($$ update public.user_memories set importance = null where memory_key = 'nulls' $$,
  '23502', null, 'an update to null is still refused (23502): only inserts mean "use the default"');


-- 3. Acting for a user: get_memories, get_chat_history (issue 10 #5) -----------------------------------------
select is((select count(*)::int from pg_proc where pronamespace = 'public'::regnamespace
           and proname in ('get_memories', 'get_chat_history', 'store_chat_pair')), 3,
  'one function each for get_memories, get_chat_history and store_chat_pair (no second overload)');
select results_eq($$ select proname::text collate "default", proargnames[1:pronargs]::text collate "default" from pg_proc
                     where pronamespace = 'public'::regnamespace
                       and proname in ('get_memories', 'get_chat_history', 'store_chat_pair') order by 1 $$,
  $$ values ('get_chat_history', '{p_limit,p_offset,p_session_id,p_user_id}'),
            ('get_memories', '{p_limit,p_category,p_user_id}'),
            ('store_chat_pair', '{p_user_id,p_user_message,p_ai_response,p_session_id,p_mood,p_sentiment,p_model,p_prompt_tokens,p_completion_tokens}') $$,
  'parameter names: the seed''s for store_chat_pair, p_user_id last in the readers');

-- known, distinct updated_at values (with the touch trigger off for this fixture update), so that
-- the order is fixed and an unwanted touch would show
select tests.reset_authentication();
alter table public.user_memories disable trigger user_memories_touch_updated_at;
update public.user_memories set updated_at = now() - case memory_key when 'favorite_anime' then interval '1 day'
                                                                    when 'name' then interval '2 days' else interval '3 days' end
where user_id = tests.get_supabase_uid('owner');
alter table public.user_memories enable trigger user_memories_touch_updated_at;
select tests.authenticate_as_service_role();
select results_eq($$ select memory_key, access_count from public.get_memories(p_user_id => tests.get_supabase_uid('owner')) $$,
  $$ values ('favorite_anime', 1), ('name', 1), ('nulls', 1) $$,
  'service_role: get_memories(p_user_id) returns that user''s memories, the read recorded');
select tests.authenticate_as('owner');
select results_eq($$ select memory_key, access_count from public.get_memories(p_user_id => tests.get_supabase_uid('owner')) $$,
  $$ values ('favorite_anime', 2), ('name', 2), ('nulls', 2) $$,
  'a user: get_memories with their own p_user_id, counted the same way');
select results_eq($$ select memory_key from public.get_memories(1) $$, $$ values ('favorite_anime') $$,
  'a user: get_memories without p_user_id');
select tests.reset_authentication();
select results_eq($$ select memory_key, access_count, last_accessed, updated_at from public.user_memories
                     where user_id = tests.get_supabase_uid('owner') order by memory_key $$,
  $$ values ('favorite_anime', 3, now(), now() - interval '1 day'), ('name', 2, now(), now() - interval '2 days'),
            ('nulls', 2, now(), now() - interval '3 days') $$,
  'service and user reads bumped access_count and last_accessed alike, and left updated_at alone');
select tests.authenticate_as('other');
select is(tests.error_of($$ select * from public.get_memories(p_user_id => tests.get_supabase_uid('owner')) $$, null, true),
  '42501: p_user_id must be omitted or be the signed-in user', 'a user: get_memories for someone else is 42501');
select is(tests.error_of($$ select * from public.get_chat_history(p_user_id => tests.get_supabase_uid('owner')) $$, null, true),
  '42501: p_user_id must be omitted or be the signed-in user', 'a user: get_chat_history for someone else is 42501');
select tests.authenticate_as_service_role();
select throws_ok($$ select * from public.get_memories() $$, '22023', null,
  'service_role: get_memories without p_user_id is 22023');
select throws_ok($$ select * from public.get_chat_history() $$, '22023', null,
  'service_role: get_chat_history without p_user_id is 22023');
select results_eq($$ select user_message, ai_response from public.get_chat_history(p_user_id => tests.get_supabase_uid('other')) $$,
  $$ values ('via backend', 'ok'), ('from the backend', null) $$,
  'service_role: get_chat_history(p_user_id) returns that user''s pairs only, newest first');
select results_eq($$ select count(*)::int from public.get_chat_history(p_session_id => 'a1000000-0000-4000-8000-0000000000c1',
                                                                       p_user_id => tests.get_supabase_uid('owner')) $$,
  $$ values (3) $$, 'service_role: ... optionally one session');
select is_empty($$ select from public.get_chat_history(p_session_id => 'a1000000-0000-4000-8000-0000000000c1',
                                                       p_user_id => tests.get_supabase_uid('other')) $$,
  'service_role: another user''s session yields nothing for this user');
select tests.clear_authentication();
select throws_ok($$ select * from public.get_memories() $$, '42501', null, 'anon: get_memories is refused');
select throws_ok($$ select * from public.get_chat_history() $$, '42501', null, 'anon: get_chat_history is refused');
select tests.reset_authentication();
select is((select sum(access_count)::int from public.user_memories where user_id = tests.get_supabase_uid('owner')), 7,
  'the refused reads recorded nothing');


-- 4. Server-maintained columns (issue 11 #7) ---------------------------------------------------------------
select tests.authenticate_as('owner');
update public.user_memories set access_count = 999, last_accessed = '2000-01-01', created_at = '2000-01-01',
                                updated_at = '2000-01-01', memory_value = 'Re:Zero S2'
where memory_key = 'favorite_anime';
select tests.reset_authentication();
select results_eq($$ select memory_value, access_count, last_accessed, created_at, updated_at from public.user_memories
                     where user_id = tests.get_supabase_uid('owner') and memory_key = 'favorite_anime' $$,
  $$ values ('Re:Zero S2', 3, now(), now(), now()) $$,
  'a user''s update of a memory: the value changes; access_count, last_accessed, created_at kept; updated_at = now()');
select tests.authenticate_as('owner');
insert into public.user_memories (user_id, memory_key, memory_value, access_count, last_accessed, created_at, updated_at)
values (tests.get_supabase_uid('owner'), 'forged', 'v', 500, '2000-01-01', '2000-01-01', '2000-01-01');
select results_eq($$ select access_count, last_accessed, created_at, updated_at from public.user_memories where memory_key = 'forged' $$,
  $$ values (0, null::timestamptz, now(), now()) $$,
  'a user''s insert of a memory: the counters and timestamps sent are replaced by the server''s');

-- the seed's store_agent_analysis sends created_at and updated_at (an upsert without on_conflict)
insert into public.agent_analyses (user_id, agent_type, analysis_data, created_at, updated_at)
values (tests.get_supabase_uid('owner'), 'personality', '{"v": 1}', '2000-01-01', '2000-01-01');
select results_eq($$ select created_at, updated_at from public.agent_analyses where agent_type = 'personality' $$,
  $$ values (now(), now()) $$, 'agent_analyses: the created_at / updated_at a user sends are ignored on insert');
insert into public.agent_analyses (user_id, agent_type, analysis_data, created_at, updated_at)
values (tests.get_supabase_uid('owner'), 'personality', '{"v": 2}', '2001-01-01', '2001-01-01')
on conflict (user_id, agent_type) do update
  set analysis_data = excluded.analysis_data, created_at = excluded.created_at, updated_at = excluded.updated_at;
select results_eq($$ select analysis_data, created_at, updated_at from public.agent_analyses where agent_type = 'personality' $$,
  $$ values ('{"v": 2}'::jsonb, now(), now()) $$, '... and on the upsert''s update: the analysis changes, the timestamps stay the server''s');

insert into public.chat_sessions (id, user_id, title, created_at, last_message_at)
values ('a1000000-0000-4000-8000-0000000000e1', tests.get_supabase_uid('owner'), 'mine', '2000-01-01', '2099-01-01');
select results_eq($$ select created_at, last_message_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000e1' $$,
  $$ values (now(), null::timestamptz) $$, 'chat_sessions: a user''s created_at / last_message_at are ignored on insert');
update public.chat_sessions set title = 'renamed', created_at = '2000-01-01', last_message_at = '2099-01-01'
where id = 'a1000000-0000-4000-8000-0000000000e1';
select results_eq($$ select title, created_at, last_message_at from public.chat_sessions where id = 'a1000000-0000-4000-8000-0000000000e1' $$,
  $$ values ('renamed', now(), null::timestamptz) $$, '... and on update: the title changes, the server''s columns do not');

insert into public.chat_messages (id, user_id, message_text, sender_type, "timestamp")
values ('b1000000-0000-4000-8000-0000000000e1', tests.get_supabase_uid('owner'), 'back-dated?', 'user', '2000-01-01');
select ok((select "timestamp" >= now() from public.chat_messages where id = 'b1000000-0000-4000-8000-0000000000e1'),
  'chat_messages: a user''s timestamp is the server clock, not what they sent');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to)
                              values (tests.get_supabase_uid('owner'), 'squat', 'ai', 'b1000000-0000-4000-8000-0000000000d2') $$, null, true),
  '23503: reply_to must be one of your own user messages, in the same chat session',
  'a user cannot reply to a message that is not their own user message (23503, as an unknown one)');
select tests.authenticate_as_service_role();
insert into public.chat_messages (id, user_id, message_text, sender_type, "timestamp")
values ('b1000000-0000-4000-8000-0000000000d2', tests.get_supabase_uid('other'), 'imported', 'user', '2020-05-05');
select is((select "timestamp" from public.chat_messages where id = 'b1000000-0000-4000-8000-0000000000d2'), '2020-05-05'::timestamptz,
  'the service role (the backend, e.g. importing history) still sets timestamp');
select tests.authenticate_as('owner');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to)
                              values (tests.get_supabase_uid('owner'), 'squat', 'ai', 'b1000000-0000-4000-8000-0000000000d2') $$, null, true),
  '23503: reply_to must be one of your own user messages, in the same chat session',
  '... the same answer for another user''s existing message (no existence oracle)');
-- A reply must be in the session of the message it answers: that message's session was claimed
-- when it was written, so the reply needs no claim of its own (chat_messages_claim_session skips
-- a signed-in user's replies).
insert into public.chat_messages (id, user_id, message_text, sender_type, session_id)
values ('b1000000-0000-4000-8000-0000000000e2', tests.get_supabase_uid('owner'), 'in my session', 'user',
        'a1000000-0000-4000-8000-0000000000e1');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to, session_id)
                              values (tests.get_supabase_uid('owner'), 'elsewhere', 'ai', 'b1000000-0000-4000-8000-0000000000e2',
                                      'a1000000-0000-4000-8000-0000000000e9') $$, null, true),
  '23503: reply_to must be one of your own user messages, in the same chat session',
  'a reply in another session than the message it answers: 23503 (and no session is created for it)');
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to)
                              values (tests.get_supabase_uid('owner'), 'outside', 'ai', 'b1000000-0000-4000-8000-0000000000e2') $$, null, true),
  '23503: reply_to must be one of your own user messages, in the same chat session',
  '... or outside any session: 23503');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to, session_id)
                   values (tests.get_supabase_uid('owner'), 'here', 'ai', 'b1000000-0000-4000-8000-0000000000e2',
                           'a1000000-0000-4000-8000-0000000000e1') $$,
  '... in its session it is stored');
select tests.authenticate_as_service_role();
select is(tests.error_of($$ insert into public.chat_messages (user_id, message_text, sender_type, reply_to, session_id)
                              values (tests.get_supabase_uid('owner'), 'elsewhere', 'ai', 'b1000000-0000-4000-8000-0000000000e2',
                                      'a1000000-0000-4000-8000-0000000000e3') $$, null, true),
  '23503: reply_to must be a user message of the same user, in the same chat session',
  'the service role''s reply in another session than the message it answers: 23503 too');
select tests.authenticate_as('owner');
select tests.reset_authentication();
select is_empty($$ select from public.chat_messages where reply_to = 'b1000000-0000-4000-8000-0000000000d2' $$,
  'the other user''s message got no squatted reply');
select is(array(select t.tgname::text from pg_trigger t where not t.tgisinternal and t.tgname like '%keep_server_columns'
                  and t.tgrelid in ('public.chat_sessions'::regclass, 'public.user_memories'::regclass,
                                    'public.agent_analyses'::regclass) order by 1),
  array['agent_analyses_keep_server_columns', 'chat_sessions_keep_server_columns', 'user_memories_keep_server_columns'],
  'keep_server_columns triggers on chat_sessions, user_memories and agent_analyses');


-- 5. Bounds (issue 11 #9) --------------------------------------------------------------------------------
select is_empty($$ select c.relname || '.' || a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
                   where c.oid in ('public.chat_sessions'::regclass, 'public.chat_messages'::regclass,
                                   'public.user_memories'::regclass, 'public.agent_analyses'::regclass)
                     and a.attnum > 0 and not a.attisdropped and a.atttypid in ('text'::regtype, 'jsonb'::regtype)
                     and not exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'
                                       and k.conname = c.relname || '_' || a.attname || '_length_check') $$,
  'every text / jsonb column of the chat tables has a <table>_<column>_length_check');
select tests.authenticate_as('owner');
select lives_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                   values (tests.get_supabase_uid('owner'), repeat('é', 20000), 'ai') $$,
  'a 20000-character message (store_chat_pair''s longest reply) is accepted');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                    values (tests.get_supabase_uid('owner'), repeat('x', 20001), 'user') $$,
  '23514', null, 'a 20001-character message is refused (23514 → 400)');
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type, mood_detected)
                    values (tests.get_supabase_uid('owner'), 'x', 'user', repeat('m', 65)) $$,
  '23514', null, 'a mood over 64 characters is refused');
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value)
                    values (tests.get_supabase_uid('owner'), 'huge', repeat('v', 10001)) $$,
  '23514', null, 'a memory value over 10000 characters is refused');
select lives_ok($$ insert into public.user_memories (user_id, memory_key, memory_value)
                   values (tests.get_supabase_uid('owner'), 'big', repeat('v', 10000)) $$, 'a 10000-character memory value is accepted');
select throws_ok($$ update public.user_memories set memory_value = repeat('v', 10001) where memory_key = 'big' $$,
  '23514', null, '... and cannot grow past the bound by an update');
select throws_ok($$ insert into public.user_memories (user_id, memory_key, memory_value) values (tests.get_supabase_uid('owner'), repeat('k', 201), 'v') $$,
  '23514', null, 'a memory key over 200 characters is refused');
select throws_ok($$ insert into public.chat_sessions (user_id, title) values (tests.get_supabase_uid('owner'), repeat('t', 201)) $$,
  '23514', null, 'a session title over 200 characters is refused');
select throws_ok($$ insert into public.agent_analyses (user_id, agent_type, analysis_data)
                    values (tests.get_supabase_uid('owner'), 'huge', jsonb_build_object('blob', repeat('a', 262144))) $$,
  '23514', null, 'an analysis over 256 KiB is refused');
select tests.authenticate_as_service_role();
select throws_ok($$ insert into public.chat_messages (user_id, message_text, sender_type)
                    values (tests.get_supabase_uid('owner'), repeat('x', 20001), 'user') $$,
  '23514', null, 'the bounds hold for the service role too');


-- 6. Error messages without caller text (issue 11 #4) ------------------------------------------------------
select tests.authenticate_as('owner');
select is(tests.error_of('select * from public.get_chat_history(987654)', null, true),
  '22023: p_limit must be between 1 and 200 / p_limit was 987654',
  'get_chat_history: the bad p_limit is in DETAIL, not in the message');
select is(tests.error_of('select * from public.get_chat_history(10, -987654)', null, true),
  '22023: p_offset must be 0 or more / p_offset was -987654', 'get_chat_history: likewise p_offset');
select is(tests.error_of('select * from public.get_memories(-987654)', null, true),
  '22023: p_limit must be between 1 and 200 / p_limit was -987654', 'get_memories: likewise p_limit');
select is(tests.error_of('select * from public.get_memories(null)', null, true),
  '22023: p_limit must be between 1 and 200 / p_limit was null', 'get_memories: p_limit null');
select is(tests.error_of($$ select public.store_chat_pair(null, 'm', 'r', 'a1000000-0000-4000-8000-0000000000b1') $$, null, true),
  '42501: this chat session cannot be used by this user',
  'store_chat_pair: the refused session id is not in the message');
select tests.reset_authentication();
select is_empty($$ select p.oid::regprocedure::text from pg_proc p
                   where p.oid in ('public.get_chat_history(integer, integer, uuid, uuid)'::regprocedure,
                                   'public.get_memories(integer, text, uuid)'::regprocedure,
                                   'public.store_chat_pair(uuid, text, text, uuid, text, numeric, text, integer, integer)'::regprocedure,
                                   'convo.claim_chat_session(uuid, uuid)'::regprocedure,
                                   'convo.read_memories(uuid, integer, text)'::regprocedure,
                                   'convo.chat_messages_server_timestamp()'::regprocedure)
                     and p.prosrc ~ 'raise exception ''[^'']*%' $$,
  'no chat function formats a value into an error message (values go to DETAIL)');


-- 7. Definitions ------------------------------------------------------------------------------------------
select is_definer('convo', 'claim_chat_session', array['uuid', 'uuid'], 'convo.claim_chat_session is SECURITY DEFINER');
select is_definer('convo', 'read_memories', array['uuid', 'integer', 'text'], 'convo.read_memories is SECURITY DEFINER');
select ok(not has_function_privilege('anon', 'convo.claim_chat_session(uuid, uuid)', 'execute')
          and not has_function_privilege('anon', 'convo.read_memories(uuid, integer, text)', 'execute'),
  'anon may execute neither convo helper');
select ok(has_function_privilege('service_role', 'public.get_memories(integer, text, uuid)', 'execute')
          and has_function_privilege('authenticated', 'public.get_chat_history(integer, integer, uuid, uuid)', 'execute')
          and not has_function_privilege('anon', 'public.get_chat_history(integer, integer, uuid, uuid)', 'execute')
          and not has_function_privilege('anon', 'public.get_memories(integer, text, uuid)', 'execute'),
  'the readers: authenticated and service_role, not anon');
select ok(obj_description('public.get_memories(integer, text, uuid)'::regprocedure, 'pg_proc') ~ 'p_user_id'
          and obj_description('public.get_chat_history(integer, integer, uuid, uuid)'::regprocedure, 'pg_proc') ~ 'p_user_id'
          and obj_description('public.store_chat_pair(uuid, text, text, uuid, text, numeric, text, integer, integer)'::regprocedure, 'pg_proc') ~ 'created for that user',
  'the RPC comments document the acting user and sessions created on first use');
select policies_are('public', 'chat_messages',
  array['Users can view their own chat messages', 'Users can create their own chat messages',
        'Users can delete their own chat messages'], 'chat_messages keeps its three policies');
select is((select with_check from pg_policies where tablename = 'chat_messages' and policyname = 'Users can create their own chat messages'),
  '(user_id = ( SELECT auth.uid() AS uid))', 'the insert policy checks the user (the session is the trigger''s job)');

select * from finish();
rollback;
