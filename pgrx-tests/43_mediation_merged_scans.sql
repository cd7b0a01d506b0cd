-- "All I can see" reads about the rows it returns (issue 26). Under RLS a participant's newest
-- messages are `session_id = any(my sessions) order by "timestamp" desc limit n`; Postgres' own
-- plan reads every message of every session and sorts them. pg_convo's planner hook
-- (src/merged_scans.rs) offers one ordered index scan per session, merged. Here: the plan and the
-- index entries read for a participant of three busy sessions, the same rows as with the hook
-- off, then a table of queries on a scratch table (orders, nulls, duplicate and null keys, extra
-- conditions, rescans, more keys than the merge takes, and where the hook must stay out).
begin;
select plan(56);

-- the hook is installed when the library is loaded
select convo.count_tokens('load pg_convo') > 0 as loaded \gset

-- Fixtures (as postgres) -------------------------------------------------------------------------
-- Mo takes part in sessions 1-3 (hosts 1), of 300 messages each; sessions 4-1000 are Oz's, of 30.
-- The messages' order on the heap has nothing to do with their time (as in make bench's data).
select tests.create_supabase_user(u, u || '@merged.test') from unnest(array['mo', 'nia', 'oz']) u;
-- (new ids each run: an earlier run's rolled-back rows would still be in the index)
create function pg_temp.s(p_n int) returns uuid language sql stable
  as $$ select md5(txid_current() || ':' || p_n)::uuid $$;
insert into public.sessions (id, host_id, title, status)
select pg_temp.s(n), tests.get_supabase_uid(case when n = 1 then 'mo' when n <= 3 then 'nia' else 'oz' end),
       'Session ' || n, 'in_progress'
from generate_series(1, 1000) n;
insert into public.session_participants (session_id, profile_id, role, invitation_status)
select pg_temp.s(n), tests.get_supabase_uid('mo'), 'participant', 'accepted' from generate_series(2, 3) n;
insert into public.session_messages (session_id, profile_id, content, message_type, "timestamp")
select pg_temp.s(n), tests.get_supabase_uid(case when n <= 3 then 'nia' else 'oz' end),
       'message ' || i || ' of session ' || n, 'user_typed_message',
       timestamptz '2026-01-01' + ((i * 1000 + n)::bigint * 7919 % 1000003) * interval '1 second'
from generate_series(1, 300) i, generate_series(1, 1000) n
where i <= 30 or n <= 3;
analyze public.session_messages, public.session_participants;


-- The participant's newest 50 ----------------------------------------------------------------------
\set all_i_can_see 'select id, "timestamp", content, message_type, profile_id from public.session_messages order by "timestamp" desc limit 50'

select ok(tests.plan_of(:'all_i_can_see', 'mo') like '%pg_convo merged index scans%',
  'a participant''s newest 50 across their sessions: merged index scans');
select ok(tests.plan_of(:'all_i_can_see', 'mo') not like '%"Sort"%', '… and no sort');

create temp table merged_rows (n bigint, id bigint, "timestamp" timestamptz, content text, message_type text, profile_id uuid);
create temp table plain_rows (like merged_rows);
grant insert on merged_rows, plain_rows to authenticated;
select tests.authenticate_as('mo');
select tests.index_entries_read('public.session_messages') as r0 \gset
insert into merged_rows select row_number() over (), q.* from (:all_i_can_see) q;
select tests.index_entries_read('public.session_messages') as r1 \gset
set local pg_convo.merged_index_scans = off;
insert into plain_rows select row_number() over (), q.* from (:all_i_can_see) q;
select tests.index_entries_read('public.session_messages') as r2 \gset
reset pg_convo.merged_index_scans;
select tests.reset_authentication();

select is((select count(*) from merged_rows), 50::bigint, 'it returns 50 rows');
select is((select count(*) from merged_rows m join plain_rows p using (n, id)), 50::bigint,
  'the same 50, in the same order, as Postgres'' own plan');
select is((select count(*) from merged_rows where content !~ ' of session [123]$'), 0::bigint,
  'none of them from sessions the participant is not in');
select is((select array_agg(distinct right(content, 1)) from merged_rows), array['1', '2', '3'],
  'from all three of their sessions');
select ok(:r1 - :r0 <= 55,
  format('%s index entries read for 50 rows (bound 55), not the 900 of three sessions', :r1 - :r0));
select ok(:r2 - :r1 >= 900, format('(Postgres'' own plan read %s)', :r2 - :r1));

select tests.authenticate_as('oz');
select is((select count(*) from (:all_i_can_see) q), 50::bigint, 'a host of other sessions gets theirs');
select is((select count(*) from (:all_i_can_see) q where content ~ ' of session [123]$'), 0::bigint,
  '… none of Mo''s');
select tests.reset_authentication();

-- A table of queries on a scratch table --------------------------------------------------------
-- 200 keys of 500 rows, interleaved; v unique (nulls for key 5); t2 has the index in descending order.
create table pg_temp.t (id int primary key, k int not null, v int, note text not null);
insert into pg_temp.t select i, i % 200, case when i % 200 = 5 and i % 3 = 0 then null else (i * 7919) % 100003 end,
                             'row ' || i
from generate_series(1, 100000) i;
create index t_k_v on pg_temp.t (k, v);
create table pg_temp.t2 as select * from pg_temp.t;
create index t2_k_v_desc on pg_temp.t2 (k, v desc);
analyze pg_temp.t, pg_temp.t2;

-- the rows a query returns (as json, in order), with the hook on or off. (Rows that tie on the
-- order may come in any order: where values tie (nulls), the cases select the values only.)
create function pg_temp.rows_of(p_sql text, p_merged boolean) returns text language plpgsql as $$
declare
  v_rows text;
begin
  perform set_config('pg_convo.merged_index_scans', p_merged::text, true);
  -- with the hook on, no sort at all where the merged scan can take the query's order: every
  -- case (no limit, nulls at the end, a run of more keys than merged) goes through the node
  perform set_config('enable_sort', (not p_merged)::text, true);
  execute format('select coalesce(json_agg(q)::text, ''[]'') from (%s) q', p_sql) into v_rows;
  perform set_config('pg_convo.merged_index_scans', 'on', true);
  perform set_config('enable_sort', 'on', true);
  return v_rows;
end
$$;
create function pg_temp.merged(p_sql text) returns boolean language sql as $$
  select tests.plan_of(p_sql) like '%pg_convo merged index scans%'
$$;

create temp table cases (label text, query text, merged boolean);
insert into cases values
  ('descending, limit', 'select id, v from pg_temp.t where k = any(''{1,2,3}'') order by v desc limit 10', true),
  ('ascending, limit', 'select id, v from pg_temp.t where k = any(''{1,2,3}'') order by v limit 10', true),
  ('duplicate keys', 'select id, v from pg_temp.t where k = any(''{3,1,3,2,2}'') order by v desc limit 25', true),
  ('a null key', 'select id, v from pg_temp.t where k = any(''{1,null,2}'') order by v limit 40', true),
  ('a key without rows', 'select id, v from pg_temp.t where k = any(''{1,2,999}'') order by v desc limit 30', true),
  ('null values, descending (nulls first)', 'select v from pg_temp.t where k = any(''{5,6}'') order by v desc limit 20', true),
  ('null values, ascending (nulls last)', 'select v from pg_temp.t where k = any(''{5,6}'') order by v limit 900', null),
  ('a second sort key (incremental sort on top)', 'select id, v from pg_temp.t where k = any(''{5,6}'') order by v desc, id limit 50', true),
  ('another condition', 'select id, v from pg_temp.t where k = any(''{1,2,3}'') and note like ''%7%'' order by v desc limit 15', true),
  ('an expression computing the keys', 'select id, v from pg_temp.t where k = any(array[1 + 1, 2 * 2]) order by v limit 12', true),
  ('keys from a subquery (initPlan)', 'select id, v from pg_temp.t where k = any(array(select g from generate_series(10, 12) g)) order by v desc limit 20', true),
  ('more keys than merged (sorted instead)', 'select id, v from pg_temp.t where k = any(array(select g from generate_series(10, 160) g)) order by v desc limit 20', true),
  ('index in descending order, descending', 'select id, v from pg_temp.t2 where k = any(''{1,4,7}'') order by v desc limit 10', true),
  ('index in descending order, ascending', 'select id, v from pg_temp.t2 where k = any(''{1,4,7}'') order by v limit 10', true),
  ('a correlated subquery (rescanned)', 'select x, (select json_agg(s) from (select id from pg_temp.t where k = any(array[x * 10, x * 10 + 1]) order by v desc limit 3) s) from generate_series(1, 6) x', true),
  ('an empty array', 'select id, v from pg_temp.t where k = any(''{}''::int[]) order by v limit 5', null),
  ('no limit', 'select id, v from pg_temp.t where k = any(''{1,2}'') order by v desc', null),
  ('a system column (ctid): not merged', 'select ctid, id from pg_temp.t where k = any(''{1,2}'') order by v limit 3', false),
  ('row locks: not merged', 'select id from pg_temp.t where k = any(''{1,2}'') order by v limit 3 for update', false),
  ('order by another column: not merged', 'select id from pg_temp.t where k = any(''{1,2}'') order by id limit 3', false),
  ('a single key (a plain index scan): not merged', 'select id from pg_temp.t where k = 7 order by v limit 3', false);

select is(pg_temp.rows_of(query, true), pg_temp.rows_of(query, false), 'same rows: ' || label)
from cases where query not like '%for update' order by label;
select is(pg_temp.merged(query), merged, 'merged scans used: ' || label)
from cases where merged is not null order by label;

select ok(pg_temp.rows_of('select v from pg_temp.t where k = any(''{5,6}'') order by v desc limit 200', true)
          like '[{"v":null}, %', 'nulls come first when descending');
select ok(pg_temp.rows_of('select v from pg_temp.t where k = any(''{5,6}'') order by v limit 900', true)
          like '%{"v":null}]', '… and last when ascending');

-- 300 random queries (1-8 keys with repeats, nulls and keys without rows, either order, a limit of
-- 1-300 or none, sometimes another condition; text keys on t3), each against the hook off. Values
-- that tie (nulls) are compared as values only.
create table pg_temp.t3 as select id, 'key ' || k as k, v, note from pg_temp.t;
create index t3_k_v on pg_temp.t3 (k, v);
analyze pg_temp.t3;
create function pg_temp.random_query(p_table text) returns text language sql volatile as $$
  select format('select v from pg_temp.%s where k = any(%L) %s order by v %s %s', p_table,
                (select array_agg(case when random() < 0.1 then null
                                       when p_table = 't3' then 'key ' || floor(random() * 210)::int
                                       else floor(random() * 210)::int::text end)
                 from generate_series(1, 1 + floor(random() * 8)::int)),
                case when random() < 0.3 then 'and id % 3 <> 0' else '' end,
                case when random() < 0.5 then 'desc' else 'asc' end,
                case when random() < 0.8 then 'limit ' || (1 + floor(random() * 300)::int) else '' end)
$$;
select setseed(0.43);
create temp table random_queries as
  select n, pg_temp.random_query(case when n % 3 = 0 then 't3' else 't' end) as query from generate_series(1, 300) n;
select is((select count(*) from random_queries where pg_temp.rows_of(query, true) is distinct from pg_temp.rows_of(query, false)),
          0::bigint, '300 random queries: the same rows as with the hook off');
select cmp_ok((select count(*) from random_queries where pg_temp.merged(query)), '>=', 100::bigint,
  '… most of which the planner gives to the merged scans on its own');

-- Under RLS a key is applied to rows before the policy has filtered them: a query's own key may be
-- one only if its operator is leakproof, as Postgres asks of an index condition (numeric's = is not).
create table pg_temp.r (id int primary key, n numeric not null, v int not null);
insert into pg_temp.r select i, i % 200, (i * 7919) % 100003 from generate_series(1, 100000) i;
create index r_n_v on pg_temp.r (n, v);
alter table pg_temp.r enable row level security;
create policy "every row" on pg_temp.r for select to authenticated using (v >= 0);
grant select on pg_temp.r to authenticated;
analyze pg_temp.r;
select ok(tests.plan_of('select id from pg_temp.r where n = any(''{1,2}'') order by v desc limit 5', 'mo')
          not like '%pg_convo merged index scans%',
  'a query''s own key, operator not leakproof, on a table with a policy: not merged');
select ok(tests.plan_of('select id from pg_temp.r where n = any(''{1,2}'') order by v desc limit 5')
          like '%pg_convo merged index scans%',
  '… the same query by the table''s owner (no policy applies): merged');

-- what EXPLAIN ANALYZE says of the run: keys, and whether they were merged or sorted
create function pg_temp.analyzed(p_sql text) returns text language plpgsql as $$
declare
  v_plan json;
begin
  execute 'explain (analyze, costs off, timing off, summary off, format json) ' || p_sql into v_plan;
  return v_plan::text;
end
$$;
select ok(pg_temp.analyzed('select id from pg_temp.t where k = any(''{1,2,3}'') order by v desc limit 10')
          ~ '"Keys": 3,\s*"Rows": "merged"', 'EXPLAIN ANALYZE: 3 keys, merged');
select ok(pg_temp.analyzed('select id from pg_temp.t where k = any(array(select g from generate_series(10, 160) g)) order by v desc limit 20')
          ~ '"Keys": 151,\s*"Rows": "sorted"', 'EXPLAIN ANALYZE: 151 keys (more than 64), sorted');

select * from finish();
rollback;
