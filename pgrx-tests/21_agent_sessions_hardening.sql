-- Agent sessions, hardened (migration 20261123020000_agent_sessions_hardening; issue 11): bounds on
-- every text / jsonb column, server-maintained columns, explicit nulls taking defaults, and RPC
-- errors without caller text and without existence oracles.
begin;
select plan(42);


insert into public.user_sessions (id, phone_number, assigned_persona) values
  ('a2000000-0000-4000-8000-000000000001', '+15550100001', 'aldea');
insert into public.clients (id, name, email, phone) values
  ('c2000000-0000-4000-8000-000000000001', 'Ann', 'ann@hardening.test', '+15550100002');
insert into public.conversations (id, client_id) values ('conv_hard', 'c2000000-0000-4000-8000-000000000001');

create temp view agent_tables(t) as
  select unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                      'working_memory_snapshots', 'clients', 'conversations', 'reservations', 'orders', 'messages']);
grant select on agent_tables to service_role, authenticated, anon;


-- 1. Bounds --------------------------------------------------------------------------------------------
select is_empty($$ select c.relname || '.' || a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
                   where c.oid in (select ('public.' || t)::regclass from agent_tables)
                     and a.attnum > 0 and not a.attisdropped and a.atttypid in ('text'::regtype, 'jsonb'::regtype)
                     and not exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'
                                       and k.conname = c.relname || '_' || a.attname || '_length_check') $$,
  'every text / jsonb column of the agent-session tables has a <table>_<column>_length_check');

select tests.authenticate_as_service_role();
select lives_ok($$ insert into public.messages (session_id, role, content)
                   values ('a2000000-0000-4000-8000-000000000001', 'user', repeat('é', 20000)) $$,
  'messages.content: 20000 characters are accepted');
select throws_ok(format($$ insert into public.%s $$, v.stmt), '23514', null, v.what || ' is refused (23514 → 400)')
from (values
  ($$messages (session_id, role, content) values ('a2000000-0000-4000-8000-000000000001', 'user', repeat('x', 20001))$$,
   'messages.content over 20000 characters'),
  ($$messages (session_id, role, content, message_sid) values ('a2000000-0000-4000-8000-000000000001', 'user', 'x', repeat('S', 129))$$,
   'messages.message_sid over 128 characters'),
  ($$messages (session_id, role, content, metadata) values ('a2000000-0000-4000-8000-000000000001', 'user', 'x', jsonb_build_object('k', repeat('m', 65536)))$$,
   'messages.metadata over 64 KiB'),
  ($$soul_memories (session_id, key, value) values ('a2000000-0000-4000-8000-000000000001', 'k', to_jsonb(repeat('v', 65536)))$$,
   'soul_memories.value over 64 KiB'),
  ($$soul_memories (session_id, key, value) values ('a2000000-0000-4000-8000-000000000001', repeat('k', 201), '1')$$,
   'soul_memories.key over 200 characters'),
  ($$process_memories (session_id, process_name, key, value) values ('a2000000-0000-4000-8000-000000000001', repeat('p', 101), 'k', '1')$$,
   'process_memories.process_name over 100 characters'),
  ($$mental_process_state (session_id, params) values ('a2000000-0000-4000-8000-000000000001', jsonb_build_object('k', repeat('p', 65536)))$$,
   'mental_process_state.params over 64 KiB'),
  ($$working_memory_snapshots (session_id, memories) values ('a2000000-0000-4000-8000-000000000001', to_jsonb(repeat('w', 1048576)))$$,
   'working_memory_snapshots.memories over 1 MiB'),
  ($$user_sessions (phone_number, assigned_persona) values ('+15550100009', repeat('p', 101))$$,
   'user_sessions.assigned_persona over 100 characters'),
  ($$clients (email) values (repeat('e', 250) || '@x.io')$$, 'clients.email over 254 characters'),
  ($$clients (name) values (repeat('n', 201))$$, 'clients.name over 200 characters'),
  ($$conversations (id) values (repeat('c', 201))$$, 'conversations.id over 200 characters'),
  ($$reservations (datetime, notes) values (now(), repeat('n', 2001))$$, 'reservations.notes over 2000 characters'),
  ($$orders (order_id, amount, currency) values ('ord_hard_1', 1, 'usdc')$$, 'orders.currency longer than an ISO 4217 code'),
  ($$orders (order_id, amount, items) values ('ord_hard_2', 1, jsonb_build_array(repeat('i', 65536)))$$,
   'orders.items over 64 KiB')
) v(stmt, what);
select lives_ok($$ insert into public.working_memory_snapshots (session_id, memories)
                   values ('a2000000-0000-4000-8000-000000000001', to_jsonb(repeat('w', 1000000))) $$,
  'working_memory_snapshots.memories of ~1 MB is accepted');
insert into public.soul_memories (session_id, key, value) values ('a2000000-0000-4000-8000-000000000001', 'mood', '"ok"');
select throws_ok($$ update public.soul_memories set value = to_jsonb(repeat('v', 65536))
                    where session_id = 'a2000000-0000-4000-8000-000000000001' and key = 'mood' $$,
  '23514', null, 'an update past a bound is refused as well');


-- 2. Explicit nulls take the default (supabase-js / -py send null for "no value") -------------------------
insert into public.messages (id, session_id, role, content, region, metadata)
values ('e2000000-0000-4000-8000-000000000001', 'a2000000-0000-4000-8000-000000000001', 'user', 'nulls', null, null);
select results_eq($$ select region, metadata from public.messages where id = 'e2000000-0000-4000-8000-000000000001' $$,
  $$ values ('default', '{}'::jsonb) $$, 'messages: region and metadata null take default / {}');
insert into public.mental_process_state (session_id, process_name, params)
values ('a2000000-0000-4000-8000-000000000001', null, null);
select results_eq($$ select process_name, params from public.mental_process_state where session_id = 'a2000000-0000-4000-8000-000000000001' $$,
  $$ values ('initial', '{}'::jsonb) $$, 'mental_process_state: process_name and params null take initial / {}');
insert into public.orders (order_id, amount, currency, status, items) values ('ord_nulls', 1, null, null, null);
select results_eq($$ select currency, status, items from public.orders where order_id = 'ord_nulls' $$,
  $$ values ('usd', 'pending', '[]'::jsonb) $$, 'orders: currency, status, items null take usd / pending / []');
insert into public.user_sessions (phone_number, assigned_persona, total_messages, metadata)
values ('+15550100003', 'aldea', null, null);
select results_eq($$ select total_messages, metadata from public.user_sessions where phone_number = '+15550100003' $$,
  $$ values (0, '{}'::jsonb) $$, 'user_sessions: total_messages and metadata null take 0 / {}');
insert into public.clients (email, preferred_language, plan) values ('nulls@hardening.test', null, null);
select results_eq($$ select preferred_language, plan from public.clients where email = 'nulls@hardening.test' $$,
  $$ values ('en', 'basic') $$, 'clients: preferred_language and plan null take en / basic');


-- 3. Server-maintained columns ------------------------------------------------------------------------
select results_eq($$ select c.relname::text collate "default" from pg_trigger g join pg_class c on c.oid = g.tgrelid
                     where not g.tgisinternal and g.tgname = c.relname || '_keep_server_columns'
                       and c.relname in (select t from agent_tables) order by 1 $$,
  $$ select t collate "default" from agent_tables order by 1 $$,
  'every agent-session table has its keep_server_columns trigger');
-- the seed's own writes, as the service role (the backend is the server here)
update public.user_sessions set last_active_at = '2026-01-02T03:04:05Z', metadata = '{"session_number": 2}'
where id = 'a2000000-0000-4000-8000-000000000001';
select is((select last_active_at from public.user_sessions where id = 'a2000000-0000-4000-8000-000000000001'),
  '2026-01-02T03:04:05Z'::timestamptz, 'service_role: the SMS backend still sets last_active_at itself (the seed''s update)');
insert into public.soul_memories (session_id, key, value, updated_at)
values ('a2000000-0000-4000-8000-000000000001', 'name', '"Ann"', '2026-01-02T03:04:05Z');
select is((select updated_at from public.soul_memories where key = 'name' and session_id = 'a2000000-0000-4000-8000-000000000001'),
  '2026-01-02T03:04:05Z'::timestamptz, 'service_role: the seed''s upsert still sets updated_at');

-- Should a policy ever open one of these tables to signed-in users, the server's columns stay the
-- server's: shown by opening messages within this (rolled back) test.
select tests.reset_authentication();
grant insert, update, select on public.messages to authenticated;
create policy "test only: authenticated writes messages" on public.messages for all to authenticated
  using (true) with check (true);
select tests.act_as_user(tests.create_user('mallory@hardening.test'));
insert into public.messages (id, session_id, role, content, created_at)
values ('e2000000-0000-4000-8000-000000000002', 'a2000000-0000-4000-8000-000000000001', 'user', 'x', '2000-01-01');
select is((select created_at from public.messages where id = 'e2000000-0000-4000-8000-000000000002'), now(),
  'an authenticated insert''s created_at is replaced by the server''s');
update public.messages set created_at = '2000-01-01' where id = 'e2000000-0000-4000-8000-000000000002';
select is((select created_at from public.messages where id = 'e2000000-0000-4000-8000-000000000002'), now(),
  '... and an authenticated update cannot change it');
select tests.reset_authentication();
drop policy "test only: authenticated writes messages" on public.messages;
revoke insert, update, select on public.messages from authenticated;


-- 4. RPC errors: no caller text in messages (values in DETAIL) ------------------------------------------
select tests.authenticate_as_service_role();
select is(tests.error_of($$ select public.increment_session_messages('ffffffff-ffff-4fff-8fff-ffffffffffff') $$, null, true),
  'PT404: user session not found / session_id was ffffffff-ffff-4fff-8fff-ffffffffffff',
  'increment_session_messages, unknown session: PT404, the id only in DETAIL');
select is(tests.error_of($$ select public.get_client_plan('ffffffff-ffff-4fff-8fff-ffffffffffff') $$, null, true),
  'PT404: client not found / p_client_id was ffffffff-ffff-4fff-8fff-ffffffffffff',
  'get_client_plan, unknown client: PT404, the id only in DETAIL');
select is(tests.error_of($$ select public.delete_old_messages('a2000000-0000-4000-8000-000000000001', -987654) $$, null, true),
  '22023: p_older_than_days must be a number of days >= 0 / p_older_than_days was -987654',
  'delete_old_messages, negative days: the number only in DETAIL');
select is(tests.error_of(format('select * from public.get_client_by_identifier(%L, %L)', 'ann@hardening.test',
                                  E'fax\r\nX-Injected: yes'), null, true),
  $$22023: p_type must be 'email' or 'phone' / p_type was "fax\r\nX-Injected: yes"$$,
  'get_client_by_identifier, bad p_type: the message is fixed; the caller''s value, escaped, only in DETAIL');
select is(tests.error_of(format('select * from public.get_client_by_identifier(%L, %L)', 'x', repeat('t', 5000)), null, true),
  $$22023: p_type must be 'email' or 'phone' / p_type was "$$ || repeat('t', 100) || '"',
  'a 5 KB p_type: the fixed message, and only its first 100 characters in DETAIL');
select tests.reset_authentication();
select is_empty($$ select p.oid::regprocedure::text from pg_proc p
                   where p.oid in ('public.increment_session_messages(uuid)'::regprocedure,
                                   'public.delete_old_messages(uuid, integer)'::regprocedure,
                                   'public.get_client_by_identifier(text, text)'::regprocedure,
                                   'public.get_client_plan(uuid)'::regprocedure)
                     and (p.prosrc ~ 'message\s*=\s*format' or p.prosrc ~ 'raise exception ''[^'']*%') $$,
  'no agent-session RPC formats a value into an error message');
select ok(bool_and(coalesce(obj_description(f::regprocedure, 'pg_proc'), '') <> ''),
  'the recreated RPCs keep their comments')
from unnest(array['public.increment_session_messages(uuid)', 'public.delete_old_messages(uuid,integer)',
                  'public.get_client_by_identifier(text,text)', 'public.get_client_plan(uuid)']) f;


-- 5. No existence oracle: without access, an existing and an unknown id get the same answer ---------------
select tests.act_as_user(tests.create_user('eve@hardening.test'));
select is(tests.error_of($$ select public.increment_session_messages('a2000000-0000-4000-8000-000000000001') $$, null, true),
          tests.error_of($$ select public.increment_session_messages('ffffffff-ffff-4fff-8fff-ffffffffffff') $$, null, true),
  'authenticated: increment_session_messages answers an existing and an unknown session alike');
select is(tests.error_of($$ select public.get_client_plan('c2000000-0000-4000-8000-000000000001') $$, null, true),
          tests.error_of($$ select public.get_client_plan('ffffffff-ffff-4fff-8fff-ffffffffffff') $$, null, true),
  'authenticated: get_client_plan answers an existing and an unknown client alike');
select ok(tests.error_of($$ select public.get_client_plan('c2000000-0000-4000-8000-000000000001') $$, null, true) like '42501: %',
  '... namely 42501 (no EXECUTE)');
select tests.clear_authentication();
select is(tests.error_of($$ select * from public.get_client_by_identifier('ann@hardening.test', 'email') $$, null, true),
          tests.error_of($$ select * from public.get_client_by_identifier('nobody@hardening.test', 'email') $$, null, true),
  'anon: get_client_by_identifier answers a known and an unknown email alike');
select is(tests.error_of($$ select public.delete_old_messages('a2000000-0000-4000-8000-000000000001', 0) $$, null, true),
          tests.error_of($$ select public.delete_old_messages('ffffffff-ffff-4fff-8fff-ffffffffffff', 0) $$, null, true),
  'anon: delete_old_messages answers an existing and an unknown session alike');
select tests.reset_authentication();
select is((select count(*)::int from public.messages where session_id = 'a2000000-0000-4000-8000-000000000001'), 3,
  'nothing was deleted or counted by the refused calls');

select * from finish();
rollback;
