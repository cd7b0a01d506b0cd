-- Foundation: the Supabase compatibility bootstrap, the migration history, and schema-wide
-- security rules (Supabase's database linter, as assertions) that every later migration obeys.
begin;
select plan(60);

-- Lint queries, written once and run both on the real schema (must be empty) and on a
-- deliberately bad scratch object (must catch it), so each lint can be seen to fail.
create temp view lint_no_rls as
  select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity;
-- The policy lints cover pg_convo's policies on Supabase's own tables too (storage.objects,
-- realtime.messages): the schemas below.
create temp view lint_unwrapped_uid as  -- auth.uid() / realtime.topic() evaluated per row instead of once (initPlan)
  select schemaname || '.' || tablename || '.' || policyname from pg_policies
  where schemaname in ('public', 'storage', 'realtime')
    and regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''),
                       '\(\s*SELECT (auth\.(uid|role|jwt)|realtime\.topic)\(\) AS \w+\)', '', 'g')
        ~ '(auth\.(uid|role|jwt)|realtime\.topic)\(\)';
create temp view lint_policy_for_public as  -- a policy that does not name its role
  select schemaname || '.' || tablename || '.' || policyname from pg_policies
  where schemaname in ('public', 'storage', 'realtime') and roles = '{public}';
-- A convo helper a policy calls must be executable by every role the policy names, or the
-- policy fails with 42501 for that role instead of deciding.
create temp view lint_policy_helper_execute as
  select pol.schemaname || '.' || pol.tablename || '.' || pol.policyname || ' → ' || p.oid::regprocedure || ' for ' || r.role
  from pg_policies pol
  cross join lateral (select distinct m[1] as fn from regexp_matches(coalesce(pol.qual, '') || ' ' || coalesce(pol.with_check, ''),
                                                                       'convo\.(\w+)\(', 'g') m) f
  join pg_proc p on p.pronamespace = 'convo'::regnamespace and p.proname = f.fn
  cross join lateral unnest(pol.roles) r(role)
  where pol.schemaname in ('public', 'storage', 'realtime') and r.role <> 'public'
    and not has_function_privilege(r.role::text, p.oid, 'execute');
create temp view lint_unindexed_fk as  -- a foreign key with no index that starts with its columns
  select c.conrelid::regclass || '.' || c.conname from pg_constraint c
  join pg_namespace n on n.oid = c.connamespace
  where c.contype = 'f' and n.nspname = 'public'
    and not exists (
      select from pg_index i where i.indrelid = c.conrelid
        and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey);
create temp view lint_exposed_definer as  -- SECURITY DEFINER reachable through PostgREST
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.prosecdef;
create temp view lint_definer_search_path as  -- SECURITY DEFINER without a pinned search_path
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where p.prosecdef and n.nspname in ('public', 'convo')
    and not exists (select from unnest(p.proconfig) s where s like 'search_path=%');
-- Every function in the exposed schema pins search_path. Besides the usual reason, a function
-- with a SET clause is never inlined, and an inlined SQL function's EXECUTE privilege is checked
-- only when the plan is made: through PostgREST's pooled prepared statements, a plan made for
-- the service role would let a user run a function revoked from them (shown below).
-- Supabase's advisor (splinter, function_search_path_mutable) asks the same of every function
-- in the project's schemas, convo included; like splinter, it leaves out an extension's own
-- members (pg_convo's C functions, whose queries name every schema). Procedures are not in it:
-- one with a SET clause may not COMMIT (convo.run_retention commits batch by batch).
create temp view lint_unpinned_search_path as
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'convo') and p.prokind = 'f'
    and not exists (select from unnest(p.proconfig) s where s like 'search_path=%')
    and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass
                    and d.objid = p.oid and d.deptype = 'e');
create temp view lint_definer_view as  -- a view in public that runs with its owner's rights
  select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind = 'v'
    and not coalesce('security_invoker=true' = any (c.reloptions), false);
create temp view lint_public_execute as  -- a function anyone (PUBLIC) may execute
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public'
    and exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                where a.grantee = 0 and a.privilege_type = 'EXECUTE');
create temp view lint_convo_execute_public as  -- extension functions default to PUBLIC: revoked
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'convo'
    and exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                where a.grantee = 0 and a.privilege_type = 'EXECUTE');

-- The real schema is clean.
select is_empty('select * from lint_no_rls', 'every table in public has row level security');
select is_empty('select * from lint_unwrapped_uid', 'policies call auth.uid() and realtime.topic() as (select …)');
select is_empty('select * from lint_policy_for_public', 'every policy names its role (public, storage, realtime)');
select is_empty('select * from lint_policy_helper_execute', 'every convo helper a policy calls is executable by the policy''s roles');
select is_empty('select * from lint_unindexed_fk', 'every foreign key in public is indexed');
select is_empty('select * from lint_exposed_definer', 'no SECURITY DEFINER function in the exposed schema');
select is_empty('select * from lint_definer_search_path', 'SECURITY DEFINER functions pin search_path');
select is_empty('select * from lint_unpinned_search_path', 'every function in public and convo pins search_path (and so is never inlined)');
select is_empty('select * from lint_definer_view', 'views in public are security_invoker');
select is_empty('select * from lint_public_execute', 'no function in public is executable by PUBLIC');
select is_empty('select * from lint_convo_execute_public', 'no convo function is executable by PUBLIC');

-- ...and each lint catches a deliberately bad object (rolled back with the test).
create table public.lint_scratch (id int primary key, owner_id uuid references auth.users (id));
create table public.lint_scratch_child (id int, parent int references public.lint_scratch (id));
alter table public.lint_scratch enable row level security;
create policy "bad unwrapped" on public.lint_scratch for select to authenticated using (owner_id = auth.uid());
create policy "bad no role" on public.lint_scratch for select using (owner_id = (select auth.uid()));
create policy "bad helper" on public.lint_scratch for select to anon using (owner_id = any (array(select convo.my_session_ids())));
create function public.lint_definer() returns int language sql security definer as 'select 1';
create view public.lint_view as select 1 as one;
select isnt_empty('select * from lint_no_rls', 'the RLS lint catches a table without RLS');
select isnt_empty('select * from lint_unwrapped_uid', 'the auth.uid() lint catches an unwrapped call');
select isnt_empty('select * from lint_policy_for_public', 'the role lint catches a policy for PUBLIC');
select isnt_empty('select * from lint_policy_helper_execute', 'the helper lint catches a policy whose role may not run its helper');
select isnt_empty('select * from lint_unindexed_fk', 'the FK lint catches an unindexed foreign key');
select isnt_empty('select * from lint_exposed_definer', 'the definer lint catches an exposed SECURITY DEFINER');
select isnt_empty('select * from lint_definer_search_path', 'the search_path lint catches a mutable search_path');
select isnt_empty('select * from lint_unpinned_search_path', 'the search_path lint catches a function in public without it');
create function convo.lint_unpinned() returns int language sql as 'select 1';
select is((select count(*)::int from lint_unpinned_search_path l where l.oid = 'convo.lint_unpinned()'), 1,
  'the search_path lint catches a function in convo without it');
drop function convo.lint_unpinned();
select isnt_empty('select * from lint_definer_view', 'the view lint catches a definer-rights view');
select isnt_empty('select * from lint_public_execute', 'the execute lint catches a function open to PUBLIC');
drop view public.lint_view; drop function public.lint_definer();
drop table public.lint_scratch_child, public.lint_scratch;

-- Why the search_path lint matters: a plan made by a role with EXECUTE, reused by one without.
create function public.lint_inlinable() returns text language sql as $$ select current_user::text $$;
create function public.lint_pinned() returns text language sql set search_path = '' as $$ select current_user::text $$;
revoke execute on function public.lint_inlinable(), public.lint_pinned() from public, anon, authenticated;
grant execute on function public.lint_inlinable(), public.lint_pinned() to service_role;
set local role service_role;
prepare inlinable as select public.lint_inlinable();
prepare pinned as select public.lint_pinned();
execute inlinable; execute pinned;   -- the plans are made (and cached) for service_role
reset role;
select tests.act_as('authenticated');
select throws_ok('execute pinned', '42501', null,
  'a function that pins search_path is not inlined: a cached plan still checks EXECUTE');
select tests.act_as('authenticated');
select lives_ok('execute inlinable',
  'an inlinable SQL function runs for a role without EXECUTE through a plan cached for another (PostgreSQL 15): hence the lint');
select tests.reset_authentication();
deallocate inlinable; deallocate pinned;
drop function public.lint_inlinable(), public.lint_pinned();

-- Roles as Supabase has them.
select ok(not rolcanlogin and not rolbypassrls, 'anon: NOLOGIN, no BYPASSRLS') from pg_roles where rolname = 'anon';
select ok(not rolcanlogin and not rolbypassrls, 'authenticated: NOLOGIN, no BYPASSRLS') from pg_roles where rolname = 'authenticated';
select ok(not rolcanlogin and rolbypassrls, 'service_role: NOLOGIN BYPASSRLS') from pg_roles where rolname = 'service_role';
select ok(rolcanlogin and not rolinherit, 'authenticator: LOGIN NOINHERIT') from pg_roles where rolname = 'authenticator';
select ok(pg_has_role('authenticator', 'anon', 'member') and pg_has_role('authenticator', 'authenticated', 'member')
          and pg_has_role('authenticator', 'service_role', 'member'), 'authenticator may switch to the three API roles');
select has_schema(s, 'schema ' || s || ' exists') from unnest(array['auth', 'extensions', 'storage']) s;
select ok(exists (select from pg_publication where pubname = 'supabase_realtime'), 'the supabase_realtime publication exists');
-- What pg_convo's storage and realtime policies rely on, by Supabase's names (the bootstrap creates
-- it where missing).
select has_column('storage', t, c, 'storage.' || t || '.' || c)
from (values ('buckets', 'id'), ('buckets', 'public'), ('buckets', 'file_size_limit'), ('buckets', 'allowed_mime_types'),
             ('objects', 'bucket_id'), ('objects', 'name'), ('objects', 'owner'), ('objects', 'owner_id'),
             ('objects', 'metadata'), ('objects', 'path_tokens'), ('objects', 'version')) v(t, c);
select has_function('storage', f, array['text'], 'storage.' || f || '(text)') from unnest(array['foldername', 'filename', 'extension']) f;
select results_eq($$ select storage.foldername('a/b/c.pdf'), storage.filename('a/b/c.pdf'), storage.extension('a/b/c.tar.gz') $$,
  $$ values (array['a', 'b'], 'c.pdf', 'gz') $$, 'storage.foldername / filename / extension split a path as Storage does');
select ok((select relrowsecurity from pg_class where oid = t::regclass), t || ': row level security on')
from unnest(array['storage.objects', 'storage.buckets', 'realtime.messages']) t;
select ok(has_table_privilege(r, 'storage.objects', 'select,insert,update,delete'), r || ' has Supabase''s grants on storage.objects (RLS decides)')
from unnest(array['anon', 'authenticated', 'service_role']) r;
select has_function('realtime', 'topic', array[]::text[], 'realtime.topic()');

-- auth.*() read the old per-claim settings first and the JSON claims second.
select set_config('request.jwt.claims',
  '{"sub":"22222222-2222-2222-2222-222222222222","role":"authenticated","email":"j@x.io","aud":"authenticated"}', true);
select is(auth.uid(), '22222222-2222-2222-2222-222222222222'::uuid, 'auth.uid() reads request.jwt.claims');
select is(array[auth.role(), auth.email(), auth.jwt() ->> 'aud'], array['authenticated', 'j@x.io', 'authenticated'],
          'auth.role(), auth.email(), auth.jwt() read request.jwt.claims');
select set_config('request.jwt.claim.sub', '11111111-1111-1111-1111-111111111111', true),
       set_config('request.jwt.claim.role', 'service_role', true);
select is(array[auth.uid()::text, auth.role()], array['11111111-1111-1111-1111-111111111111', 'service_role'],
          'the per-claim settings win over the JSON claims');

-- convo_info() through the API roles.
select tests.clear_authentication();
select is(public.convo_info() ->> 'role', 'anon', 'anon may call convo_info()');
select tests.reset_authentication();

-- Every migration file has its history row, as the Supabase CLI records it.
select set_eq(
  'select version from supabase_migrations.schema_migrations',
  $$ select unnest(string_to_array(current_setting('convo_test.migration_versions'), ',')) $$,
  'supabase_migrations.schema_migrations lists exactly the files in migrations/');

select * from finish();
rollback;
