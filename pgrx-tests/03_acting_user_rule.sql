-- The acting-user rule, for every per-user RPC (README, "Who an RPC acts for"): a signed-in user
-- may omit p_user_id, the service role names the user in it. Found from the catalog, so a new RPC
-- is checked without being listed here. (The defect this pins: store_chat_pair had no default for
-- p_user_id, so `rpc('store_chat_pair', {p_user_message, p_ai_response})` with a user token was a
-- 404, PGRST202.)
begin;
select plan(4);

-- the per-user RPCs: functions of the exposed schema with a p_user_id argument
create temporary view per_user_rpc as
select p.oid, p.oid::regprocedure::text as rpc,
       array_position(p.proargnames, 'p_user_id') as position, p.pronargs, p.pronargdefaults, p.prosrc
from pg_catalog.pg_proc p
where p.pronamespace = 'public'::regnamespace and 'p_user_id' = any (p.proargnames);

-- (not vacuous: 18 of them without pgvector, 22 with its four search RPCs)
select ok((select count(*) from per_user_rpc) >= 18
          and (select count(*) from per_user_rpc
               where rpc like any (array['store_chat_pair(%', 'regenerate_reply(%', 'get_chat_context(%', 'export_my_data(%'])) = 4,
  format('%s per-user RPCs found, store_chat_pair, regenerate_reply, get_chat_context and export_my_data among them',
         (select count(*) from per_user_rpc)));
-- defaults cover the last pronargdefaults arguments: p_user_id must be among them
select is_empty($$ select rpc from per_user_rpc where position <= pronargs - pronargdefaults $$,
  'every per-user RPC lets a signed-in user omit p_user_id (it has a default)');
select is_empty($$ select rpc from per_user_rpc where prosrc not like '%convo.acting_user(%' $$,
  'every per-user RPC resolves the user with convo.acting_user');

-- and the call a client makes, for the one that had no default
select tests.create_supabase_user('omits_user_id', 'omits@acting.test');
select ok(tests.value_of($$ select public.store_chat_pair(p_user_message => 'hi', p_ai_response => 'hello') $$, 'omits_user_id') is not null,
  'store_chat_pair({p_user_message, p_ai_response}) as a signed-in user');

select * from finish();
rollback;
