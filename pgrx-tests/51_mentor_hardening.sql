-- Mentor hardening (migration 20261123050000_mentor_hardening): the RPCs act for
-- convo.acting_user(p_user_id) (the service role for a user it names); no error message carries
-- caller text; no existence oracle (someone else's conversation = an unknown one, a provider id
-- is unique per user and webhooks go to the first record); server-maintained columns keep the
-- server's value; every text / jsonb / array column has its <table>_<column>_length_check; and
-- an explicit null for a defaulted column takes the default.
begin;
select plan(86);

-- pg_temp.conversations(provider id): how many conversations carry that provider id.
create function pg_temp.conversations(p_provider text) returns bigint language sql as $$
  select count(*) from public.mentor_conversations where provider_conversation_id = p_provider
$$;

-- Fixtures (as postgres) --------------------------------------------------------------------------
-- ann: a row in every user table; ben: a persona and nothing else; cat: only a profile;
-- orphan: an auth user without a profile.
select tests.create_supabase_user('ann', 'ann@hardening.test', metadata => jsonb_build_object('full_name', 'Ann'));
select tests.create_supabase_user('ben', 'ben@hardening.test', metadata => jsonb_build_object('full_name', 'Ben'));
select tests.create_supabase_user('cat', 'cat@hardening.test', metadata => jsonb_build_object('full_name', 'Cat'));
select tests.create_supabase_user('orphan', 'orphan@hardening.test');
delete from public.profiles where id = tests.get_supabase_uid('orphan');
select set_config('t.random', gen_random_uuid()::text, true);

insert into public.mentor_avatars (id, name, provider_replica_id)
  values ('a2000000-0000-4000-8000-000000000001', 'Sage', 'r-hardening');
insert into public.user_personas (id, user_id, avatar_id, name, is_default) values
  ('b2000000-0000-4000-8000-000000000001', tests.get_supabase_uid('ann'), 'a2000000-0000-4000-8000-000000000001', 'Ann''s Sage', true),
  ('b2000000-0000-4000-8000-000000000002', tests.get_supabase_uid('ben'), 'a2000000-0000-4000-8000-000000000001', 'Ben''s Sage', true);
insert into public.onboarding_profiles (user_id, disc_type, focus_areas) values (tests.get_supabase_uid('ann'), 'D', '{focus}');
insert into public.ritual_preferences (user_id, timezone) values (tests.get_supabase_uid('ann'), 'Pacific/Kiritimati');
insert into public.user_emotional_categories (user_id, category) values (tests.get_supabase_uid('ann'), 'anxiety');
insert into public.user_goals (id, user_id, title) values ('f2000000-0000-4000-8000-000000000001', tests.get_supabase_uid('ann'), 'Sleep well');


-- 1. The acting user ------------------------------------------------------------------------------
select results_eq(
  $$ select p.oid::regprocedure::text from pg_proc p
     where p.proname in ('get_mentor_context', 'start_mentor_session', 'end_mentor_session')
       and p.pronamespace in ('public'::regnamespace, 'convo'::regnamespace)
     order by 1 $$,
  array['convo.end_mentor_session(uuid,uuid)', 'convo.start_mentor_session(text,uuid,uuid)',
        'end_mentor_session(uuid,uuid)', 'get_mentor_context(uuid)', 'start_mentor_session(text,uuid,uuid)'],
  'one overload per RPC, p_user_id last (PostgREST can match only one)');
select is((select count(*) from pg_proc p, unnest(p.proargnames) a
           where p.proname in ('get_mentor_context', 'start_mentor_session', 'end_mentor_session')
             and p.pronamespace = 'public'::regnamespace and a = 'p_user_id' and p.pronargdefaults >= 1),
  3::bigint, 'each takes p_user_id with a default');

-- get_mentor_context
select tests.authenticate_as_service_role();
select is(array[public.get_mentor_context(tests.get_supabase_uid('ann')) -> 'profile' ->> 'id',
                public.get_mentor_context(tests.get_supabase_uid('ann')) -> 'onboarding_profile' ->> 'disc_type',
                public.get_mentor_context(tests.get_supabase_uid('ann')) -> 'ritual_preferences' ->> 'timezone',
                public.get_mentor_context(tests.get_supabase_uid('ann')) -> 'emotional_categories' -> 0 ->> 'category',
                public.get_mentor_context(tests.get_supabase_uid('ann')) -> 'active_goals' -> 0 ->> 'title'],
  array[tests.get_supabase_uid('ann')::text, 'D', 'Pacific/Kiritimati', 'anxiety', 'Sleep well'],
  'service role: get_mentor_context(p_user_id) is that user''s whole context');
select tests.reset_authentication();
select is(tests.error_of('select public.get_mentor_context()', 'service_role'),
  '22023: p_user_id is required when calling with the service role key',
  'service role without p_user_id: 22023');
select is(tests.error_of($$ select public.get_mentor_context(tests.get_supabase_uid('ann')) $$, 'ann'), 'ok',
  'a user may name themselves');
select is(tests.error_of($$ select public.get_mentor_context(tests.get_supabase_uid('ann')) $$, 'ben'),
  '42501: p_user_id must be omitted or be the signed-in user', 'a user naming someone else: 42501');
select is(tests.sqlstate_of($$ select public.get_mentor_context(tests.get_supabase_uid('ann')) $$, 'anon'), '42501',
  'anon: 42501 (no EXECUTE)');

-- start_mentor_session
select tests.authenticate_as_service_role();
select set_config('t.a1', (public.start_mentor_session('prov-a1', p_user_id => tests.get_supabase_uid('ann'))).id::text, true);
select tests.reset_authentication();
select results_eq(
  $$ select c.user_id, c.persona_id, c.status, d.user_id, d.session_date from public.mentor_conversations c
     join public.daily_sessions d on d.mentor_conversation_id = c.id where c.id = current_setting('t.a1')::uuid $$,
  $$ values (tests.get_supabase_uid('ann'), 'b2000000-0000-4000-8000-000000000001'::uuid, 'active', tests.get_supabase_uid('ann'),
             (now() at time zone 'Pacific/Kiritimati')::date) $$,
  'service role: start_mentor_session(p_user_id) records the user''s conversation (their default persona, their time zone) and daily session');
select is(tests.error_of($$ select public.start_mentor_session('prov-svc') $$, 'service_role'),
  '22023: p_user_id is required when calling with the service role key', 'service role without p_user_id: 22023');
select is(tests.error_of($$ select public.start_mentor_session('prov-for-ben', p_user_id => tests.get_supabase_uid('ben')) $$, 'ann'),
  '42501: p_user_id must be omitted or be the signed-in user', 'a user starting for someone else: 42501');
select is(tests.error_of($$ select public.start_mentor_session('prov-orphan', p_user_id => tests.get_supabase_uid('orphan')) $$, 'service_role'),
  '23503: the acting user has no profile', 'service role for a user without a profile: 23503, no id in the message');
select is(pg_temp.conversations('prov-svc') + pg_temp.conversations('prov-for-ben') + pg_temp.conversations('prov-orphan'),
  0::bigint, 'the refused starts wrote nothing');

-- end_mentor_session
select tests.authenticate_as_service_role();
select set_config('t.a2', (public.start_mentor_session('prov-a2', p_user_id => tests.get_supabase_uid('ann'))).id::text, true);
select tests.reset_authentication();
select is(tests.error_of($$ select public.end_mentor_session(current_setting('t.a2')::uuid, p_user_id => tests.get_supabase_uid('ben')) $$, 'service_role'),
  'PT404: mentor conversation not found', 'service role ending a conversation for a user who does not own it: PT404');
select is(tests.error_of($$ select public.end_mentor_session(current_setting('t.a2')::uuid, p_user_id => tests.get_supabase_uid('ann')) $$, 'ben'),
  '42501: p_user_id must be omitted or be the signed-in user', 'a user ending as someone else: 42501');
select is(tests.error_of($$ select public.end_mentor_session(current_setting('t.a2')::uuid) $$, 'service_role'),
  '22023: p_user_id is required when calling with the service role key', 'service role without p_user_id: 22023');
select is((select status from public.mentor_conversations where id = current_setting('t.a2')::uuid), 'active', 'the refused ends changed nothing');
select tests.authenticate_as_service_role();
select is((public.end_mentor_session(current_setting('t.a2')::uuid, p_user_id => tests.get_supabase_uid('ann'))).status, 'completed',
  'service role: end_mentor_session(p_user_id) ends the user''s conversation');
select tests.reset_authentication();
select is((select status from public.daily_sessions where mentor_conversation_id = current_setting('t.a2')::uuid), 'completed',
  '... and its daily session');


-- 2. No caller text in any error message --------------------------------------------------------------
-- Each refusal answers a fixed sentence: what reaches the HTTP status line can be neither a header
-- nor 5 KB long. The caller's text carries CR LF and a marker.
select is(tests.error_of($$ select public.record_mentor_webhook(e'nope\r\nX-Injected: yes', 'conversation_started') $$, 'service_role'),
  'PT404: mentor conversation not found', 'webhook, unknown provider id with CR LF: PT404 with a fixed message');
select is(tests.error_of($$ select public.record_mentor_webhook(repeat('x', 5000), 'conversation_started') $$, 'service_role'),
  '22023: p_provider_conversation_id is too long', 'webhook, a 5 KB provider id: 22023');
select is(tests.error_of($$ select public.record_mentor_webhook(repeat('x', 200), 'conversation_started') $$, 'service_role'),
  'PT404: mentor conversation not found', '... 200 characters is still a valid id (unknown here)');
select is(tests.error_of($$ select public.record_mentor_webhook('prov-a1', e'x\r\nX-Injected: yes') $$, 'service_role'),
  '22023: unknown webhook event type', 'webhook, unknown event type with CR LF: 22023 with a fixed message');
select is(tests.error_of($$ select public.record_mentor_webhook('prov-a1', repeat('x', 5000)) $$, 'service_role'),
  '22023: unknown webhook event type', 'webhook, a 5 KB event type: 22023');
select is(tests.error_of($$ select public.record_mentor_webhook('prov-a1', 'transcript_ready',
                                          jsonb_build_object('transcript', repeat('x', 1048576))) $$, 'service_role'),
  '22023: p_payload is too large', 'webhook, a payload over 1 MiB: 22023');
select is(tests.error_of($$ select public.record_mentor_webhook('prov-a1', 'conversation_started',
                                          jsonb_build_object('properties', jsonb_build_object('junk', repeat('x', 65536)))) $$, 'service_role'),
  '22023: p_payload is too large apart from its transcript', 'webhook, over 64 KiB besides the transcript: 22023');
select is(tests.error_of($$ select public.record_mentor_webhook('prov-a2', 'transcript_ready',
                                          jsonb_build_object('properties', jsonb_build_object('transcript',
                                            jsonb_build_array(jsonb_build_object('role', 'user', 'content', repeat('x', 900000)))))) $$, 'service_role'),
  'ok', '... a 900 KB transcript is accepted');
select is(tests.error_of($$ select public.start_mentor_session(repeat('x', 5000)) $$, 'ann'),
  '22023: p_provider_conversation_id is too long', 'start, a 5 KB provider id: 22023');
select is(tests.error_of($$ select public.start_mentor_session('prov-p', current_setting('t.random')::uuid) $$, 'ann'),
  '23503: persona not found', 'start, unknown persona: a message without the id');
select is(tests.error_of($$ select public.start_mentor_session('prov-a1') $$, 'ann'),
  '23505: this user already recorded a mentor conversation with this provider id', 'start, a provider id of one''s own again: 23505 without the id');
select is(tests.error_of($$ select public.start_mentor_session('prov-o') $$, 'orphan'),
  '23503: the acting user has no profile', 'start, a user without a profile: no id in the message');
select is(tests.error_of($$ select public.end_mentor_session(current_setting('t.random')::uuid) $$, 'ann'),
  'PT404: mentor conversation not found', 'end, unknown id: a message without the id');
select is(tests.error_of($$ update public.ritual_preferences set timezone = e'Mars\r\nX-Injected: yes' where user_id = tests.get_supabase_uid('ann') $$, 'ann'),
  '22023: unknown time zone', 'ritual_preferences, unknown time zone with CR LF: a fixed message (the zone is in DETAIL)');
select is_empty(
  $$ select p.oid::regprocedure from pg_proc p
     where p.oid in ('public.get_mentor_context(uuid)'::regprocedure, 'public.start_mentor_session(text, uuid, uuid)'::regprocedure,
                     'convo.start_mentor_session(text, uuid, uuid)'::regprocedure, 'public.end_mentor_session(uuid, uuid)'::regprocedure,
                     'convo.end_mentor_session(uuid, uuid)'::regprocedure, 'public.record_mentor_webhook(text, text, jsonb)'::regprocedure,
                     'convo.complete_mentor_conversation(uuid)'::regprocedure, 'convo.ritual_preferences_check_timezone()'::regprocedure,
                     'convo.user_goals_track_achieved_at()'::regprocedure)
       and p.prosrc ~* 'raise\s+exception\s+''[^'']*%' $$,
  'no mentor function formats a value into an exception message (values go into DETAIL)');


-- 3. No existence oracle -----------------------------------------------------------------------------
select is(tests.error_of($$ select public.end_mentor_session(current_setting('t.a1')::uuid) $$, 'ben'),
  tests.error_of($$ select public.end_mentor_session(current_setting('t.random')::uuid) $$, 'ben'),
  'end: someone else''s conversation and an unknown id are the same answer');
select is(tests.error_of($$ select public.end_mentor_session(current_setting('t.a1')::uuid) $$, 'ben'), 'PT404: mentor conversation not found',
  '... PT404 "mentor conversation not found"');
select is(tests.error_of($$ select public.start_mentor_session('prov-x', 'b2000000-0000-4000-8000-000000000001') $$, 'ben'),
  tests.error_of($$ select public.start_mentor_session('prov-x', current_setting('t.random')::uuid) $$, 'ben'),
  'start: someone else''s persona and an unknown one are the same answer');
-- Everything here runs in one transaction, where now() never moves: ann's conversation is dated a
-- minute back, as a conversation recorded before the stranger's copy would be.
update public.mentor_conversations set created_at = now() - interval '1 minute' where id = current_setting('t.a1')::uuid;
select is(array[tests.error_of($$ select public.start_mentor_session('prov-a1') $$, 'ben'),
                tests.error_of($$ select public.start_mentor_session('prov-ben-fresh') $$, 'ben')],
  array['ok', 'ok'], 'start: a provider id someone else recorded is accepted exactly like a fresh one');
select results_eq(
  $$ select user_id, status from public.mentor_conversations where provider_conversation_id = 'prov-a1' order by created_at, id $$,
  $$ values (tests.get_supabase_uid('ann'), 'active'), (tests.get_supabase_uid('ben'), 'active') $$,
  '... it is the stranger''s own conversation; the first one is untouched');
select tests.authenticate_as('ben');
select is((select count(*) from public.mentor_conversations where provider_conversation_id = 'prov-a1'), 1::bigint,
  '... and the stranger still sees only their own');
select tests.authenticate_as_service_role();
select is(array[public.record_mentor_webhook('prov-a1', 'transcript_ready', '{"transcript": [{"role": "user", "content": "hi"}]}') ->> 'conversation_id',
                public.record_mentor_webhook('prov-a1', 'conversation_ended', '{"summary": "for ann"}') ->> 'conversation_id'],
  array[current_setting('t.a1')::uuid::text, current_setting('t.a1')::uuid::text],
  'the provider''s webhooks go to the first conversation recorded under the id');
select tests.reset_authentication();
select results_eq(
  $$ select c.user_id, c.status, c.transcript is not null, d.summary_data from public.mentor_conversations c
     join public.daily_sessions d on d.mentor_conversation_id = c.id
     where c.provider_conversation_id = 'prov-a1' order by c.created_at, c.id $$,
  $$ values (tests.get_supabase_uid('ann'), 'completed', true, '{"summary": "for ann"}'::jsonb),
            (tests.get_supabase_uid('ben'), 'active', false, '{}'::jsonb) $$,
  '... the owner''s conversation got the transcript, the end and the summary; the later copy got nothing');


-- 4. Server-maintained columns --------------------------------------------------------------------------
select results_eq(
  $$ select c.relname::text collate "default", pg_get_triggerdef(t.oid) ~ 'keep_server_columns\(''created_at'', ''updated_at''\)'
     from pg_trigger t join pg_class c on c.oid = t.tgrelid
     where t.tgname = c.relname || '_keep_server_columns'
       and c.oid in ('public.user_personas'::regclass, 'public.onboarding_profiles'::regclass, 'public.ritual_preferences'::regclass,
                     'public.user_emotional_categories'::regclass, 'public.user_goals'::regclass)
     order by 1 $$,
  $$ values ('onboarding_profiles', true), ('ritual_preferences', true), ('user_emotional_categories', true),
            ('user_goals', true), ('user_personas', true) $$,
  'the five user-written tables keep created_at and updated_at (keep_server_columns)');
select is_empty(
  $$ select t, a.attname, r, p from unnest(array['public.mentor_avatars', 'public.mentor_conversations', 'public.daily_sessions']::regclass[]) t
     join pg_attribute a on a.attrelid = t and a.attnum > 0 and not a.attisdropped,
     unnest(array['anon', 'authenticated']) r, unnest(array['INSERT', 'UPDATE']) p
     where has_column_privilege(r, t, a.attname, p) $$,
  'no API role may write any column of mentor_avatars, mentor_conversations, daily_sessions (times, durations, status: the RPCs only)');

-- cat inserts a row into each table with forged stamps; ann rewrites hers.
select is(array[
    tests.error_of($$ insert into public.user_personas (user_id, name, created_at, updated_at) values (tests.get_supabase_uid('cat'), 'p', '2000-01-01', '2000-01-01') $$, 'cat'),
    tests.error_of($$ insert into public.onboarding_profiles (user_id, created_at, updated_at) values (tests.get_supabase_uid('cat'), '2000-01-01', '2000-01-01') $$, 'cat'),
    tests.error_of($$ insert into public.ritual_preferences (user_id, created_at, updated_at) values (tests.get_supabase_uid('cat'), '2000-01-01', '2000-01-01') $$, 'cat'),
    tests.error_of($$ insert into public.user_emotional_categories (user_id, category, created_at, updated_at) values (tests.get_supabase_uid('cat'), 'c', '2000-01-01', '2000-01-01') $$, 'cat'),
    tests.error_of($$ insert into public.user_goals (user_id, title, created_at, updated_at) values (tests.get_supabase_uid('cat'), 'g', '2000-01-01', '2000-01-01') $$, 'cat')],
  array['ok', 'ok', 'ok', 'ok', 'ok'], 'a user may still send created_at / updated_at (a row read back and upserted) ...');
select is(array[
    tests.error_of($$ update public.user_personas set created_at = '2000-01-01', updated_at = '2000-01-01' where user_id = tests.get_supabase_uid('ann') $$, 'ann'),
    tests.error_of($$ update public.onboarding_profiles set created_at = '2000-01-01', updated_at = '2000-01-01' where user_id = tests.get_supabase_uid('ann') $$, 'ann'),
    tests.error_of($$ update public.ritual_preferences set created_at = '2000-01-01', updated_at = '2000-01-01' where user_id = tests.get_supabase_uid('ann') $$, 'ann'),
    tests.error_of($$ update public.user_emotional_categories set created_at = '2000-01-01', updated_at = '2000-01-01' where user_id = tests.get_supabase_uid('ann') $$, 'ann'),
    tests.error_of($$ update public.user_goals set created_at = '2000-01-01', updated_at = '2000-01-01' where user_id = tests.get_supabase_uid('ann') $$, 'ann')],
  array['ok', 'ok', 'ok', 'ok', 'ok'], '... and update them');
select is_empty(
  $$ select 'user_personas' from public.user_personas where least(created_at, updated_at) < '2001-01-01' and user_id in (tests.get_supabase_uid('ann'), tests.get_supabase_uid('cat'))
     union all select 'onboarding_profiles' from public.onboarding_profiles where least(created_at, updated_at) < '2001-01-01' and user_id in (tests.get_supabase_uid('ann'), tests.get_supabase_uid('cat'))
     union all select 'ritual_preferences' from public.ritual_preferences where least(created_at, updated_at) < '2001-01-01' and user_id in (tests.get_supabase_uid('ann'), tests.get_supabase_uid('cat'))
     union all select 'user_emotional_categories' from public.user_emotional_categories where least(created_at, updated_at) < '2001-01-01' and user_id in (tests.get_supabase_uid('ann'), tests.get_supabase_uid('cat'))
     union all select 'user_goals' from public.user_goals where least(created_at, updated_at) < '2001-01-01' and user_id in (tests.get_supabase_uid('ann'), tests.get_supabase_uid('cat')) $$,
  '... but every row keeps the server''s timestamps');
select is(tests.error_of($$ insert into public.onboarding_profiles (user_id, created_at) values (tests.get_supabase_uid('cat'), '2000-01-01')
                                    on conflict (user_id) do update set created_at = excluded.created_at $$, 'cat'), 'ok', 'an upsert sending created_at');
select is((select created_at from public.onboarding_profiles where user_id = tests.get_supabase_uid('cat')), now(), '... keeps it too');
select tests.authenticate_as_service_role();
update public.user_goals set created_at = '2000-01-01' where id = 'f2000000-0000-4000-8000-000000000001';
select tests.reset_authentication();
select is((select created_at from public.user_goals where id = 'f2000000-0000-4000-8000-000000000001'), '2000-01-01'::timestamptz,
  'the service role may still set them (imports, repairs)');


-- 6. An explicit null takes the column default --------------------------------------------------------
-- supabase-py sends None as null; on insert (and in an upsert's EXCLUDED row) that means "default".
delete from public.onboarding_profiles where user_id = tests.get_supabase_uid('cat');
delete from public.ritual_preferences where user_id = tests.get_supabase_uid('cat');
select is(tests.error_of($$ insert into public.onboarding_profiles (user_id, focus_areas, personality_insights)
                                    values (tests.get_supabase_uid('cat'), null, null)
                                    on conflict (user_id) do update set focus_areas = excluded.focus_areas,
                                                                        personality_insights = excluded.personality_insights $$, 'cat'),
  'ok', 'onboarding upsert with explicit nulls: accepted');
select results_eq($$ select focus_areas, personality_insights from public.onboarding_profiles where user_id = tests.get_supabase_uid('cat') $$,
  $$ values ('{}'::text[], '{}'::jsonb) $$, '... focus_areas and personality_insights took their defaults');
select is(tests.error_of($$ insert into public.ritual_preferences (user_id, timezone, session_days, session_duration_minutes,
                                                                         reminders_enabled, preferences)
                                    values (tests.get_supabase_uid('cat'), null, null, null, null, null)
                                    on conflict (user_id) do update set timezone = excluded.timezone $$, 'cat'),
  'ok', 'ritual upsert with explicit nulls: accepted');
select results_eq($$ select timezone, session_days, session_duration_minutes, reminders_enabled, preferences
                     from public.ritual_preferences where user_id = tests.get_supabase_uid('cat') $$,
  $$ values ('UTC', '{1,2,3,4,5,6,7}'::smallint[], 15, true, '{}'::jsonb) $$, '... every column took its default');
select is(tests.error_of($$ insert into public.ritual_preferences (user_id, timezone) values (tests.get_supabase_uid('ann'), null)
                                    on conflict (user_id) do update set timezone = excluded.timezone $$, 'ann'),
  'ok', 'an upsert over an existing row with timezone null ...');
select is((select timezone from public.ritual_preferences where user_id = tests.get_supabase_uid('ann')), 'UTC',
  '... sets the default (the EXCLUDED row carries it)');
select is(tests.sqlstate_of($$ update public.ritual_preferences set timezone = null where user_id = tests.get_supabase_uid('ann') $$, 'ann'),
  '23502', 'a plain update to null is still refused (23502)');


-- 5. Bounds ------------------------------------------------------------------------------------------------
select is_empty(
  $$ select c.relname || '.' || a.attname from pg_class c
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.oid in ('public.mentor_avatars'::regclass, 'public.user_personas'::regclass, 'public.onboarding_profiles'::regclass,
                     'public.ritual_preferences'::regclass, 'public.user_emotional_categories'::regclass, 'public.user_goals'::regclass,
                     'public.mentor_conversations'::regclass, 'public.daily_sessions'::regclass)
       and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype) or a.attndims > 0
            or exists (select from pg_type t where t.oid = a.atttypid and t.typcategory = 'A'))
       and not exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'
                       and (k.conname = c.relname || '_' || a.attname || '_length_check'
                            -- or a closed set of values (the status columns)
                            or (k.conkey = array[a.attnum] and pg_get_constraintdef(k.oid) ~ '= ANY \(ARRAY\['))) $$,
  'every text / jsonb / array column of the mentor tables (written by users or not) has its <table>_<column>_length_check, or a closed set of values');

-- Each bound: a value at the limit is stored, one just over it is refused (23514; the time zone
-- trigger answers 22023 before the check is reached). Applied as postgres to ann's rows.
create temp table bound (tbl text, col text, at_limit text, over_limit text, refused text default '23514');
insert into bound (tbl, col, at_limit, over_limit, refused) values
  ('mentor_avatars', 'name', $$repeat('n', 100)$$, $$repeat('n', 101)$$, '23514'),
  ('mentor_avatars', 'description', $$repeat('d', 2000)$$, $$repeat('d', 2001)$$, '23514'),
  ('mentor_avatars', 'provider_replica_id', $$repeat('r', 200)$$, $$repeat('r', 201)$$, '23514'),
  ('mentor_avatars', 'provider_persona_id', $$repeat('p', 200)$$, $$repeat('p', 201)$$, '23514'),
  ('mentor_avatars', 'image_url', $$repeat('u', 2048)$$, $$repeat('u', 2049)$$, '23514'),
  ('mentor_avatars', 'preview_video_url', $$repeat('u', 2048)$$, $$repeat('u', 2049)$$, '23514'),
  ('mentor_avatars', 'metadata', $$jsonb_build_object('k', repeat('x', 65536 - 10))$$, $$jsonb_build_object('k', repeat('x', 65536))$$, '23514'),
  ('user_personas', 'name', $$repeat('n', 100)$$, $$repeat('n', 101)$$, '23514'),
  ('user_personas', 'communication_style', $$repeat('s', 500)$$, $$repeat('s', 501)$$, '23514'),
  ('user_personas', 'custom_instructions', $$repeat('i', 10000)$$, $$repeat('i', 10001)$$, '23514'),
  ('onboarding_profiles', 'disc_type', $$'DI'$$, $$'DIS'$$, '23514'),
  ('onboarding_profiles', 'disc_scores', $$jsonb_build_object('k', repeat('x', 4096 - 10))$$, $$jsonb_build_object('k', repeat('x', 4096))$$, '23514'),
  ('onboarding_profiles', 'focus_areas', $$array_fill(repeat('f', 100), array[20])$$, $$array_fill('f'::text, array[21])$$, '23514'),
  ('onboarding_profiles', 'personality_insights', $$jsonb_build_object('k', repeat('x', 65536 - 10))$$, $$jsonb_build_object('k', repeat('x', 65536))$$, '23514'),
  ('ritual_preferences', 'timezone', $$'America/Argentina/Buenos_Aires'$$, $$repeat('z', 65)$$, '22023'),
  ('ritual_preferences', 'session_days', $$'{1,2,3,4,5,6,7}'::smallint[]$$, $$'{1,1,1,1,1,1,1,1}'::smallint[]$$, '23514'),
  ('ritual_preferences', 'preferences', $$jsonb_build_object('k', repeat('x', 16384 - 10))$$, $$jsonb_build_object('k', repeat('x', 16384))$$, '23514'),
  ('user_emotional_categories', 'category', $$repeat('c', 100)$$, $$repeat('c', 101)$$, '23514'),
  ('user_emotional_categories', 'description', $$repeat('d', 2000)$$, $$repeat('d', 2001)$$, '23514'),
  ('user_goals', 'title', $$repeat('t', 200)$$, $$repeat('t', 201)$$, '23514'),
  ('user_goals', 'description', $$repeat('d', 5000)$$, $$repeat('d', 5001)$$, '23514'),
  ('user_goals', 'category', $$repeat('c', 100)$$, $$repeat('c', 101)$$, '23514'),
  ('mentor_conversations', 'provider_conversation_id', $$repeat('p', 200)$$, $$repeat('p', 201)$$, '23514'),
  ('mentor_conversations', 'recording_url', $$repeat('u', 2048)$$, $$repeat('u', 2049)$$, '23514'),
  ('mentor_conversations', 'transcript', $$jsonb_build_object('k', repeat('x', 1048576 - 10))$$, $$jsonb_build_object('k', repeat('x', 1048576))$$, '23514'),
  ('mentor_conversations', 'metadata', $$jsonb_build_object('k', repeat('x', 262144 - 10))$$, $$jsonb_build_object('k', repeat('x', 262144))$$, '23514'),
  ('daily_sessions', 'transcript_data', $$jsonb_build_object('k', repeat('x', 1048576 - 10))$$, $$jsonb_build_object('k', repeat('x', 1048576))$$, '23514'),
  ('daily_sessions', 'summary_data', $$jsonb_build_object('k', repeat('x', 131072 - 10))$$, $$jsonb_build_object('k', repeat('x', 131072))$$, '23514');

-- the row of ann's that each table's bound is tried on
create function pg_temp.target(p_table text) returns text language sql stable as $$
  select case p_table
    when 'mentor_avatars' then $w$id = 'a2000000-0000-4000-8000-000000000001'$w$
    when 'mentor_conversations' then format('id = %L', current_setting('t.a1')::uuid)
    when 'daily_sessions' then format('mentor_conversation_id = %L', current_setting('t.a1')::uuid)
    else format('user_id = %L', tests.get_supabase_uid('ann')) end
$$;
select is(array[tests.sqlstate_of(format('update public.%I set %I = %s where %s', tbl, col, at_limit, pg_temp.target(tbl)), 'postgres'),
                tests.sqlstate_of(format('update public.%I set %I = %s where %s', tbl, col, over_limit, pg_temp.target(tbl)), 'postgres')],
          array['ok', refused],
          format('%s.%s: at the limit stored, over it refused (%s)', tbl, col, refused))
from bound order by tbl, col;
select is((select count(*) from bound), (select count(*) from pg_constraint where conname like '%\_length\_check'
                                          and conrelid in (select format('public.%I', tbl)::regclass from bound)),
  'every length check of the mentor tables was tried above');

select * from finish();
rollback;
