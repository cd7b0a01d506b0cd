-- Users' data (issue 23): retention windows, apply_retention (dry run, batches), the SMS seed's
-- delete_old_messages as one case of it, and the daily pg_cron job.
begin;
select plan(34);

select tests.create_supabase_user('rita', 'rita@retention.test');

-- 1. The windows and who may set them --------------------------------------------------------------
select is((select array_agg(target order by target) from public.retention_windows),
  array['assistant_messages', 'chat_messages', 'mentor_transcripts', 'music_interactions', 'music_listening_history',
        'sms_messages', 'soul_memories', 'token_usage', 'user_memories'],
  'the kinds of rows with a window');
select ok((select bool_and(description <> '') from public.retention_windows), 'each says what it covers');
-- the migration's defaults (README), set here: a stack may have changed them (the README's example does)
update public.retention_windows w set keep_days = d.keep_days
  from (values ('chat_messages', null::int), ('sms_messages', 90), ('assistant_messages', 30), ('token_usage', 400),
               ('mentor_transcripts', 365), ('user_memories', null), ('soul_memories', null),
               ('music_listening_history', null), ('music_interactions', null)) d(target, keep_days)
  where w.target = d.target;
update public.plan_token_limits set chat_history_days = case plan when 'basic' then 90 else 365 end;

select is(tests.error_of($$ update public.retention_windows set keep_days = 0 where target = 'sms_messages' $$, 'service_role'),
  '23514: new row for relation "retention_windows" violates check constraint "retention_windows_keep_days_check"',
  'a window of zero days: refused (400)');
select is(tests.sqlstate_of($$ update public.retention_windows set keep_days = -5 where target = 'sms_messages' $$, 'service_role'),
  '23514', 'a negative window: refused (400)');
select is(tests.sqlstate_of($$ update public.plan_token_limits set chat_history_days = 0 where plan = 'basic' $$, 'service_role'),
  '23514', 'a plan''s chat history of zero days: refused (400)');
select is((select keep_days from public.retention_windows where target = 'sms_messages'), 90, '... and nothing changed');
select is(tests.affected($$ update public.retention_windows set keep_days = 30 where target = 'sms_messages' $$, 'service_role'),
  1::bigint, 'the service role sets a window');
select is(tests.sqlstate_of($$ update public.retention_windows set target = 'x' where target = 'sms_messages' $$, 'service_role'),
  '42501', 'the targets are the database''s');
select is(tests.sqlstate_of('select * from public.retention_windows', 'rita'), '42501', 'signed-in users: no access');
select is(tests.sqlstate_of('select public.apply_retention(true)', 'rita'), '42501', 'apply_retention: not for signed-in users');
select is(tests.sqlstate_of('select public.apply_retention(true)', 'anon'), '42501', '... nor anon');
select is(tests.error_of('select public.apply_retention(p_batch_size => 0)', 'service_role'),
  '22023: p_batch_size must be between 1 and 100000', 'a batch of zero rows: 400');
select is(tests.error_of('select public.apply_retention(p_max_batches => -1)', 'service_role'),
  '22023: p_max_batches must be at least 1', 'a negative number of batches: 400');

-- 2. Old and new rows of every kind -------------------------------------------------------------------
insert into public.user_sessions (id, phone_number, assigned_persona)
  values ('4e700000-0000-4000-8000-000000000001', '+15550001111', 'samantha');
insert into public.messages (session_id, role, content, created_at)
  select '4e700000-0000-4000-8000-000000000001', 'user', 'old sms ' || i, now() - interval '40 days' - i * interval '1 min'
  from generate_series(1, 3) i;
insert into public.messages (session_id, role, content) values ('4e700000-0000-4000-8000-000000000001', 'user', 'new sms');
insert into public.clients (id, email, plan) values
  ('c1e00000-0000-4000-8000-000000000001', 'basic@retention.test', 'basic'),
  ('c1e00000-0000-4000-8000-000000000002', 'premium@retention.test', 'premium');
insert into public.conversations (id, client_id) values
  ('ret-basic', 'c1e00000-0000-4000-8000-000000000001'),
  ('ret-premium', 'c1e00000-0000-4000-8000-000000000002'),
  ('ret-anonymous', null);
-- 100 days old: past basic's 90 days, within premium's 365; the anonymous one past 30
insert into public.messages (conversation_id, role, content, created_at) values
  ('ret-basic', 'user', 'old basic', now() - interval '100 days'),
  ('ret-basic', 'user', 'new basic', now()),
  ('ret-premium', 'user', 'old premium', now() - interval '100 days'),
  ('ret-anonymous', 'user', 'old anonymous', now() - interval '31 days');
insert into public.token_usage_daily (subject_kind, subject_id, usage_date, prompt_tokens, completion_tokens, calls) values
  ('user', tests.get_supabase_uid('rita'), current_date - 401, 1, 1, 1),
  ('user', tests.get_supabase_uid('rita'), current_date, 1, 1, 1);
insert into public.mentor_conversations (user_id, provider_conversation_id, status, start_time, end_time, duration_seconds, transcript)
  values (tests.get_supabase_uid('rita'), 'ret-old', 'completed', now() - interval '400 days', now() - interval '400 days', 0, '["old words"]'),
         (tests.get_supabase_uid('rita'), 'ret-new', 'completed', now() - interval '1 day', now() - interval '1 day', 0, '["new words"]');
insert into public.user_memories (user_id, memory_key, memory_value, updated_at)
  values (tests.get_supabase_uid('rita'), 'old', 'an old memory', now() - interval '1000 days');
insert into public.chat_messages (user_id, message_text, sender_type, "timestamp")
  values (tests.get_supabase_uid('rita'), 'an old chat', 'user', now() - interval '1000 days');

-- 3. Dry run: counts, deletes nothing ------------------------------------------------------------------
create temp table dry as select public.apply_retention(p_dry_run => true) as report;
select is((select jsonb_object_agg(w ->> 'target' || coalesce(':' || (w ->> 'plan'), ''), (w ->> 'would_expire')::int)
           from dry, jsonb_array_elements(report -> 'windows') w),
  '{"sms_messages": 3, "assistant_messages": 1, "assistant_messages:basic": 1, "assistant_messages:premium": 0,
    "token_usage": 1, "mentor_transcripts": 1}'::jsonb,
  'the dry run reports what each window would remove');
select is((select (report ->> 'dry_run')::boolean from dry), true, '... says it was a dry run');
select is((select count(*)::int from public.messages where content like 'old%'), 6, '... and removes nothing');

-- 4. Small batches --------------------------------------------------------------------------------------
create temp table batch as select public.apply_retention(p_batch_size => 2, p_max_batches => 1) as report;
select is((select w -> 'expired' from batch, jsonb_array_elements(report -> 'windows') w where w ->> 'target' = 'sms_messages'),
  '2'::jsonb, 'one batch of 2: two SMS messages go');
select is((select w -> 'more' from batch, jsonb_array_elements(report -> 'windows') w where w ->> 'target' = 'sms_messages'),
  'true'::jsonb, '... and the report says more are left');
select is((select content from public.messages where content like 'old sms%'), 'old sms 1', '... the oldest went first');

-- 5. Everything past its window ---------------------------------------------------------------------------
create temp table full_run as select public.apply_retention() as report;
select is((select bool_or((w ->> 'more')::boolean) from full_run, jsonb_array_elements(report -> 'windows') w), false,
  'a full run leaves nothing past a window');
select is((select array_agg(content order by content) from public.messages
           where session_id = '4e700000-0000-4000-8000-000000000001' or conversation_id like 'ret-%'),
  array['new basic', 'new sms', 'old premium'], 'messages: the old ones went, premium keeps 100 days');
select is((select array_agg(usage_date) from public.token_usage_daily where subject_id = tests.get_supabase_uid('rita')),
  array[current_date], 'usage rows past 400 days went');
select is((select jsonb_agg(transcript order by provider_conversation_id) from public.mentor_conversations
           where user_id = tests.get_supabase_uid('rita')),
  '[["new words"], null]'::jsonb, 'the old mentor transcript is cleared, the conversation stays');
select is((select count(*)::int from public.user_memories where user_id = tests.get_supabase_uid('rita')), 1,
  'memories stay (no window)');
select is((select count(*)::int from public.chat_messages where user_id = tests.get_supabase_uid('rita')), 1,
  'chat history of signed-in users stays (no window)');

-- configured: memories and chat history go too
update public.retention_windows set keep_days = 365 where target in ('user_memories', 'chat_messages');
select is((select jsonb_object_agg(w ->> 'target', w -> 'would_expire')
           from jsonb_array_elements(public.apply_retention(true) -> 'windows') w
           where w ->> 'target' in ('user_memories', 'chat_messages')),
  '{"user_memories": 1, "chat_messages": 1}'::jsonb, 'a dry run after configuring memories and chat history');
select is((public.apply_retention() ->> 'dry_run')::boolean, false, 'applying them');
select is((select count(*)::int from public.user_memories where user_id = tests.get_supabase_uid('rita'))
        + (select count(*)::int from public.chat_messages where user_id = tests.get_supabase_uid('rita')), 0,
  'configured windows apply to memories and chat history');

-- 6. delete_old_messages: the SMS case, for one session --------------------------------------------------
insert into public.messages (session_id, role, content, created_at)
  values ('4e700000-0000-4000-8000-000000000001', 'user', 'a week old', now() - interval '7 days');
select is(tests.value_of($$ select public.delete_old_messages('4e700000-0000-4000-8000-000000000001', 5) $$, 'service_role'),
  '1', 'delete_old_messages still deletes that session''s messages older than its days');
select is(tests.error_of($$ select public.delete_old_messages('4e700000-0000-4000-8000-000000000001', -1) $$, 'service_role'),
  '22023: p_older_than_days must be a number of days >= 0', '... and refuses negative days as before');
select is((select prosrc ~ 'convo\.expire_rows\(''sms_messages''' from pg_proc
           where oid = 'public.delete_old_messages(uuid, integer)'::regprocedure), true,
  '... through convo.expire_rows, as apply_retention');

-- 7. The daily job ---------------------------------------------------------------------------------------
select case when exists (select from pg_extension where extname = 'pg_cron') then
  is((select jsonb_build_object('schedule', schedule, 'command', command, 'active', active)::text
      from cron.job where jobname = 'pg_convo_retention'),
     '{"active": true, "command": "call convo.run_retention()", "schedule": "17 3 * * *"}',
     'pg_cron: the daily job pg_convo_retention is registered')
  else skip('pg_cron is not installed in this database (not preloaded): no job to check', 1) end;
select case when exists (select from pg_extension where extname = 'pg_cron') then
  is(convo.schedule_retention(), true, 'scheduling again replaces the job (one job)')
  else skip('pg_cron is not installed in this database (not preloaded)', 1) end;
select case when exists (select from pg_extension where extname = 'pg_cron') then
  is((select count(*)::int from cron.job where jobname = 'pg_convo_retention'), 1, '... still one job')
  else skip('pg_cron is not installed in this database (not preloaded)', 1) end;

select * from finish();
rollback;
