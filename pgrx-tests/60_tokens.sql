-- Token-aware conversations: exact counts, stored token_count columns, context windows that fit
-- a budget, usage accounting and daily quotas (migrations/…_tokens.sql, src/tokens.rs).
begin;
select plan(56);

select tests.create_supabase_user('a', 'tok-a@example.test') as a \gset
select tests.create_supabase_user('b', 'tok-b@example.test') as b \gset


-- Exact counts ------------------------------------------------------------------------------------
-- (every message of a generated corpus against OpenAI's own tiktoken: scripts/test_tokens.sh)
select is(convo.count_tokens('hello world'), 2, 'o200k_base: "hello world" is 2 tokens');
select is(convo.count_tokens('hello world', 'cl100k_base'), 2, 'cl100k_base: 2 tokens');
select is(convo.count_tokens(''), 0, 'the empty string is 0 tokens');
select ok(convo.count_tokens('<|endoftext|>') > 1, 'a special-token marker in user text counts as ordinary text');
select is(convo.count_tokens(null), null, 'null in, null out (strict)');
select throws_ok($$ select convo.count_tokens('x', 'r50k_base') $$, '22023', 'unknown encoding',
  'an unsupported encoding: 22023, and the message does not repeat it');
select volatility_is('convo', 'count_tokens', array['text', 'text'], 'immutable', 'count_tokens is IMMUTABLE');
select tests.authenticate_as('a');
select is(public.count_tokens('hello world'), 2, 'public.count_tokens for a signed-in user');
select throws_ok($$ select public.count_tokens(repeat('x', 200001)) $$, '22023', 'p_text is too long',
  'public.count_tokens refuses over 200000 characters');
select tests.clear_authentication();
select throws_ok($$ select public.count_tokens('x') $$, '42501', null, 'anon may not call count_tokens');


-- Stored counts --------------------------------------------------------------------------------------
select tests.authenticate_as('a');
select lives_ok(format($$ select public.store_chat_pair(%L, 'hello world', 'Hi there! How can I help?') $$, :'a'),
  'a pair is stored');
select results_eq(
  $$ select sender_type, token_count from public.chat_messages order by "timestamp" $$,
  $$ values ('user'::text, 2), ('ai', convo.count_tokens('Hi there! How can I help?')) $$,
  'chat_messages.token_count is computed by the database for both rows');
select throws_ok(
  format($$ insert into public.chat_messages (user_id, message_text, sender_type, token_count) values (%L, 'x', 'user', 1) $$, :'a'),
  '428C9', null, 'a client cannot send token_count');
select tests.authenticate_as_service_role();
insert into public.user_sessions (id, phone_number, assigned_persona)
values ('00000000-0000-4000-8000-0000000000a1', '+15550009999', 'default');
insert into public.messages (session_id, role, content, region)
values ('00000000-0000-4000-8000-0000000000a1', 'user', 'hello world', 'default');
select is((select token_count from public.messages where content = 'hello world'), 2,
  'messages.token_count is computed too');
select tests.reset_authentication();


-- get_chat_context ----------------------------------------------------------------------------------------
-- user b: three turns of known size, oldest first: 10+10, 20+20, 5+5 tokens
select tests.authenticate_as_service_role();
insert into public.chat_messages (id, user_id, message_text, sender_type, "timestamp")
values ('00000000-0000-4000-8000-000000000b01', :'b', rtrim(repeat('a ', 10)), 'user', now() - interval '3 hours'),
       ('00000000-0000-4000-8000-000000000b03', :'b', rtrim(repeat('b ', 20)), 'user', now() - interval '2 hours'),
       ('00000000-0000-4000-8000-000000000b05', :'b', rtrim(repeat('c ', 5)), 'user', now() - interval '1 hour');
insert into public.chat_messages (user_id, message_text, sender_type, reply_to, "timestamp")
values (:'b', rtrim(repeat('a ', 10)), 'ai', '00000000-0000-4000-8000-000000000b01', now() - interval '3 hours' + interval '1 second'),
       (:'b', rtrim(repeat('b ', 20)), 'ai', '00000000-0000-4000-8000-000000000b03', now() - interval '2 hours' + interval '1 second'),
       (:'b', rtrim(repeat('c ', 5)), 'ai', '00000000-0000-4000-8000-000000000b05', now() - interval '1 hour' + interval '1 second');
select is((select array_agg(token_count order by "timestamp") from public.chat_messages where user_id = :'b'),
  array[10, 10, 20, 20, 5, 5], 'the test turns have 10+10, 20+20 and 5+5 tokens');

select tests.authenticate_as('b');
select is((public.get_chat_context(1000) ->> 'total_tokens')::int, 70, 'a large budget: every turn, 70 tokens');
select is(
  (select array_agg(m ->> 'role') from jsonb_array_elements(public.get_chat_context(1000) -> 'messages') m),
  array['user', 'assistant', 'user', 'assistant', 'user', 'assistant'], 'oldest first, user then assistant');
select is((select array_agg((m ->> 'token_count')::int) from jsonb_array_elements(public.get_chat_context(1000) -> 'messages') m),
  array[10, 10, 20, 20, 5, 5], 'each message carries its token_count');
select is(public.get_chat_context(50) -> 'messages' -> 0 ->> 'content', rtrim(repeat('b ', 20)),
  'an exact fit: 50 tokens hold the newest two turns (10 + 40)');
select is((public.get_chat_context(50) ->> 'total_tokens')::int, 50, 'and use exactly 50');
select is((public.get_chat_context(49) ->> 'total_tokens')::int, 10,
  'one token less: only the newest turn (whole turns, no gaps)');
select is(public.get_chat_context(9), '{"memories": [], "summary": null, "messages": [], "max_tokens": 9, "total_tokens": 0, "memory_tokens": 0, "summary_tokens": 0, "message_tokens": 0}'::jsonb,
  'a budget smaller than the newest turn: empty, total 0 (an older smaller turn is not taken)');
select tests.authenticate_as('a');
select is((public.get_chat_context(5) ->> 'total_tokens')::int, 0,
  'a message bigger than the whole budget: empty, total 0');
select tests.authenticate_as('b');
select is(jsonb_array_length(public.get_chat_context(1000, '00000000-0000-4000-8000-00000000ffff') -> 'messages'), 0,
  'another session: no messages');

-- memories within a share of the budget, most important first; a read counts as an access
insert into public.user_memories (user_id, memory_key, memory_value, importance)
values (:'b', 'name', 'Bea', 'high'), (:'b', 'story', rtrim(repeat('long ', 60)), 'medium'),
       (:'b', 'pet', 'a cat', 'low');
select is(
  (select array_agg(m ->> 'memory_key') from jsonb_array_elements(public.get_chat_context(100, null, 20) -> 'memories') m),
  array['name', 'pet'], 'memories that fit 20 tokens, most important first; a too-big one is skipped');
select ok((public.get_chat_context(100, null, 20) ->> 'total_tokens')::int <= 100, 'memories and turns share the budget');
select is((select access_count from public.user_memories where memory_key = 'name'), 2,
  'each context read counted as an access of the memories it returned');
select is((select access_count from public.user_memories where memory_key = 'story'), 0,
  'a memory that was not returned is not counted');

-- the acting-user rule and bad budgets
select throws_ok(format('select public.get_chat_context(100, null, 0, %L)', :'a'), '42501', null,
  'a user naming another user: 42501');
select throws_ok('select public.get_chat_context(0)', '22023', 'p_max_tokens is out of range', 'a zero budget: 22023');
select throws_ok('select public.get_chat_context(-1)', '22023', null, 'a negative budget: 22023');
select throws_ok('select public.get_chat_context(2000001)', '22023', null, 'an absurd budget: 22023');
select throws_ok('select public.get_chat_context(10, null, 11)', '22023', null,
  'a memory share larger than the budget: 22023');
select tests.authenticate_as_service_role();
select is((public.get_chat_context(1000, null, 0, :'b') ->> 'message_tokens')::int, 70,
  'the service role names the user');
select throws_ok('select public.get_chat_context(1000)', '22023', null, 'the service role must name the user');
select tests.clear_authentication();
select throws_ok('select public.get_chat_context(1000)', '42501', null, 'anon: 42501');


-- load_conversation_context (the SMS backend) ------------------------------------------------------------
select tests.authenticate_as_service_role();
insert into public.messages (session_id, role, content, region, created_at)
values ('00000000-0000-4000-8000-0000000000a1', 'assistant', rtrim(repeat('d ', 30)), 'default', now() + interval '1 second'),
       ('00000000-0000-4000-8000-0000000000a1', 'user', rtrim(repeat('e ', 7)), 'sales', now() + interval '2 seconds');
select is(
  (select array_agg((m ->> 'token_count')::int) from jsonb_array_elements(
     public.load_conversation_context('00000000-0000-4000-8000-0000000000a1', 37) -> 'messages') m),
  array[30, 7], 'the newest messages that fit, oldest first (2 + 30 + 7 > 37)');
select is((public.load_conversation_context('00000000-0000-4000-8000-0000000000a1', 1000, 'default') ->> 'total_tokens')::int,
  32, 'one region only');
select throws_ok($$ select public.load_conversation_context('00000000-0000-4000-8000-0000000000a1', 0) $$, '22023', null,
  'a zero budget: 22023');
select tests.authenticate_as('a');
select throws_ok($$ select public.load_conversation_context('00000000-0000-4000-8000-0000000000a1', 100) $$, '42501', null,
  'users may not read SMS sessions');


-- Usage and quotas on the SMS / assistant messages ------------------------------------------------------
select tests.authenticate_as_service_role();
insert into public.clients (id, name, plan) values ('00000000-0000-4000-8000-0000000000c1', 'Cafe', 'basic');
insert into public.conversations (id, client_id) values ('conv-tok-1', '00000000-0000-4000-8000-0000000000c1');
update public.plan_token_limits set daily_token_limit = 1000 where plan = 'basic';
insert into public.messages (conversation_id, role, content, model, prompt_tokens, completion_tokens)
values ('conv-tok-1', 'assistant', 'one', 'gpt-4o', 300, 100), ('conv-tok-1', 'assistant', 'two', 'gpt-4o', 200, 100);
insert into public.messages (session_id, role, content, model, prompt_tokens, completion_tokens)
values ('00000000-0000-4000-8000-0000000000a1', 'assistant', 'three', 'gpt-4o-mini', 50, 5);
select results_eq(
  $$ select subject_kind, prompt_tokens, completion_tokens, total_tokens, calls from public.token_usage_daily
     where subject_id in ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000a1')
     order by subject_kind $$,
  $$ values ('client'::text, 500::bigint, 200::bigint, 700::bigint, 2), ('phone_session', 50, 5, 55, 1) $$,
  'reported usage adds up per client and per phone session for the day');
select throws_ok(
  $$ insert into public.messages (conversation_id, role, content, model, prompt_tokens, completion_tokens)
     values ('conv-tok-1', 'assistant', 'over', 'gpt-4o', 250, 60) $$,
  'PT429', 'daily token limit reached', 'a message that would take the client over its plan''s limit: PT429 (HTTP 429)');
select is((select count(*) from public.messages where content = 'over'), 0::bigint, 'and nothing of it was written');
select is((select total_tokens from public.token_usage_daily where subject_id = '00000000-0000-4000-8000-0000000000c1'),
  700::bigint, 'the usage total is unchanged by the refused call');
select throws_ok(
  $$ insert into public.messages (conversation_id, role, content, prompt_tokens) values ('conv-tok-1', 'assistant', 'half', 5) $$,
  '23514', null, 'usage is both counts or none');


-- store_chat_pair reports usage: metered per user and day, refused over the user's limit ---------------
insert into public.user_token_limits (user_id, daily_token_limit) values (:'b', 1000);
select tests.authenticate_as('b');
select lives_ok(format($$ select public.store_chat_pair(%L, 'q1', 'a1', null, null, null, 'gpt-4o', 600, 300) $$, :'b'),
  'a turn with its reported usage is stored');
select is((select total_tokens from public.token_usage_daily where subject_kind = 'user' and subject_id = :'b'),
  900::bigint, 'and metered: 600 + 300 tokens today');
select throws_ok(format($$ select public.store_chat_pair(%L, 'q2', 'a2', null, null, null, 'gpt-4o', 100, 1) $$, :'b'),
  'PT429', 'daily token limit reached', 'a turn that would go over the user''s daily limit: PT429 (HTTP 429)');
select is((select count(*) from public.chat_messages where message_text in ('q2', 'a2')), 0::bigint,
  'nothing of the refused turn was written');
select lives_ok(format($$ select public.store_chat_pair(%L, 'q3', 'a3', null, null, null, 'gpt-4o', 90, 10) $$, :'b'),
  'a turn that reaches the limit exactly is stored');
select throws_ok(format($$ select public.store_chat_pair(%L, 'q4', 'a4', null, null, null, null, 5, null) $$, :'b'),
  '22023', 'p_prompt_tokens and p_completion_tokens go together', 'half a usage report: 22023');
select throws_ok(format($$ select public.store_chat_pair(%L, 'q4', 'a4', null, null, null, 'm', -1, 0) $$, :'b'),
  '22023', null, 'negative token counts: 22023');
select tests.authenticate_as_service_role();


-- get_my_usage and who may see usage --------------------------------------------------------------------
insert into public.token_usage_daily (subject_kind, subject_id, usage_date, prompt_tokens, completion_tokens, calls)
values ('user', :'a', (now() at time zone 'UTC')::date, 10, 20, 1);
insert into public.user_token_limits (user_id, daily_token_limit) values (:'a', 5000);
select tests.authenticate_as('a');
select results_eq($$ select total_tokens, calls, daily_token_limit from public.get_my_usage() $$,
  $$ values (30::bigint, 1, 5000::bigint) $$, 'get_my_usage: the user''s own day, with their limit');
select is((select count(*) from public.token_usage_daily), 1::bigint, 'a user sees only their own usage rows');
select throws_ok($$ select * from public.get_my_usage('2026-02-01', '2026-01-01') $$, '22023', null,
  'p_from after p_to: 22023');
select throws_ok(
  format($$ update public.token_usage_daily set prompt_tokens = 0 where subject_id = %L $$, :'a'),
  '42501', null, 'users cannot rewrite their usage');

select * from finish();
rollback;
