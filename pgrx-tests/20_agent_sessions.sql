-- Agent sessions (issue 6): the SMS agent's sessions, memories and process state, the web
-- assistant's clients, conversations, reservations and orders, the shared messages table, and the
-- SQL RPCs the seeds call. Service-role tables: anon and authenticated get nothing.
begin;
select plan(250);

-- Fixtures (as postgres) -------------------------------------------------------------------------
-- s1: an SMS session with history; s2: a second session with one row in every child table, used
-- for the cascade; c1/c2: clients; conv_1: a conversation of c1.
insert into public.user_sessions (id, phone_number, assigned_persona, last_active_at, metadata) values
  ('a0000000-0000-4000-8000-000000000001', '+15550000001', 'aldea', now() - interval '2 hours',
   '{"session_number": 1, "last_session_started_at": "2026-11-20T10:00:00Z"}'),
  ('a0000000-0000-4000-8000-000000000002', '+15550000002', 'sage', now(), '{"session_number": 3}');
insert into public.soul_memories (session_id, key, value) values
  ('a0000000-0000-4000-8000-000000000001', 'name', '"Ann"'),
  ('a0000000-0000-4000-8000-000000000002', 'name', '"Bo"');
insert into public.process_memories (session_id, process_name, key, value) values
  ('a0000000-0000-4000-8000-000000000001', 'intake', 'step', '1'),
  ('a0000000-0000-4000-8000-000000000002', 'intake', 'step', '2');
insert into public.mental_process_state (session_id, process_name, params) values
  ('a0000000-0000-4000-8000-000000000001', 'intake', '{"turn": 1}'),
  ('a0000000-0000-4000-8000-000000000002', 'intake', '{}');
insert into public.working_memory_snapshots (session_id, memories, region) values
  ('a0000000-0000-4000-8000-000000000001', '[{"role": "user", "content": "hi"}]', null),
  ('a0000000-0000-4000-8000-000000000002', '[]', 'core');
insert into public.messages (session_id, role, content, region, message_sid, created_at) values
  ('a0000000-0000-4000-8000-000000000001', 'user', 'ten days ago', 'default', 'SM-old-1', now() - interval '10 days'),
  ('a0000000-0000-4000-8000-000000000001', 'assistant', 'eight days ago', 'core', null, now() - interval '8 days'),
  ('a0000000-0000-4000-8000-000000000001', 'user', 'yesterday', 'default', 'SM-new-1', now() - interval '1 day'),
  ('a0000000-0000-4000-8000-000000000002', 'user', 'old, other session', 'default', 'SM-old-2', now() - interval '30 days');
insert into public.clients (id, name, email, phone, plan, updated_at) values
  ('c0000000-0000-4000-8000-000000000001', 'Ann', 'Ann@Example.com', '+15550001111', 'premium', '2000-01-01'),
  ('c0000000-0000-4000-8000-000000000002', 'Cy', 'cy@example.com', '+15550002222', 'basic', now());
insert into public.conversations (id, client_id, language) values
  ('conv_1', 'c0000000-0000-4000-8000-000000000001', 'en'),
  ('conv_2', 'c0000000-0000-4000-8000-000000000002', 'fr'),
  ('conv_anon', null, 'en');
insert into public.messages (conversation_id, role, content) values
  ('conv_1', 'user', 'table for two?'),
  ('conv_1', 'assistant', 'sure'),
  ('conv_2', 'user', 'bonjour');
insert into public.reservations (client_id, name, email, phone, datetime, guests) values
  ('c0000000-0000-4000-8000-000000000001', 'Ann', 'ann@example.com', '+15550001111', now() + interval '1 day', 2),
  ('c0000000-0000-4000-8000-000000000002', 'Cy', 'cy@example.com', null, now() + interval '2 days', 4);
insert into public.orders (client_id, order_id, payment_intent_id, amount, status, items) values
  ('c0000000-0000-4000-8000-000000000001', 'ord_1', 'pi_1', 42.50, 'paid', '[{"sku": "menu", "qty": 1}]'),
  ('c0000000-0000-4000-8000-000000000002', 'ord_2', null, 10, 'pending', '[]');


-- 1. Tables, columns, constraints, indexes
select has_table('public', t, 'table public.' || t || ' exists')
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']::name[]) t;

select columns_are('public', 'user_sessions', array['id', 'phone_number', 'assigned_persona',
  'first_contact_at', 'last_active_at', 'total_messages', 'metadata', 'created_at', 'updated_at']::name[],
  'user_sessions has the seed''s columns');
select columns_are('public', 'soul_memories', array['id', 'session_id', 'key', 'value', 'updated_at']::name[],
  'soul_memories has the seed''s columns');
select columns_are('public', 'process_memories',
  array['id', 'session_id', 'process_name', 'key', 'value', 'updated_at']::name[],
  'process_memories has the seed''s columns');
select columns_are('public', 'mental_process_state',
  array['id', 'session_id', 'process_name', 'params', 'updated_at']::name[],
  'mental_process_state has the seed''s columns');
select columns_are('public', 'working_memory_snapshots',
  array['id', 'session_id', 'memories', 'region', 'created_at']::name[],
  'working_memory_snapshots has its columns');
select columns_are('public', 'clients', array['id', 'name', 'email', 'phone', 'preferred_language',
  'plan', 'created_at', 'updated_at']::name[], 'clients has the seed''s columns');
select columns_are('public', 'conversations', array['id', 'client_id', 'language', 'created_at',
  'updated_at']::name[], 'conversations has the seed''s columns');
select columns_are('public', 'reservations', array['id', 'client_id', 'name', 'email', 'phone',
  'datetime', 'guests', 'notes', 'google_calendar_event_id', 'created_at']::name[],
  'reservations has the seed''s columns');
select columns_are('public', 'orders', array['id', 'client_id', 'order_id', 'payment_intent_id',
  'amount', 'currency', 'status', 'items', 'created_at', 'updated_at']::name[],
  'orders has the seed''s columns');
select columns_are('public', 'messages', array['id', 'session_id', 'conversation_id', 'role',
  'content', 'region', 'message_sid', 'metadata', 'created_at',
  'token_count', 'model', 'prompt_tokens', 'completion_tokens']::name[],
  'messages has the columns of both seeds (and the token ones: pgrx-tests/60_tokens.sql)');

select col_type_is('public', 'user_sessions', 'metadata', 'jsonb', 'user_sessions.metadata is jsonb');
select col_type_is('public', 'soul_memories', 'value', 'jsonb', 'soul_memories.value is jsonb');
select col_type_is('public', 'process_memories', 'value', 'jsonb', 'process_memories.value is jsonb');
select col_type_is('public', 'conversations', 'id', 'text', 'conversations.id is text (the backend''s id)');
select col_type_is('public', 'messages', 'conversation_id', 'text', 'messages.conversation_id is text');
select col_type_is('public', 'messages', 'session_id', 'uuid', 'messages.session_id is uuid');
select col_type_is('public', 'orders', 'amount', 'numeric(12,2)', 'orders.amount is numeric(12,2)');
select col_not_null('public', t, c, t || '.' || c || ' is NOT NULL')
  from (values ('soul_memories', 'session_id'), ('soul_memories', 'value'),
               ('process_memories', 'session_id'), ('mental_process_state', 'session_id'),
               ('working_memory_snapshots', 'session_id'), ('working_memory_snapshots', 'memories'),
               ('user_sessions', 'phone_number'), ('user_sessions', 'assigned_persona'),
               ('orders', 'amount'), ('messages', 'content')) v(t, c);

-- the plain UNIQUE constraints behind the seeds' upserts (on_conflict) and lookups
select col_is_unique('public', 'user_sessions', array['phone_number']::name[], 'user_sessions: unique (phone_number)');
select col_is_unique('public', 'soul_memories', array['session_id', 'key']::name[], 'soul_memories: unique (session_id, key)');
select col_is_unique('public', 'process_memories', array['session_id', 'process_name', 'key']::name[],
  'process_memories: unique (session_id, process_name, key)');
select col_is_unique('public', 'mental_process_state', array['session_id']::name[], 'mental_process_state: unique (session_id)');
select col_is_unique('public', 'clients', array['email']::name[], 'clients: unique (email)');
select col_is_unique('public', 'orders', array['order_id']::name[], 'orders: unique (order_id)');
select col_is_unique('public', 'messages', array['message_sid']::name[], 'messages: unique (message_sid)');

-- foreign keys, explicitly named, with their delete actions
select results_eq(
  $$ select conrelid::regclass::text, conname::text collate "default", confrelid::regclass::text, confdeltype::text collate "default"
       from pg_constraint
      where contype = 'f' and conrelid = any (array['public.soul_memories', 'public.process_memories',
              'public.mental_process_state', 'public.working_memory_snapshots', 'public.conversations',
              'public.reservations', 'public.orders', 'public.messages']::regclass[])
      order by 2 $$,
  $$ values ('conversations', 'conversations_client_id_fkey', 'clients', 'c'),
            ('mental_process_state', 'mental_process_state_session_id_fkey', 'user_sessions', 'c'),
            ('messages', 'messages_conversation_id_fkey', 'conversations', 'c'),
            ('messages', 'messages_session_id_fkey', 'user_sessions', 'c'),
            ('orders', 'orders_client_id_fkey', 'clients', 'n'),
            ('process_memories', 'process_memories_session_id_fkey', 'user_sessions', 'c'),
            ('reservations', 'reservations_client_id_fkey', 'clients', 'c'),
            ('soul_memories', 'soul_memories_session_id_fkey', 'user_sessions', 'c'),
            ('working_memory_snapshots', 'working_memory_snapshots_session_id_fkey', 'user_sessions', 'c') $$,
  'the foreign keys: named, cascading (orders.client_id: set null)');

select has_index('public', 'messages', 'messages_session_id_created_at_idx', array['session_id', 'created_at']::name[],
  'messages: index (session_id, created_at)');
select has_index('public', 'messages', 'messages_session_id_role_created_at_idx',
  array['session_id', 'role', 'created_at']::name[], 'messages: index (session_id, role, created_at desc)');
select has_index('public', 'messages', 'messages_session_id_region_created_at_idx',
  array['session_id', 'region', 'created_at']::name[], 'messages: index (session_id, region, created_at)');
select has_index('public', 'messages', 'messages_conversation_id_created_at_idx',
  array['conversation_id', 'created_at']::name[], 'messages: index (conversation_id, created_at)');
select has_index('public', 'working_memory_snapshots', 'working_memory_snapshots_session_id_created_at_idx',
  array['session_id', 'created_at']::name[], 'working_memory_snapshots: index (session_id, created_at desc)');
select is(pg_get_indexdef('public.messages_session_id_role_created_at_idx'::regclass) ~ 'created_at DESC', true,
  'the newest-user-message index is ordered created_at DESC');
select is_empty(
  $$ select c.conname from pg_constraint c
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        and c.conrelid = any (array['public.soul_memories', 'public.process_memories',
              'public.mental_process_state', 'public.working_memory_snapshots', 'public.conversations',
              'public.reservations', 'public.orders', 'public.messages']::regclass[])
        and not exists (select from pg_index i where i.indrelid = c.conrelid
                          and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey) $$,
  'every foreign key of these tables is covered by an index starting with its columns');


-- 2. RLS on, no policies, intent stated, grants
select is(
  (select count(*)::int from pg_class
    where oid = any (array['public.user_sessions', 'public.soul_memories', 'public.process_memories',
            'public.mental_process_state', 'public.working_memory_snapshots', 'public.clients',
            'public.conversations', 'public.reservations', 'public.orders', 'public.messages']::regclass[])
      and relrowsecurity),
  10, 'RLS is enabled on all ten tables');
select is_empty(
  $$ select tablename || '.' || policyname from pg_policies
      where schemaname = 'public' and tablename in ('user_sessions', 'soul_memories', 'process_memories',
            'mental_process_state', 'working_memory_snapshots', 'clients', 'conversations',
            'reservations', 'orders', 'messages') $$,
  'no policy on any of them (service-role tables)');
select is_empty(
  $$ select t from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
            'working_memory_snapshots', 'clients', 'conversations', 'reservations', 'orders', 'messages']) t
      where coalesce(obj_description(('public.' || t)::regclass, 'pg_class'), '')
            !~ 'Service-role table: RLS is enabled with no policy for anon/authenticated' $$,
  'each table''s comment says it is a service-role table with no policy for anon/authenticated');
select is_empty(
  $$ select r || ' ' || p || ' ' || t
       from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
              'working_memory_snapshots', 'clients', 'conversations', 'reservations', 'orders', 'messages']) t,
            unnest(array['anon', 'authenticated']) r,
            unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
      where has_table_privilege(r, 'public.' || t, p)
         or (p = 'SELECT' and has_any_column_privilege(r, 'public.' || t, 'SELECT')) $$,
  'anon and authenticated hold no privilege on any of the tables');


-- 3. anon can read or write none of the tables
select tests.clear_authentication();
select throws_ok(format('select * from public.%I', t), '42501', null, 'anon cannot select ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select throws_ok(format('insert into public.%I default values', t), '42501', null, 'anon cannot insert into ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select throws_ok(format('update public.%I set id = id', t), '42501', null, 'anon cannot update ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select throws_ok(format('delete from public.%I', t), '42501', null, 'anon cannot delete from ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select tests.reset_authentication();


-- 4. a signed-in user (authenticated) can read or write none of them either
select tests.act_as_user(tests.create_user('dana@example.com'));
select throws_ok(format('select * from public.%I', t), '42501', null, 'authenticated cannot select ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select throws_ok(format('insert into public.%I default values', t), '42501', null, 'authenticated cannot insert into ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select throws_ok(format('update public.%I set id = id', t), '42501', null, 'authenticated cannot update ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select throws_ok(format('delete from public.%I', t), '42501', null, 'authenticated cannot delete from ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;
select tests.reset_authentication();


-- 5. service_role (the backends' key) can select, insert, update and delete on each
select tests.authenticate_as_service_role();
-- select: sees the fixture rows despite RLS without policies (BYPASSRLS)
select isnt_empty(format('select * from public.%I', t), 'service_role selects from ' || t)
  from unnest(array['user_sessions', 'soul_memories', 'process_memories', 'mental_process_state',
                    'working_memory_snapshots', 'clients', 'conversations', 'reservations',
                    'orders', 'messages']) t;

-- insert
select is(tests.affected($$ insert into public.user_sessions (id, phone_number, assigned_persona, metadata) values ('a0000000-0000-4000-8000-000000000009', '+15550000009', 'aldea', '{"session_number": 1}') $$), 1::bigint, 'service_role inserts into user_sessions');
select is(tests.affected($$ insert into public.soul_memories (session_id, key, value) values ('a0000000-0000-4000-8000-000000000009', 'mood', '"calm"') $$), 1::bigint, 'service_role inserts into soul_memories');
select is(tests.affected($$ insert into public.process_memories (session_id, process_name, key, value) values ('a0000000-0000-4000-8000-000000000009', 'intake', 'step', '1') $$), 1::bigint, 'service_role inserts into process_memories');
with i as (insert into public.mental_process_state (session_id)
           values ('a0000000-0000-4000-8000-000000000009') returning process_name, params)
select is(process_name || ' ' || params::text, 'initial {}',
          'service_role inserts into mental_process_state (defaults initial, {})') from i;
select is(tests.affected($$ insert into public.working_memory_snapshots (session_id, memories) values ('a0000000-0000-4000-8000-000000000009', '[]') $$), 1::bigint, 'service_role inserts into working_memory_snapshots');
with i as (insert into public.clients (id, email) values ('c0000000-0000-4000-8000-000000000009', 'eve@example.com')
           returning preferred_language, plan)
select is(preferred_language || '/' || plan, 'en/basic', 'service_role inserts into clients (defaults en, basic)') from i;
select is(tests.affected($$ insert into public.conversations (id, client_id, language) values ('conv_9', 'c0000000-0000-4000-8000-000000000009', 'en') $$), 1::bigint, 'service_role inserts into conversations');
select is(tests.affected($$ insert into public.reservations (client_id, name, datetime, guests) values ('c0000000-0000-4000-8000-000000000009', 'Eve', now() + interval '3 days', 3) $$), 1::bigint, 'service_role inserts into reservations');
with i as (insert into public.orders (client_id, order_id, amount)
           values ('c0000000-0000-4000-8000-000000000009', 'ord_9', 0) returning currency, status, items)
select is(currency || '/' || status || '/' || items::text, 'usd/pending/[]',
          'service_role inserts into orders (defaults usd, pending, [])') from i;
with i as (insert into public.messages (session_id, role, content)
           values ('a0000000-0000-4000-8000-000000000009', 'user', 'hello') returning region, metadata)
select is(region || ' ' || metadata::text, 'default {}', 'service_role inserts into messages (region default, metadata {})') from i;

-- update
select is(tests.affected($$ update public.user_sessions set assigned_persona = 'sage' where id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates user_sessions');
select is(tests.affected($$ update public.soul_memories set value = '"happy"' where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates soul_memories');
select is(tests.affected($$ update public.process_memories set value = '2' where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates process_memories');
select is(tests.affected($$ update public.mental_process_state set process_name = 'chat' where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates mental_process_state');
select is(tests.affected($$ update public.working_memory_snapshots set region = 'core' where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates working_memory_snapshots');
select is(tests.affected($$ update public.clients set plan = 'premium' where id = 'c0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates clients');
select is(tests.affected($$ update public.conversations set language = 'de' where id = 'conv_9' $$), 1::bigint, 'service_role updates conversations');
select is(tests.affected($$ update public.reservations set notes = 'window seat' where client_id = 'c0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates reservations');
select is(tests.affected($$ update public.orders set status = 'paid' where order_id = 'ord_9' $$), 1::bigint, 'service_role updates orders');
select is(tests.affected($$ update public.messages set metadata = '{"edited": true}' where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role updates messages');

-- delete (children first, so each delete is counted on its own table)
select is(tests.affected($$ delete from public.messages where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from messages');
select is(tests.affected($$ delete from public.soul_memories where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from soul_memories');
select is(tests.affected($$ delete from public.process_memories where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from process_memories');
select is(tests.affected($$ delete from public.mental_process_state where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from mental_process_state');
select is(tests.affected($$ delete from public.working_memory_snapshots where session_id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from working_memory_snapshots');
select is(tests.affected($$ delete from public.user_sessions where id = 'a0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from user_sessions');
select is(tests.affected($$ delete from public.orders where order_id = 'ord_9' $$), 1::bigint, 'service_role deletes from orders');
select is(tests.affected($$ delete from public.reservations where client_id = 'c0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from reservations');
select is(tests.affected($$ delete from public.conversations where id = 'conv_9' $$), 1::bigint, 'service_role deletes from conversations');
select is(tests.affected($$ delete from public.clients where id = 'c0000000-0000-4000-8000-000000000009' $$), 1::bigint, 'service_role deletes from clients');


-- 6. messages: exactly one parent, role, message_sid unique where present
-- (still as service_role, the backends' role)
select throws_ok($$ insert into public.messages (role, content) values ('user', 'orphan') $$,
  '23514', null, 'a message with neither session_id nor conversation_id is refused (23514)');
select throws_ok($$ insert into public.messages (session_id, conversation_id, role, content)
                    values ('a0000000-0000-4000-8000-000000000001', 'conv_1', 'user', 'both') $$,
  '23514', null, 'a message with both session_id and conversation_id is refused (23514)');
select throws_ok($$ insert into public.messages (conversation_id, role, content) values ('conv_1', 'bot', 'x') $$,
  '23514', null, 'role must be user, assistant or system (23514)');
select throws_ok($$ insert into public.messages (session_id, role, content, message_sid)
                    values ('a0000000-0000-4000-8000-000000000002', 'user', 'retry', 'SM-old-1') $$,
  '23505', null, 'a duplicate message_sid is refused (23505)');
select lives_ok($$ insert into public.messages (session_id, role, content, message_sid) values
                    ('a0000000-0000-4000-8000-000000000002', 'assistant', 'no sid 1', null),
                    ('a0000000-0000-4000-8000-000000000002', 'assistant', 'no sid 2', null) $$,
  'any number of messages without a message_sid');
select throws_ok($$ insert into public.messages (session_id, role, content, message_sid)
                    values ('a0000000-0000-4000-8000-000000000002', 'user', 'empty sid', '') $$,
  '23514', null, 'an empty message_sid is refused (23514): it would collide');
-- a retried webhook: the same MessageSid is an idempotent upsert (on_conflict=message_sid)
insert into public.messages (session_id, role, content, message_sid)
  values ('a0000000-0000-4000-8000-000000000001', 'user', 'yesterday (retried)', 'SM-new-1')
  on conflict (message_sid) do update set content = excluded.content;
select is((select count(*)::int from public.messages where message_sid = 'SM-new-1'), 1,
  'upsert on message_sid: a retried webhook leaves one row');
select is((select content from public.messages where message_sid = 'SM-new-1'), 'yesterday (retried)',
  'upsert on message_sid: ... merged');
select throws_ok($$ insert into public.messages (conversation_id, role, content) values ('no-such-conv', 'user', 'x') $$,
  '23503', null, 'a message for an unknown conversation is refused (23503)');


-- 7. the unique keys behind the seed's upserts
select throws_ok($$ insert into public.soul_memories (session_id, key, value)
                    values ('a0000000-0000-4000-8000-000000000001', 'name', '"Ann again"') $$,
  '23505', null, 'soul_memories: a second (session_id, key) is refused (23505)');
select throws_ok($$ insert into public.process_memories (session_id, process_name, key, value)
                    values ('a0000000-0000-4000-8000-000000000001', 'intake', 'step', '9') $$,
  '23505', null, 'process_memories: a second (session_id, process_name, key) is refused (23505)');
select throws_ok($$ insert into public.mental_process_state (session_id, process_name)
                    values ('a0000000-0000-4000-8000-000000000001', 'chat') $$,
  '23505', null, 'mental_process_state: a second row for a session is refused (23505)');

-- the seed's saveSoulMemory / saveProcessMemory / saveMentalProcessState, as PostgREST runs them
insert into public.soul_memories (session_id, key, value, updated_at)
  values ('a0000000-0000-4000-8000-000000000001', 'name', '"Annie"', now()),
         ('a0000000-0000-4000-8000-000000000001', 'city', '"Oslo"', now())
  on conflict (session_id, key) do update set value = excluded.value, updated_at = excluded.updated_at;
select results_eq(
  $$ select key, value from public.soul_memories where session_id = 'a0000000-0000-4000-8000-000000000001' order by key $$,
  $$ values ('city', '"Oslo"'::jsonb), ('name', '"Annie"'::jsonb) $$,
  'soul_memories upsert on (session_id, key): updates the existing key, inserts the new one');
insert into public.process_memories (session_id, process_name, key, value, updated_at)
  values ('a0000000-0000-4000-8000-000000000001', 'intake', 'step', '2', now()),
         ('a0000000-0000-4000-8000-000000000001', 'chat', 'step', '1', now())
  on conflict (session_id, process_name, key) do update set value = excluded.value, updated_at = excluded.updated_at;
select results_eq(
  $$ select process_name, key, value from public.process_memories
      where session_id = 'a0000000-0000-4000-8000-000000000001' order by process_name $$,
  $$ values ('chat', 'step', '1'::jsonb), ('intake', 'step', '2'::jsonb) $$,
  'process_memories upsert on (session_id, process_name, key): same key in another process is another row');
insert into public.mental_process_state (session_id, process_name, params, updated_at)
  values ('a0000000-0000-4000-8000-000000000001', 'chat', '{"turn": 2}', now())
  on conflict (session_id) do update
    set process_name = excluded.process_name, params = excluded.params, updated_at = excluded.updated_at;
select results_eq(
  $$ select process_name, params from public.mental_process_state where session_id = 'a0000000-0000-4000-8000-000000000001' $$,
  $$ values ('chat', '{"turn": 2}'::jsonb) $$,
  'mental_process_state upsert on (session_id): one row, replaced');
select throws_ok($$ insert into public.mental_process_state (session_id, params)
                    values ('a0000000-0000-4000-8000-000000000001', '[1]')
                    on conflict (session_id) do update set params = excluded.params $$,
  '23514', null, 'mental_process_state.params must be a JSON object (23514)');
-- the web assistant's upsertClient (on_conflict=email) and order id
insert into public.clients (name, email, phone, preferred_language)
  values ('Cy Updated', 'cy@example.com', '+15550002223', 'fr')
  on conflict (email) do update set name = excluded.name, phone = excluded.phone,
                                    preferred_language = excluded.preferred_language;
select results_eq(
  $$ select id, name, preferred_language from public.clients where email = 'cy@example.com' $$,
  $$ values ('c0000000-0000-4000-8000-000000000002'::uuid, 'Cy Updated', 'fr') $$,
  'clients upsert on (email): the existing client is updated in place');
select lives_ok($$ insert into public.clients (name, phone) values ('No Email 1', '+15559990001'),
                                                                  ('No Email 2', '+15559990002') $$,
  'clients without an email do not collide');
select throws_ok($$ insert into public.clients (email, plan) values ('gold@example.com', 'gold') $$,
  '23514', null, 'clients.plan must be basic or premium (23514)');
select throws_ok($$ insert into public.orders (order_id, amount) values ('ord_1', 1) $$,
  '23505', null, 'orders: a duplicate order_id is refused (23505)');
select throws_ok($$ insert into public.reservations (datetime, guests) values (now(), 0) $$,
  '23514', null, 'reservations.guests must be > 0 (23514)');


-- 8. user_sessions checks; orders amount and status; updated_at
select throws_ok(format($$ insert into public.user_sessions (phone_number, assigned_persona) values (%L, 'aldea') $$, p),
  '23514', null, 'phone_number ' || p || ' is refused: not E.164 (23514)')
  from unnest(array['15551234567', '+05551234567', '+155512', '+1234567890123456', '+1 555 123 4567', '']) p;
select lives_ok($$ insert into public.user_sessions (phone_number, assigned_persona)
                   values ('+4915112345678', 'aldea'), ('+1234567', 'aldea') $$,
  'E.164 numbers of 7 to 15 digits are accepted');
select throws_ok($$ insert into public.user_sessions (phone_number, assigned_persona) values ('+15550000001', 'x') $$,
  '23505', null, 'one session per phone_number (23505)');
select throws_ok($$ update public.user_sessions set total_messages = -1 where id = 'a0000000-0000-4000-8000-000000000002' $$,
  '23514', null, 'total_messages >= 0 (23514)');
select throws_ok($$ update public.user_sessions set metadata = '[]' where id = 'a0000000-0000-4000-8000-000000000002' $$,
  '23514', null, 'user_sessions.metadata must be a JSON object (23514)');
select throws_ok($$ insert into public.orders (order_id, amount) values ('ord_neg', -0.01) $$,
  '23514', null, 'orders.amount >= 0 (23514)');
select throws_ok($$ insert into public.orders (order_id, amount, status) values ('ord_ship', 5, 'shipped') $$,
  '23514', null, 'orders.status must be pending, paid or cancelled (23514)');
select lives_ok($$ update public.orders set status = 'cancelled' where order_id = 'ord_2' $$,
  'orders.status may become cancelled');
update public.clients set name = 'Ann E.' where id = 'c0000000-0000-4000-8000-000000000001';
select is((select updated_at from public.clients where id = 'c0000000-0000-4000-8000-000000000001'), now(),
  'the BEFORE UPDATE trigger keeps updated_at current');


-- 9. cascades
delete from public.user_sessions where id = 'a0000000-0000-4000-8000-000000000002';
select results_eq(
  $$ select (select count(*) from public.soul_memories where session_id = 'a0000000-0000-4000-8000-000000000002')
          + (select count(*) from public.process_memories where session_id = 'a0000000-0000-4000-8000-000000000002')
          + (select count(*) from public.mental_process_state where session_id = 'a0000000-0000-4000-8000-000000000002')
          + (select count(*) from public.working_memory_snapshots where session_id = 'a0000000-0000-4000-8000-000000000002')
          + (select count(*) from public.messages where session_id = 'a0000000-0000-4000-8000-000000000002') $$,
  $$ values (0::bigint) $$,
  'deleting a user session deletes its memories, process state, snapshots and messages');
delete from public.clients where id = 'c0000000-0000-4000-8000-000000000002';
select results_eq(
  $$ select (select count(*) from public.conversations where id = 'conv_2')
          + (select count(*) from public.messages where conversation_id = 'conv_2')
          + (select count(*) from public.reservations where client_id = 'c0000000-0000-4000-8000-000000000002') $$,
  $$ values (0::bigint) $$,
  'deleting a client deletes its conversations, their messages and its reservations');
select results_eq(
  $$ select client_id from public.orders where order_id = 'ord_2' $$,
  $$ values (null::uuid) $$,
  'deleting a client keeps its orders (financial records), with client_id set to null');


-- 10. RPCs: success and refusals (as service_role)
-- increment_session_messages(session_id)
select is(public.increment_session_messages('a0000000-0000-4000-8000-000000000001'), 1,
  'increment_session_messages returns the new total (1)');
select is(public.increment_session_messages(session_id := 'a0000000-0000-4000-8000-000000000001'), 2,
  'increment_session_messages(session_id := ...), the seed''s parameter name, returns 2');
select is((select last_active_at from public.user_sessions where id = 'a0000000-0000-4000-8000-000000000001'), now(),
  'increment_session_messages sets last_active_at');
select throws_ok($$ select public.increment_session_messages('ffffffff-ffff-4fff-8fff-ffffffffffff') $$,
  'PT404', 'user session not found',  -- the id is in DETAIL since 20261123020000 (no caller text in messages)
  'increment_session_messages on an unknown session: PT404 (HTTP 404)');
select throws_ok($$ select public.increment_session_messages(null) $$,
  '22023', null, 'increment_session_messages(null): 22023 (HTTP 400)');

-- delete_old_messages(p_session_id, p_older_than_days)
select is(public.delete_old_messages(p_session_id := 'a0000000-0000-4000-8000-000000000001', p_older_than_days := 5), 2,
  'delete_old_messages deletes the session''s messages older than 5 days and returns 2');
select results_eq(
  $$ select content from public.messages where session_id = 'a0000000-0000-4000-8000-000000000001' order by created_at $$,
  $$ values ('yesterday (retried)') $$,
  'delete_old_messages keeps the newer messages');
select is(public.delete_old_messages('a0000000-0000-4000-8000-000000000001', 5), 0,
  'delete_old_messages again: 0');
select is(public.delete_old_messages('ffffffff-ffff-4fff-8fff-ffffffffffff', 0), 0,
  'delete_old_messages on an unknown session: 0');
select throws_ok($$ select public.delete_old_messages('a0000000-0000-4000-8000-000000000001', -1) $$,
  '22023', null, 'delete_old_messages with a negative number of days: 22023 (HTTP 400)');
select throws_ok($$ select public.delete_old_messages('a0000000-0000-4000-8000-000000000001', null) $$,
  '22023', null, 'delete_old_messages with null days: 22023 (HTTP 400)');

-- get_client_by_identifier(p_identifier, p_type)
select results_eq(
  $$ select id from public.get_client_by_identifier(p_identifier := ' ann@EXAMPLE.com ', p_type := 'email') $$,
  $$ values ('c0000000-0000-4000-8000-000000000001'::uuid) $$,
  'get_client_by_identifier by email: case-insensitive, trimmed');
select results_eq(
  $$ select id, plan from public.get_client_by_identifier('+15550001111', 'phone') $$,
  $$ values ('c0000000-0000-4000-8000-000000000001'::uuid, 'premium') $$,
  'get_client_by_identifier by phone: the whole clients row');
select is_empty($$ select * from public.get_client_by_identifier('nobody@example.com', 'email') $$,
  'get_client_by_identifier with an unknown email: no rows');
select throws_ok($$ select * from public.get_client_by_identifier('ann@example.com', 'name') $$,
  '22023', null, 'get_client_by_identifier with p_type other than email|phone: 22023');
select throws_ok($$ select * from public.get_client_by_identifier('ann@example.com', null) $$,
  '22023', null, 'get_client_by_identifier with a null p_type: 22023');
select throws_ok($$ select * from public.get_client_by_identifier('   ', 'email') $$,
  '22023', null, 'get_client_by_identifier with a blank identifier: 22023');
select throws_ok($$ select * from public.get_client_by_identifier(null, 'phone') $$,
  '22023', null, 'get_client_by_identifier with a null identifier: 22023');

-- get_client_plan(p_client_id)
select is(public.get_client_plan('c0000000-0000-4000-8000-000000000001'), 'premium', 'get_client_plan: premium');
select is((select public.get_client_plan(id) from public.clients where name = 'No Email 1'), 'basic',
  'get_client_plan: basic by default');
select throws_ok($$ select public.get_client_plan('ffffffff-ffff-4fff-8fff-ffffffffffff') $$,
  'PT404', null, 'get_client_plan for an unknown client: PT404 (HTTP 404)');
select throws_ok($$ select public.get_client_plan(null) $$,
  '22023', null, 'get_client_plan(null): 22023');
select tests.reset_authentication();


-- 11. RPCs: definitions and who may execute them
select results_eq(
  $$ select p.oid::regprocedure::text, p.prosecdef, p.provolatile::text collate "default", p.proconfig collate "default"
       from pg_proc p
      where p.oid = any (array['public.increment_session_messages(uuid)', 'public.delete_old_messages(uuid,integer)',
              'public.get_client_by_identifier(text,text)', 'public.get_client_plan(uuid)']::regprocedure[])
      order by 1 $$,
  $$ values ('delete_old_messages(uuid,integer)', false, 'v', array['search_path=""']),
            ('get_client_by_identifier(text,text)', false, 's', array['search_path=""']),
            ('get_client_plan(uuid)', false, 's', array['search_path=""']),
            ('increment_session_messages(uuid)', false, 'v', array['search_path=""']) $$,
  'the RPCs: SECURITY INVOKER, search_path pinned empty, GET-able where read-only');
select results_eq(
  $$ select array_agg(p.proargnames::text collate "default" order by p.proname)
       from pg_proc p
      where p.oid = any (array['public.increment_session_messages(uuid)', 'public.delete_old_messages(uuid,integer)',
              'public.get_client_by_identifier(text,text)', 'public.get_client_plan(uuid)']::regprocedure[]) $$,
  $$ values (array['{p_session_id,p_older_than_days}', '{p_identifier,p_type}', '{p_client_id}', '{session_id}']) $$,
  'the RPCs'' parameter names (PostgREST passes arguments by name)');
select is_empty(
  $$ select f || ' ' || r
       from unnest(array['public.increment_session_messages(uuid)', 'public.delete_old_messages(uuid,integer)',
              'public.get_client_by_identifier(text,text)', 'public.get_client_plan(uuid)']) f,
            unnest(array['public', 'anon', 'authenticated']) r
      where exists (select from aclexplode((select proacl from pg_proc where oid = f::regprocedure)) a
                     where a.privilege_type = 'EXECUTE'
                       and a.grantee = case r when 'public' then 0 else r::regrole::oid end) $$,
  'EXECUTE is granted to neither PUBLIC, anon nor authenticated');
select ok(bool_and(has_function_privilege('service_role', f, 'EXECUTE')), 'service_role may execute the four RPCs')
  from unnest(array['public.increment_session_messages(uuid)', 'public.delete_old_messages(uuid,integer)',
                    'public.get_client_by_identifier(text,text)', 'public.get_client_plan(uuid)']) f;
select ok(bool_and(coalesce(obj_description(f::regprocedure, 'pg_proc'), '') <> ''), 'each RPC has a comment (its OpenAPI description)')
  from unnest(array['public.increment_session_messages(uuid)', 'public.delete_old_messages(uuid,integer)',
                    'public.get_client_by_identifier(text,text)', 'public.get_client_plan(uuid)']) f;

select tests.clear_authentication();
select throws_ok(c, '42501', null, 'anon cannot execute ' || split_part(c, '(', 1))
  from unnest(array[
    $$select public.increment_session_messages('a0000000-0000-4000-8000-000000000001')$$,
    $$select public.delete_old_messages('a0000000-0000-4000-8000-000000000001', 0)$$,
    $$select * from public.get_client_by_identifier('ann@example.com', 'email')$$,
    $$select public.get_client_plan('c0000000-0000-4000-8000-000000000001')$$]) c;
select tests.reset_authentication();
select tests.act_as_user((select id from auth.users where email = 'dana@example.com'));
select throws_ok(c, '42501', null, 'authenticated cannot execute ' || split_part(c, '(', 1))
  from unnest(array[
    $$select public.increment_session_messages('a0000000-0000-4000-8000-000000000001')$$,
    $$select public.delete_old_messages('a0000000-0000-4000-8000-000000000001', 0)$$,
    $$select * from public.get_client_by_identifier('ann@example.com', 'email')$$,
    $$select public.get_client_plan('c0000000-0000-4000-8000-000000000001')$$]) c;
select tests.reset_authentication();
select is((select total_messages from public.user_sessions where id = 'a0000000-0000-4000-8000-000000000001'), 2,
  'the refused calls changed nothing (total_messages still 2)');

select * from finish();
rollback;
