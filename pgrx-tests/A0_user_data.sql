-- Users' data (issue 23): the registry of user columns against the catalog, export_my_data,
-- delete_my_account (and an admin deleting the auth user), and their refusals.
-- (Domain 10 numbers its suites A0, A1 …: hex for 10, so they sort after 70_memory_search.)
begin;
select plan(46);

-- 1. Every user column of the schema is in the registry -------------------------------------------
-- A user column: a column of a public table with a foreign key to auth.users or public.profiles,
-- or one whose name says it holds a user (…user_id, …profile_id, host_id, owner…, author…,
-- subject_id) or an address (…email). Each must be listed in convo.user_data_columns, with the
-- export section carrying it and what account deletion does, or be declared not a user's.
create temp view user_columns as
  select t.relname::text as table_name, a.attname::text as column_name
  from pg_constraint c
  join pg_class t on t.oid = c.conrelid
  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
  where c.contype = 'f' and t.relnamespace = 'public'::regnamespace
    and c.confrelid in ('auth.users'::regclass, 'public.profiles'::regclass)
  union
  select t.relname::text, a.attname::text
  from pg_attribute a join pg_class t on t.oid = a.attrelid
  where t.relnamespace = 'public'::regnamespace and t.relkind in ('r', 'p')
    and a.attnum > 0 and not a.attisdropped
    and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'character varying'::regtype)
    and (a.attname ~ '(^|_)(user|profile|host|owner|author|uploader|subject|member|account)(_id)?$'
         or a.attname ~ '(^|_)e?mail(_address)?$');

select is_empty($$ select table_name, column_name from user_columns
                   except select table_name, column_name from convo.user_data_columns $$,
  'every user column in public is in convo.user_data_columns (export section + what deletion does)');
select is_empty($$ select table_name, column_name from convo.user_data_columns
                   except select table_name, column_name from user_columns $$,
  'convo.user_data_columns lists no column that is gone');

-- 2. A user who touched every table ----------------------------------------------------------------
select tests.create_supabase_user('alice', 'alice@userdata.test', metadata => '{"full_name": "Alice"}');
select tests.create_supabase_user('bob', 'bob@userdata.test');
select tests.create_supabase_user('carol', 'carol@userdata.test');

-- alice and bob each have a row in every user-owned table; bob hosts a session alice takes part in,
-- alice hosts one carol takes part in (carol's rows there go with it)
do $fixture$
declare
  who text;
  u uuid;
  s uuid;
  mc uuid;
begin
  foreach who in array array['alice', 'bob'] loop
    u := tests.get_supabase_uid(who);
    insert into public.chat_sessions (id, user_id, title) values (gen_random_uuid(), u, who || '''s chat') returning id into s;
    insert into public.chat_messages (user_id, session_id, message_text, sender_type) values
      (u, s, 'hello from ' || who, 'user'), (u, s, 'hello ' || who, 'ai');
    insert into public.chat_messages (user_id, session_id, message_text, sender_type, reply_to)
      select u, s, 'a reply to ' || who, 'ai', m.id from public.chat_messages m
      where m.session_id = s and m.sender_type = 'user' returning id into mc;
    insert into public.message_feedback (user_id, message_id, rating, reason) values (u, mc, -1, 'too_long');
    insert into public.chat_summaries (user_id, session_id, through_message_id, summary) values (u, s, mc, who || ' said hello');
    insert into public.user_memories (user_id, memory_key, memory_value) values (u, 'pet', who || '''s cat');
    insert into public.agent_analyses (user_id, agent_type, analysis_data) values (u, 'mood', '{"mood": "calm"}');
    insert into public.music_listening_history (user_id, track_id, track_name, played_at) values (u, 't1', 'Song', now());
    insert into public.music_recommendations (user_id, track_id, track_name, artists, external_url, genz_genre)
      values (u, 't2', 'Other', array['Band'], 'https://open.spotify.com/track/t2', 'lofi');
    insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward) values (u, 't1', 'like', 1);
    insert into public.music_genre_preferences (user_id, genre) values (u, 'jazz') on conflict do nothing;
    insert into public.music_rl_models (user_id, version, q_table) values (u, 1, '{}');
    insert into public.growth_insights (profile_id, insight_type, insight_data) values (u, 'tone', '{}');
    insert into public.achievements (profile_id, badge_id) values (u, 'first_session');
    insert into public.user_personas (user_id, name) values (u, who || '''s mentor');
    insert into public.onboarding_profiles (user_id) values (u);
    insert into public.ritual_preferences (user_id) values (u);
    insert into public.user_emotional_categories (user_id, category) values (u, 'stress');
    insert into public.user_goals (user_id, title) values (u, 'sleep more');
    insert into public.mentor_conversations (user_id, provider_conversation_id, transcript)
      values (u, 'conv-' || who, '[{"role": "user", "text": "hi"}]') returning id into mc;
    insert into public.daily_sessions (user_id, mentor_conversation_id) values (u, mc);
    insert into public.token_usage_daily (subject_kind, subject_id, usage_date, prompt_tokens, completion_tokens, calls)
      values ('user', u, current_date, 10, 5, 1);
    insert into public.user_token_limits (user_id, daily_token_limit) values (u, 1000);
  end loop;
end
$fixture$;

insert into public.sessions (id, host_id, title) values
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('bob'), 'bob hosts'),
  ('5e550000-0000-4000-8000-00000000000a', tests.get_supabase_uid('alice'), 'alice hosts');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('alice'), 'participant', 'accepted'),
  ('5e550000-0000-4000-8000-00000000000a', tests.get_supabase_uid('carol'), 'participant', 'accepted');
-- bob's transcript: bob, alice, bob (in this order)
insert into public.session_messages (session_id, profile_id, "timestamp", content, sentiment_analysis) values
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('bob'), now() - interval '3 min', 'bob opens', null),
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('alice'), now() - interval '2 min', 'alice speaks', '{"score": 0.2}'),
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('bob'), now() - interval '1 min', 'bob answers', null),
  ('5e550000-0000-4000-8000-00000000000a', tests.get_supabase_uid('carol'), now(), 'carol in alice''s session', null);
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path) values
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('bob'), 'agenda.pdf',
   tests.get_supabase_uid('bob') || '/5e550000-0000-4000-8000-00000000000b/agenda.pdf'),
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('alice'), 'notes.pdf',
   tests.get_supabase_uid('alice') || '/5e550000-0000-4000-8000-00000000000b/alice-notes.pdf'),
  ('5e550000-0000-4000-8000-00000000000a', tests.get_supabase_uid('alice'), 'plan.pdf',
   tests.get_supabase_uid('alice') || '/5e550000-0000-4000-8000-00000000000a/plan.pdf');
insert into public.session_evaluations (session_id, evaluator_profile_id, rating_overall_satisfaction) values
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('alice'), 4),
  ('5e550000-0000-4000-8000-00000000000a', tests.get_supabase_uid('carol'), 5);
-- invitations: bob invites alice's address (hers: received), alice invites dave (hers: sent),
-- and bob invites erin (bob's only)
insert into public.session_invitations (session_id, email, invited_by) values
  ('5e550000-0000-4000-8000-00000000000b', 'alice@userdata.test', tests.get_supabase_uid('bob')),
  ('5e550000-0000-4000-8000-00000000000b', 'erin@userdata.test', tests.get_supabase_uid('bob')),
  ('5e550000-0000-4000-8000-00000000000a', 'dave@userdata.test', tests.get_supabase_uid('alice')),
  ('5e550000-0000-4000-8000-00000000000a', 'carol@userdata.test', tests.get_supabase_uid('alice'));

-- Storage, where this database has it (sql/supabase_bootstrap.sql may create storage.objects)
do $storage$
begin
  if to_regclass('storage.objects') is not null then
    execute $q$ insert into storage.buckets (id, name) values ('userdata-test', 'userdata-test') on conflict do nothing $q$;
    execute format($q$ insert into storage.objects (bucket_id, name) values
      ('userdata-test', %L), ('userdata-test', %L), ('userdata-test', %L) $q$,
      tests.get_supabase_uid('alice') || '/avatar.png', tests.get_supabase_uid('alice') || '/docs/cv.pdf',
      tests.get_supabase_uid('bob') || '/avatar.png');
  end if;
end
$storage$;

-- rows per user column: how many rows of each registry column point at a user
create temp table user_rows (phase text, who text, table_name text, column_name text, n bigint);
create function pg_temp.count_user_rows(p_who text, p_phase text) returns void language plpgsql as $$
declare r record; v_n bigint;
begin
  for r in select * from convo.user_data_columns where export_section is not null loop
    execute format('select count(*) from public.%I where %I::text = $1', r.table_name, r.column_name)
      into v_n
      using case when r.column_name = 'email' then (tests.get_supabase_user(p_who) ->> 'email')
                 else tests.get_supabase_uid(p_who)::text end;
    insert into user_rows values (p_phase, p_who, r.table_name, r.column_name, v_n);
  end loop;
end $$;
select pg_temp.count_user_rows('alice', 'before');
select pg_temp.count_user_rows('bob', 'before');

select is_empty($$ select table_name, column_name from user_rows where who = 'alice' and n = 0 $$,
  'the fixture: alice has rows in every user column of the registry (a new table needs a row here too)');

-- 3. export_my_data ----------------------------------------------------------------------------------
create temp table alice_export as select public.export_my_data(tests.get_supabase_uid('alice')) as doc;
select is(tests.value_of('select public.export_my_data()::text', 'alice')::jsonb - 'exported_at',
          (select doc - 'exported_at' from alice_export),
  'a signed-in user exports themselves: the same document the service role gets for them');
select is(tests.value_of($$ select public.export_my_data(p_user_id => tests.get_supabase_uid('alice'))::text $$, 'alice')::jsonb - 'exported_at',
          (select doc - 'exported_at' from alice_export),
  '... also when naming themselves');

select is_empty($$ select r.table_name, r.column_name, r.export_section, u.n
                   from convo.user_data_columns r join user_rows u using (table_name, column_name)
                   cross join alice_export e
                   where u.who = 'alice' and u.phase = 'before' and r.table_name <> 'profiles'
                     and case jsonb_typeof(e.doc -> r.export_section) when 'array' then jsonb_array_length(e.doc -> r.export_section) end
                         is distinct from u.n::int $$,
  'every user column: its export section has exactly the user''s rows of that table');
select is((select doc -> 'profile' ->> 'id' from alice_export), tests.get_supabase_uid('alice')::text,
  'the export: profile');
select is((select doc -> 'user' ->> 'email' from alice_export), 'alice@userdata.test', 'the export: the auth user');
select is((select doc ->> 'format' from alice_export), 'pg_convo.export.v1', 'the export names its format');
select is((select jsonb_agg(m ->> 'content' order by m ->> 'timestamp') from alice_export, jsonb_array_elements(doc -> 'session_messages') m),
          '["alice speaks"]'::jsonb,
  'her messages in bob''s session, not bob''s');
select is((select jsonb_array_length(doc -> 'chat_messages') from alice_export), 3, 'her chat messages (both sides, and a regenerated reply)');
select is((select doc -> 'message_feedback' -> 0 ->> 'reason' from alice_export), 'too_long', 'her feedback on replies');
select is((select doc -> 'chat_summaries' -> 0 ->> 'summary' from alice_export), 'alice said hello', 'her chat summaries');
select ok((select not (doc::text ~ 'bob opens|bob answers|carol in') from alice_export),
  'no other participant''s message text in her export');
select ok((select not exists (select from jsonb_array_elements(doc -> 'chat_messages') m where m ? 'embedding' or m ? 'message_tsv')
           from alice_export),
  'derived search columns are left out');
select is((select jsonb_array_length(doc -> 'storage_objects') from alice_export),
          case when to_regclass('storage.objects') is null then 0 else 2 end,
  'Storage metadata: her objects when storage.objects exists, else none');

-- refusals
select is(tests.error_of($$ select public.export_my_data(p_user_id => tests.get_supabase_uid('bob')) $$, 'alice'),
  '42501: p_user_id must be omitted or be the signed-in user',
  'a signed-in user asking for another user''s export: 403');
select is(tests.sqlstate_of('select public.export_my_data()', 'anon'), '42501', 'anon: no export');
select is(tests.error_of('select public.export_my_data()', 'service_role'),
  '22023: p_user_id is required when calling with the service role key', 'service role must name the user');
select is(tests.error_of($$ select public.export_my_data('ffffffff-ffff-4fff-8fff-ffffffffffff') $$, 'service_role'),
  'PT404: no such user', 'service role, unknown user: 404');

-- 4. delete_my_account: refusals leave everything as it was ----------------------------------------------
select is(tests.error_of($$ select public.delete_my_account('delete my account', tests.get_supabase_uid('bob')) $$, 'alice'),
  '42501: p_user_id must be omitted or be the signed-in user',
  'deleting someone else''s account as a signed-in user: 403');
select is(tests.error_of('select public.delete_my_account()', 'alice'),
  '22023: p_confirm must be the text ''delete my account'': deleting an account cannot be undone', 'without p_confirm: 400');
select is(tests.error_of($$ select public.delete_my_account('true') $$, 'alice'),
  '22023: p_confirm must be the text ''delete my account'': deleting an account cannot be undone', 'p_confirm ''true'': 400');
select is(tests.sqlstate_of($$ select public.delete_my_account('delete my account') $$, 'anon'), '42501', 'anon: 401/403');
select is(tests.error_of($$ select public.delete_my_account('delete my account') $$, 'service_role'),
  '22023: p_user_id is required when calling with the service role key', 'service role must name the user');
select is(tests.error_of($$ select public.delete_my_account('delete my account', 'ffffffff-ffff-4fff-8fff-ffffffffffff') $$, 'service_role'),
  'PT404: no such user', 'service role, unknown user: 404');
select is((select count(*)::int from auth.users where email like '%@userdata.test'), 3, 'after the refusals: every account is there');
select is((select count(*)::int from public.storage_deletion_queue where object_name like tests.get_supabase_uid('alice') || '%'), 0,
  '... and nothing was queued');

-- 5. alice deletes her account ---------------------------------------------------------------------------
create temp table bob_session_before as
  select id, "timestamp", message_type, profile_id, content from public.session_messages
  where session_id = '5e550000-0000-4000-8000-00000000000b';
create temp table deletion as
  select tests.value_of($$ select public.delete_my_account(p_confirm => 'delete my account')::text $$, 'alice')::jsonb as summary;
select is((select summary - 'user_id' from deletion),
  jsonb_build_object('hosted_sessions_deleted', 1, 'messages_redacted', 1, 'invitations_deleted', 1,
    -- her objects (or her folder); her file in bob's session is in her folder, as every path is
    'storage_objects_queued', case when to_regclass('storage.objects') is null then 1 else 2 end),
  'the summary: 1 hosted session, 1 message redacted, 1 invitation to her, Storage queued');
select is((select count(*)::int from auth.users where id = tests.get_supabase_uid('alice')), 0, 'the auth user is gone');

-- catalog-driven: no registry column points at her any more, and no row in public mentions her id
-- or address (the Storage queue aside: it holds her folder's paths until the backend drains it)
select pg_temp.count_user_rows('alice', 'after');
select is_empty($$ select table_name, column_name, n from user_rows where who = 'alice' and phase = 'after' and n > 0 $$,
  'no row of any user column points at her');
create function pg_temp.tables_mentioning(p_text text) returns setof text language plpgsql as $$
declare t record; v_found boolean;
begin
  for t in select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace
             and c.relkind in ('r', 'p') and c.relname <> 'storage_deletion_queue' loop
    execute format('select exists (select from public.%I x where strpos(x::text, $1) > 0)', t.relname)
      into v_found using p_text;
    if v_found then return next t.relname; end if;
  end loop;
end $$;
select is_empty($$ select pg_temp.tables_mentioning(tests.get_supabase_uid('alice')::text) $$,
  'no table in public holds her id anywhere in a row');
select is_empty($$ select pg_temp.tables_mentioning('alice@userdata.test') $$,
  'no table in public holds her address');
select is_empty($$ select pg_temp.tables_mentioning('alice speaks') $$,
  'her words are gone from bob''s session');

-- others' data: bob's rows are all there, but for the invitation he sent to her address
select pg_temp.count_user_rows('bob', 'after');
select is_empty($$ select b.table_name, b.column_name, b.n as before, a.n as after
                   from user_rows b join user_rows a using (table_name, column_name)
                   where b.who = 'bob' and a.who = 'bob' and b.phase = 'before' and a.phase = 'after'
                     and a.n <> b.n - case when (b.table_name, b.column_name) = ('session_invitations', 'invited_by') then 1 else 0 end $$,
  'bob''s rows: all intact (his invitation to her address aside)');
select is((select count(*)::int from public.session_invitations where email = 'erin@userdata.test'), 1,
  'bob''s other invitation stays');
-- bob's transcript stays coherent: same messages, same order, hers without text or author
select is((select jsonb_agg(jsonb_build_array(m.id, m.message_type, m.content, m.profile_id is null) order by m."timestamp")
           from public.session_messages m where m.session_id = '5e550000-0000-4000-8000-00000000000b'),
          (select jsonb_agg(jsonb_build_array(b.id, b.message_type,
                   case when b.profile_id = tests.get_supabase_uid('alice') then '' else b.content end,
                   b.profile_id = tests.get_supabase_uid('alice')) order by b."timestamp")
           from bob_session_before b),
  'bob''s transcript: every message in place, hers redacted (no text, no author)');
select is((select count(*)::int from public.session_messages
           where session_id = '5e550000-0000-4000-8000-00000000000b' and sentiment_analysis is not null), 0,
  'her message''s sentiment analysis is gone too');
select is((select count(*)::int from public.sessions where id = '5e550000-0000-4000-8000-00000000000a'), 0,
  'the session she hosted is gone (with carol''s message in it, as documented)');
select is((select array_agg(file_name order by file_name) from public.session_files
           where session_id in ('5e550000-0000-4000-8000-00000000000a', '5e550000-0000-4000-8000-00000000000b')),
          array['agenda.pdf'],
  'files: hers are gone from bob''s session, bob''s stay');
select is((select array_agg(coalesce(bucket_id, '*') || ':' || object_name || ':' || is_prefix order by object_name)
           from public.storage_deletion_queue
           where object_name like tests.get_supabase_uid('alice') || '/%'),
          case when to_regclass('storage.objects') is null
            then array['*:' || tests.get_supabase_uid('alice') || '/:true']
            else array['userdata-test:' || tests.get_supabase_uid('alice') || '/avatar.png:false',
                       'userdata-test:' || tests.get_supabase_uid('alice') || '/docs/cv.pdf:false'] end,
  'the Storage queue: her folder (or, with storage.objects, each object in it; her file in bob''s session is under it)');
select is(tests.sqlstate_of('select * from public.storage_deletion_queue', 'bob'), '42501',
  'the queue: not for signed-in users');
select is(tests.affected(format($$ delete from public.storage_deletion_queue where object_name like %L $$,
                                 tests.get_supabase_uid('alice') || '/%'), 'service_role'),
  case when to_regclass('storage.objects') is null then 1 else 2 end::bigint,
  'the backend drains the queue with the service role');

-- 6. the same path: an admin deleting the auth user; the service role deleting a named user -----------
insert into public.session_messages (session_id, profile_id, content) values
  ('5e550000-0000-4000-8000-00000000000b', tests.get_supabase_uid('carol'), 'carol in bob''s session');
delete from auth.users where id = tests.get_supabase_uid('carol');
select is((select content from public.session_messages
           where session_id = '5e550000-0000-4000-8000-00000000000b' and "timestamp" = (select max("timestamp") from public.session_messages)),
  '', 'an admin deleting the auth user: the same redaction');
select is((tests.value_of($$ select public.delete_my_account('delete my account', tests.get_supabase_uid('bob'))::text $$, 'service_role')::jsonb
           ->> 'hosted_sessions_deleted'), '1', 'the service role deletes a named user');
select is((select count(*)::int from public.session_messages where session_id = '5e550000-0000-4000-8000-00000000000b'), 0,
  '... and with bob''s session, its transcript');

select * from finish();
rollback;
