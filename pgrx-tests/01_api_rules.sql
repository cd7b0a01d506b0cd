-- The API's three shared rules (migrations/…_foundation_0_2_0.sql) and the schema-wide checks
-- that keep every table following them: whom an RPC acts for, explicit nulls that take the
-- column default, columns only the server writes; plus the privileges and size bounds every table
-- in public must have.
begin;
select plan(31);

select tests.create_supabase_user('a', 'rules-a@example.test') as a \gset
select tests.create_supabase_user('b', 'rules-b@example.test') as b \gset


-- convo.acting_user -----------------------------------------------------------------------------

select tests.authenticate_as('a');
select is(convo.acting_user(null), :'a'::uuid, 'a user, p_user_id omitted: the user');
select is(convo.acting_user(:'a'), :'a'::uuid, 'a user naming themselves: the user');
select throws_ok(format('select convo.acting_user(%L)', :'b'), '42501',
  'p_user_id must be omitted or be the signed-in user', 'a user naming someone else: 42501');

select tests.authenticate_as_service_role();
select is(convo.acting_user(:'b'), :'b'::uuid, 'the service role: the user it names');
select throws_ok('select convo.acting_user(null)', '22023',
  'p_user_id is required when calling with the service role key', 'the service role naming nobody: 22023');

select tests.clear_authentication();
select throws_ok(format('select convo.acting_user(%L)', :'b'), '42501', null, 'anon: 42501 (no EXECUTE)');

-- an authenticated token without a sub names nobody and is nobody
select tests.act_as('authenticated');
select throws_ok(format('select convo.acting_user(%L)', :'b'), '42501',
  'sign in to call this function', 'authenticated without a sub: 42501');

-- a SECURITY DEFINER caller (current_user = its owner) does not make anon the service role
select tests.reset_authentication();
create function pg_temp.definer_acting_user(p uuid) returns uuid
  language sql security definer set search_path = '' as $$ select convo.acting_user(p) $$;
grant execute on function pg_temp.definer_acting_user(uuid) to authenticated;
select tests.act_as('authenticated');
select throws_ok(format('select pg_temp.definer_acting_user(%L)', :'b'), '42501', null,
  'inside a SECURITY DEFINER function an anonymous caller is still nobody');

-- a direct connection as postgres (no SET ROLE) acts like the service role
select tests.reset_authentication();
select set_config('role', 'none', true);
select is(convo.acting_user(:'b'), :'b'::uuid, 'postgres, directly: the user it names');


-- convo.fill_column_defaults ----------------------------------------------------------------------

create temp table defaults_demo (
  id uuid not null default gen_random_uuid(),
  label text not null default 'medium',
  n integer not null default 7,
  at timestamptz not null default now(),
  no_default text not null,
  serial_id bigint generated always as identity
);
select convo.install_fill_column_defaults('defaults_demo');
insert into defaults_demo (id, label, n, at, no_default) values (null, null, null, null, 'x');
select results_eq($$ select label, n, id is not null, at = now() from defaults_demo $$,
  $$ values ('medium'::text, 7, true, true) $$, 'explicit nulls take each column''s default');
insert into defaults_demo (label, n, no_default) values ('high', 1, 'y');
select is((select label from defaults_demo where no_default = 'y'), 'high', 'values sent are kept');
select throws_ok($$ insert into defaults_demo (no_default) values (null) $$, '23502', null,
  'a NOT NULL column without a default still refuses null');

-- every table in public that has NOT NULL columns with defaults carries the trigger, on exactly them
select is_empty(
  $$ with needed as (
       select c.oid, c.relname,
              format('convo.fill_column_defaults(%s)',
                     string_agg(quote_literal(a.attname), ', ' order by a.attnum)) as call
       from pg_class c
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
         and a.attnotnull and a.attidentity = '' and a.attgenerated = ''
       group by c.oid, c.relname)
     select n.relname from needed n
     where not exists (select from pg_trigger t
                       where t.tgrelid = n.oid and t.tgname = n.relname || '_fill_column_defaults'
                         and pg_get_triggerdef(t.oid) like '%' || n.call || '%') $$,
  'every table in public: explicit nulls take the default for all its NOT NULL columns with a default (convo.install_fill_column_defaults)');


-- convo.keep_server_columns -------------------------------------------------------------------------

create temp table server_demo (
  id int primary key,
  note text,
  created_at timestamptz not null default now(),
  counter int not null default 0
);
grant select, insert, update on server_demo to authenticated, service_role;
select convo.install_keep_server_columns('server_demo', array['created_at', 'counter']);
select tests.authenticate_as('a');
insert into server_demo values (1, 'x', '2000-01-01', 99);
select results_eq($$ select created_at = now(), counter from server_demo where id = 1 $$,
  $$ values (true, 0) $$, 'an API role''s insert gets the server''s values');
update server_demo set created_at = '2001-01-01', counter = 5, note = 'y' where id = 1;
select results_eq($$ select created_at = now(), counter, note from server_demo where id = 1 $$,
  $$ values (true, 0, 'y'::text) $$, 'an API role''s update keeps them, and changes the rest');
select tests.authenticate_as_service_role();
insert into server_demo values (2, 'z', '2000-01-01', 3);
select results_eq($$ select created_at, counter from server_demo where id = 2 $$,
  $$ values ('2000-01-01'::timestamptz, 3) $$, 'the service role writes them (imports, backfills)');
select tests.reset_authentication();


-- Privileges every table in public must have -----------------------------------------------------

-- RLS does not govern TRUNCATE, and no API call needs TRIGGER or REFERENCES.
select is_empty(
  $$ select c.relname || ' ' || r.role || ' ' || p.priv
     from pg_class c
     cross join (values ('anon'), ('authenticated')) r(role)
     cross join (values ('TRUNCATE'), ('TRIGGER'), ('REFERENCES')) p(priv)
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'p')
       and has_table_privilege(r.role, c.oid, p.priv) $$,
  'anon and authenticated have no TRUNCATE, TRIGGER or REFERENCES on any table or view in public');

-- Every text, jsonb or array column an API role can write has a bound named <table>_<column>_length_check.
select is_empty(
  $$ select c.relname || '.' || a.attname
     from pg_class c
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.attgenerated = ''
       and (a.atttypid in ('text'::regtype, 'jsonb'::regtype, 'json'::regtype, 'character varying'::regtype)
            or (select t.typcategory = 'A' from pg_type t where t.oid = a.atttypid))
       and (has_column_privilege('authenticated', c.oid, a.attnum, 'INSERT')
            or has_column_privilege('authenticated', c.oid, a.attnum, 'UPDATE')
            or has_column_privilege('anon', c.oid, a.attnum, 'INSERT')
            or has_column_privilege('anon', c.oid, a.attnum, 'UPDATE'))
       and not exists (select from pg_constraint k
                       where k.conrelid = c.oid and k.contype = 'c'
                         and (k.conname = c.relname || '_' || a.attname || '_length_check'
                              -- or a closed set of values: check (status in ('a', 'b'))
                              or (k.conkey = array[a.attnum]
                                  and pg_get_constraintdef(k.oid) ~ '= ANY \(ARRAY\[')))
     order by 1 $$,
  'every text / jsonb / array column an API role may write is bounded: <table>_<column>_length_check, or a closed set of values');

-- Those bounds really bound: each is a CHECK on its own column.
select is_empty(
  $$ select k.conname from pg_constraint k
     where k.connamespace = 'public'::regnamespace and k.conname like '%\_length\_check'
       and (k.contype <> 'c' or array_length(k.conkey, 1) <> 1) $$,
  'every *_length_check is a CHECK on one column');


-- The rules in use: a table of the schema, through the API roles --------------------------------

-- user_memories.importance (NOT NULL default 'medium'): supabase-py sends None as null
select tests.authenticate_as('a');
insert into public.user_memories (user_id, memory_key, memory_value, importance)
values (:'a', 'rules.k', 'v', null);
select is((select importance from public.user_memories where memory_key = 'rules.k'), 'medium',
  'user_memories: an explicit null importance is stored as the default');
-- the same through an upsert (PostgREST: insert … on conflict do update set … = excluded.…)
update public.user_memories set importance = 'high' where memory_key = 'rules.k';
insert into public.user_memories (user_id, memory_key, memory_value, importance)
values (:'a', 'rules.k', 'v2', null)
on conflict (user_id, memory_key) do update set memory_value = excluded.memory_value, importance = excluded.importance;
select is((select memory_value || '/' || importance from public.user_memories where memory_key = 'rules.k'),
  'v2/medium', 'an upsert with an explicit null importance takes the default too');
select tests.reset_authentication();

-- The acting-user rule in every per-user RPC: each public function with a p_user_id parameter
-- calls convo.acting_user.
select is_empty(
  $$ select p.oid::regprocedure::text
     from pg_proc p
     where p.pronamespace = 'public'::regnamespace
       and 'p_user_id' = any (p.proargnames)
       and p.prosrc not like '%convo.acting_user(%' $$,
  'every public RPC with p_user_id resolves it with convo.acting_user');

-- Explicit EXECUTE on the rules' functions: no PUBLIC, the API roles only where they need it.
select ok(not has_function_privilege('public', 'convo.acting_user(uuid)', 'execute')
          and not has_function_privilege('anon', 'convo.acting_user(uuid)', 'execute')
          and has_function_privilege('authenticated', 'convo.acting_user(uuid)', 'execute')
          and has_function_privilege('service_role', 'convo.acting_user(uuid)', 'execute'),
  'convo.acting_user: authenticated and service_role only');
select ok(not has_function_privilege('public', 'convo.install_fill_column_defaults(regclass)', 'execute')
          and not has_function_privilege('authenticated', 'convo.install_fill_column_defaults(regclass)', 'execute')
          and not has_function_privilege('public', 'convo.install_keep_server_columns(regclass, text[])', 'execute')
          and not has_function_privilege('authenticated', 'convo.install_keep_server_columns(regclass, text[])', 'execute'),
  'the migration helpers are for migrations only');
select ok(not has_function_privilege('public', 'convo.fill_column_defaults()', 'execute')
          and not has_function_privilege('public', 'convo.keep_server_columns()', 'execute'),
  'the trigger functions are not executable by PUBLIC');

-- Storage and Realtime policies (issue 21): access to an object or a channel comes from who is in
-- the session now, never from a row a user can write (a session_files row is no proof of access).
select is_empty(
  $$ select policyname from pg_policies
     where schemaname in ('storage', 'realtime')
       and coalesce(qual, '') || ' ' || coalesce(with_check, '') ~ '(session_files|session_invitations)' $$,
  'no storage / realtime policy consults session_files or session_invitations');
-- The helpers those policies call: in convo, search_path pinned, not executable by PUBLIC or anon.
select is_empty(
  $$ select distinct p.oid::regprocedure::text
     from pg_policies pol
     cross join lateral regexp_matches(coalesce(pol.qual, '') || ' ' || coalesce(pol.with_check, ''), 'convo\.(\w+)\(', 'g') m
     join pg_proc p on p.pronamespace = 'convo'::regnamespace and p.proname = m[1]
     where pol.schemaname in ('storage', 'realtime')
       and (not exists (select from unnest(p.proconfig) c where c = 'search_path=""')
            or has_function_privilege('public', p.oid, 'execute')
            or has_function_privilege('anon', p.oid, 'execute')) $$,
  'the convo helpers of the storage / realtime policies pin search_path and are not executable by PUBLIC or anon');

-- The extension is at the version the migrations need, and the library serves it.
select is((select extversion from pg_extension where extname = 'pg_convo'), '0.2.0', 'pg_convo is at 0.2.0');
select is(convo.info() ->> 'version', '0.2.0', 'the loaded library is 0.2.0');
select ok((select count(*) from pg_available_extension_versions where name = 'pg_convo' and version = '0.1.0') = 1,
  'the released 0.1.0 install script stays available');
select ok(exists (select from pg_extension_update_paths('pg_convo') where source = '0.1.0' and target = '0.2.0' and path is not null),
  'an update path 0.1.0 → 0.2.0 exists');

select * from finish();
rollback;
