-- The test-helper library of the pgTAP suites (pgrx-tests/*.sql): schema `tests`.
--
-- Test databases only, never a migration: scripts/pgtap.sh and scripts/test.sh load it before
-- running pg_prove (`scripts/stack.sh psql -f sql/test_helpers.sql` loads it by hand). Loading it
-- again replaces it. The shape is that of basejump's supabase-test-helpers, which many Supabase
-- projects use, so a newcomer already knows it:
--
--   users, by a readable name (the identifier)
--     tests.create_supabase_user(identifier, email, phone, metadata, confirmed) → uuid
--     tests.get_supabase_uid(identifier) → uuid         tests.get_supabase_user(identifier) → jsonb
--   whom the following statements run as, the way PostgREST runs a request
--     tests.authenticate_as(identifier)                 a signed-in user (role authenticated)
--     tests.authenticate_as_service_role()              a server holding the service-role key
--     tests.clear_authentication()                      a request with only the anon key
--     tests.reset_authentication()                      back to the suite's own role (postgres)
--     tests.authenticate(who)                           any of the four: an identifier, 'anon',
--                                                       'service_role' or 'postgres'
--   running a statement (as the current role, or as `who` and then back to the caller's role;
--   the parameters are p_sql and p_as, for named notation: tests.row_count(p_as => 'bob', p_sql => …))
--     tests.affected(sql, who) → bigint                 rows it changed (a query: rows returned)
--     tests.would_affect(sql, who) → bigint             the same, then undone
--     tests.row_count(sql, who) → bigint                rows a query returns
--     tests.value_of(sql, who) → text                   its first row's first column
--     tests.error_of(sql, who, with_detail) → text      'ok' or '<SQLSTATE>: <message>'
--     tests.sqlstate_of(sql, who) → text                'ok' or the SQLSTATE
--     tests.plan_of(sql, who) → text                    EXPLAIN (FORMAT JSON)
--   what a statement read
--     tests.index_entries_read(table) → bigint          index entries this transaction's scans
--                                                       have read on the table's indexes so far
--
-- Every suite is one transaction that ends in ROLLBACK, and so is everything these helpers do:
-- users, their names and the impersonation (transaction-local settings) vanish with it.
--
-- Older names, kept as thin wrappers for the suites that use them: tests.create_user(email,
-- full_name), tests.act_as(role, uid), tests.act_as_user(uid), tests.act_as_anon(),
-- tests.act_as_service(), tests.act_as_postgres().

set client_min_messages = warning;   -- quiet reloads
create extension if not exists pgtap with schema extensions;
create schema if not exists tests;
-- Loading again first drops this file's functions (every overload of each name below), so a
-- changed signature never meets its old version. Only these names: in the #[pg_test] database,
-- schema `tests` also holds pgrx's test functions. A new helper's name goes into this list.
do $drop$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p
           where p.pronamespace = 'tests'::regnamespace
             and p.proname = any (array[
               'create_supabase_user', 'get_supabase_user', 'get_supabase_uid', 'impersonate',
               'authenticate_as', 'authenticate_as_service_role', 'clear_authentication',
               'reset_authentication', 'authenticate', 'switch_to', 'switch_back', 'affected',
               'would_affect', 'row_count', 'value_of', 'error_of', 'sqlstate_of', 'plan_of',
               'index_entries_read',
               'create_user', 'act_as', 'act_as_user', 'act_as_anon', 'act_as_service',
               'act_as_postgres']) loop
    execute format('drop function %s cascade', f);
  end loop;
end
$drop$;
comment on schema tests is
  'pgTAP test helpers (sql/test_helpers.sql): test databases only, never part of the schema.';
-- the helpers are called while impersonating the API roles
grant usage on schema tests to anon, authenticated, service_role;


-- Users by name ------------------------------------------------------------------------------------

-- The identifier → id book. A table of its own rather than a key in raw_user_meta_data: the auth
-- user stays exactly what an app would see, and a test that deletes the auth user can still act
-- with that user's (now dangling) token, as a client holding an old JWT would.
create table if not exists tests.supabase_users (
  identifier text primary key,
  id uuid not null unique
);
comment on table tests.supabase_users is
  'Test users by readable name (tests.create_supabase_user); rows vanish with the test''s rollback.';
revoke all on tests.supabase_users from public, anon, authenticated, service_role;

create or replace function tests.create_supabase_user(
  identifier text, email text default null, phone text default null, metadata jsonb default null,
  confirmed boolean default true)
returns uuid
language plpgsql
security definer   -- so that a test may create a user while it acts as an API role
set search_path = ''
as $$
declare
  v_id uuid := gen_random_uuid();
begin
  if coalesce(create_supabase_user.identifier, '') = '' then
    raise exception 'tests.create_supabase_user: an identifier is required' using errcode = '22023';
  end if;
  if create_supabase_user.identifier in ('anon', 'service_role', 'postgres') then
    raise exception 'tests.create_supabase_user: that identifier names a role in tests.authenticate'
      using errcode = '22023', detail = create_supabase_user.identifier;
  end if;
  if exists (select from tests.supabase_users u where u.identifier = create_supabase_user.identifier) then
    raise exception 'tests.create_supabase_user: a test user with that identifier exists'
      using errcode = '23505', detail = create_supabase_user.identifier;
  end if;
  -- what GoTrue writes for an email sign-up: where confirmation is off, the address confirmed at
  -- once; else (confirmed => false) not until the user follows the link. Triggers on auth.users
  -- (profiles …) fire as usual
  insert into auth.users (id, aud, role, email, phone, raw_app_meta_data, raw_user_meta_data,
                          email_confirmed_at)
  values (v_id, 'authenticated', 'authenticated',
          coalesce(create_supabase_user.email, create_supabase_user.identifier || '@example.test'),
          create_supabase_user.phone,
          '{"provider": "email", "providers": ["email"]}',
          coalesce(create_supabase_user.metadata, '{}'),
          case when create_supabase_user.confirmed then now() end);
  insert into tests.supabase_users (identifier, id) values (create_supabase_user.identifier, v_id);
  return v_id;
end
$$;
comment on function tests.create_supabase_user(text, text, text, jsonb, boolean) is
  'Creates an auth user (email defaults to <identifier>@example.test, confirmed unless confirmed => false; metadata becomes raw_user_meta_data, e.g. {"full_name": …}) and remembers it by identifier. Returns its id.';

create or replace function tests.get_supabase_user(identifier text)
returns jsonb
language plpgsql
stable
security definer   -- auth.users is not readable by the API roles
set search_path = ''
as $$
declare
  v_user jsonb;
begin
  select jsonb_build_object('id', t.id, 'email', u.email, 'phone', u.phone,
                            'app_metadata', coalesce(u.raw_app_meta_data, '{}'),
                            'user_metadata', coalesce(u.raw_user_meta_data, '{}'))
    into v_user
  from tests.supabase_users t
  left join auth.users u on u.id = t.id
  where t.identifier = get_supabase_user.identifier;
  if v_user is null then
    raise exception 'tests: no test user has that identifier'
      using errcode = 'P0002', detail = get_supabase_user.identifier,
            hint = 'Create it first with tests.create_supabase_user.';
  end if;
  return v_user;
end
$$;
comment on function tests.get_supabase_user(text) is
  'The test user named identifier: {id, email, phone, app_metadata, user_metadata}. Unknown → P0002.';

create or replace function tests.get_supabase_uid(identifier text)
returns uuid
language sql
stable
set search_path = ''
as $$ select (tests.get_supabase_user(get_supabase_uid.identifier) ->> 'id')::uuid $$;
comment on function tests.get_supabase_uid(text) is
  'The id of the test user named identifier (readable from any role). Unknown → P0002.';


-- Whom statements run as -----------------------------------------------------------------------------

-- The one primitive: what PostgREST does at the start of a request (SET ROLE to the JWT's role,
-- request.jwt.claims = the JWT's claims, both transaction-local). Old PostgREST versions set one
-- request.jwt.claim.<name> per claim instead, and auth.uid() / role() / email() / jwt() read those
-- FIRST: they are emptied, or a previous impersonation could still answer auth.uid().
-- Not SECURITY DEFINER: SET ROLE is refused inside one. Switching roles is allowed because the
-- session's login role (postgres) is a member of every API role.
create or replace function tests.impersonate(p_role text, p_claims jsonb)
returns void
language plpgsql
as $$
begin
  perform set_config('role', p_role, true);
  perform set_config('request.jwt.claims', coalesce(p_claims::text, ''), true);
  perform set_config('request.jwt.claim', '', true);
  perform set_config('request.jwt.claim.sub', '', true);
  perform set_config('request.jwt.claim.role', '', true);
  perform set_config('request.jwt.claim.email', '', true);
end
$$;
comment on function tests.impersonate(text, jsonb) is
  'Runs what follows as role p_role with JWT claims p_claims, as PostgREST does; empties the old per-claim settings.';

create or replace function tests.authenticate_as(identifier text)
returns void
language plpgsql
as $$
declare
  v_user jsonb := tests.get_supabase_user(authenticate_as.identifier);   -- unknown: fails first
begin
  -- the claims of a GoTrue access token
  perform tests.impersonate('authenticated', jsonb_build_object(
    'sub', v_user ->> 'id', 'role', 'authenticated', 'aud', 'authenticated',
    'email', v_user ->> 'email', 'phone', v_user ->> 'phone',
    'app_metadata', v_user -> 'app_metadata', 'user_metadata', v_user -> 'user_metadata',
    'is_anonymous', false));
end
$$;
comment on function tests.authenticate_as(text) is
  'Acts as the test user named identifier: role authenticated, that user''s JWT claims (auth.uid() = their id).';

create or replace function tests.authenticate_as_service_role()
returns void
language sql
as $$ select tests.impersonate('service_role', '{"role": "service_role"}') $$;
comment on function tests.authenticate_as_service_role() is
  'Acts as a request bearing the service-role key: role service_role (BYPASSRLS), auth.uid() null.';

create or replace function tests.clear_authentication()
returns void
language sql
as $$ select tests.impersonate('anon', '{"role": "anon"}') $$;
comment on function tests.clear_authentication() is
  'Acts as a request bearing only the anon key: role anon, auth.uid() null.';

create or replace function tests.reset_authentication()
returns void
language sql
as $$ select tests.impersonate('none', null) $$;
comment on function tests.reset_authentication() is
  'Back to the session''s own role (postgres when pg_prove runs the suite), no JWT claims: a direct database connection.';

create or replace function tests.authenticate(who text)
returns void
language plpgsql
as $$
begin
  case who
    when 'anon' then perform tests.clear_authentication();
    when 'service_role' then perform tests.authenticate_as_service_role();
    when 'postgres' then perform tests.reset_authentication();
    else perform tests.authenticate_as(who);
  end case;
end
$$;
comment on function tests.authenticate(text) is
  'Acts as who: a test user''s identifier, or ''anon'', ''service_role'', ''postgres'' (which no identifier may be).';


-- Running a statement as someone ------------------------------------------------------------------------

-- tests.switch_to(who) … tests.switch_back(saved): the bracket around the helpers below. switch_to
-- returns the caller's role and claims (null when who is null: nothing to switch or restore).
create or replace function tests.switch_to(who text)
returns jsonb
language plpgsql
as $$
declare
  v_saved jsonb;
begin
  if who is null then
    return null;
  end if;
  v_saved := jsonb_build_object(
    'role', current_setting('role'),
    'request.jwt.claims', current_setting('request.jwt.claims', true),
    'request.jwt.claim', current_setting('request.jwt.claim', true),
    'request.jwt.claim.sub', current_setting('request.jwt.claim.sub', true),
    'request.jwt.claim.role', current_setting('request.jwt.claim.role', true),
    'request.jwt.claim.email', current_setting('request.jwt.claim.email', true));
  perform tests.authenticate(who);
  return v_saved;
end
$$;
comment on function tests.switch_to(text) is
  'Acts as who (see tests.authenticate) and returns what tests.switch_back needs to restore the caller''s role and claims; null who: a no-op.';

create or replace function tests.switch_back(saved jsonb)
returns void
language plpgsql
as $$
declare
  v_name text;
begin
  if saved is null then
    return;
  end if;
  perform set_config('role', saved ->> 'role', true);
  for v_name in select k from jsonb_object_keys(saved) k where k <> 'role' loop
    perform set_config(v_name, coalesce(saved ->> v_name, ''), true);
  end loop;
end
$$;
comment on function tests.switch_back(jsonb) is
  'Restores the role and claims that tests.switch_to saved.';

create or replace function tests.affected(p_sql text, p_as text default null)
returns bigint
language plpgsql
as $$
declare
  v_saved jsonb := tests.switch_to(p_as);
  v_rows bigint;
begin
  execute p_sql;
  get diagnostics v_rows = row_count;
  perform tests.switch_back(v_saved);
  return v_rows;
end
$$;
comment on function tests.affected(text, text) is
  'Runs a statement (as p_as, when given) and returns how many rows it inserted, updated or deleted (for a query: rows returned). Its effects stay; an error propagates.';

create or replace function tests.would_affect(p_sql text, p_as text default null)
returns bigint
language plpgsql
as $$
declare
  v_saved jsonb := tests.switch_to(p_as);
  v_rows bigint;
begin
  begin
    execute p_sql;
    get diagnostics v_rows = row_count;
    raise exception using errcode = 'ZZ999';   -- undo it
  exception when sqlstate 'ZZ999' then
    null;
  end;
  perform tests.switch_back(v_saved);
  return v_rows;
end
$$;
comment on function tests.would_affect(text, text) is
  'Like tests.affected, then undone: every cell of an RLS matrix starts from the same fixtures. An error propagates.';

create or replace function tests.row_count(p_sql text, p_as text default null)
returns bigint
language plpgsql
as $$
declare
  v_saved jsonb := tests.switch_to(p_as);
  v_rows bigint;
begin
  execute format('select count(*) from (%s) as q', p_sql) into v_rows;
  perform tests.switch_back(v_saved);
  return v_rows;
end
$$;
comment on function tests.row_count(text, text) is
  'How many rows a query returns (as p_as, when given): what RLS lets that role see.';

create or replace function tests.value_of(p_sql text, p_as text default null)
returns text
language plpgsql
as $$
declare
  v_saved jsonb := tests.switch_to(p_as);
  v_value text;
begin
  execute p_sql into v_value;
  perform tests.switch_back(v_saved);
  return v_value;
end
$$;
comment on function tests.value_of(text, text) is
  'The first column of the first row a query returns (as p_as, when given), as text; null when there is no row.';

create or replace function tests.error_of(p_sql text, p_as text default null, p_with_detail boolean default false)
returns text
language plpgsql
as $$
declare
  v_saved jsonb := tests.switch_to(p_as);   -- outside the block: its rollback would undo it
  v_outcome text := 'ok';
  v_state text;
  v_message text;
  v_detail text;
begin
  begin
    execute p_sql;
  exception when others then
    get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
                            v_detail = pg_exception_detail;
    v_outcome := v_state || ': ' || v_message
                 || case when p_with_detail and v_detail <> '' then ' / ' || v_detail else '' end;
  end;
  perform tests.switch_back(v_saved);
  return v_outcome;
end
$$;
comment on function tests.error_of(text, text, boolean) is
  '''ok'' (its effects stay) or ''<SQLSTATE>: <message>'' (and '' / <detail>'' with p_with_detail) of a statement run as p_as, when given: what an API client sees.';

create or replace function tests.sqlstate_of(p_sql text, p_as text default null)
returns text
language sql
as $$ select split_part(tests.error_of(p_sql, p_as), ':', 1) $$;
comment on function tests.sqlstate_of(text, text) is
  '''ok'' or the SQLSTATE of the error a statement raises (as p_as, when given).';

create or replace function tests.plan_of(p_sql text, p_as text default null)
returns text
language plpgsql
as $$
declare
  v_saved jsonb := tests.switch_to(p_as);
  v_plan json;
begin
  execute 'explain (format json) ' || p_sql into v_plan;
  perform tests.switch_back(v_saved);
  return v_plan::text;
end
$$;
comment on function tests.plan_of(text, text) is
  'The EXPLAIN (FORMAT JSON) of a statement (planned as p_as, when given), as text: for index and initPlan checks.';

-- Read before and after a statement, the difference bounds what its plan read, whatever shape the
-- plan has (pg_stat_user_indexes' idx_tup_read, counted for this transaction).
create or replace function tests.index_entries_read(p_table regclass)
returns bigint
language sql
as $$
  select coalesce(sum(pg_catalog.pg_stat_get_xact_tuples_returned(i.indexrelid)), 0)::bigint
  from pg_catalog.pg_index i where i.indrelid = p_table
$$;
comment on function tests.index_entries_read(regclass) is
  'Index entries the scans of this transaction have read so far on the table''s indexes: the difference around a statement bounds what its plan read.';


-- Older names (thin wrappers) ------------------------------------------------------------------------------

create or replace function tests.create_user(p_email text, p_full_name text default null)
returns uuid
language sql
as $$
  select tests.create_supabase_user(p_email, p_email, null,
    jsonb_build_object('full_name', coalesce(p_full_name, split_part(p_email, '@', 1))))
$$;
comment on function tests.create_user(text, text) is
  'tests.create_supabase_user with the email as identifier and full_name (default: the email''s local part) in the metadata.';

create or replace function tests.act_as(p_role text, p_uid uuid default null)
returns void
language sql
as $$ select tests.impersonate(p_role, jsonb_build_object('role', p_role, 'sub', p_uid)) $$;
comment on function tests.act_as(text, uuid) is
  'Acts as role p_role with claims {role, sub: p_uid}: e.g. an authenticated token without a sub.';

create or replace function tests.act_as_user(p_uid uuid)
returns void
language sql
as $$ select tests.act_as('authenticated', p_uid) $$;
comment on function tests.act_as_user(uuid) is
  'Acts as a signed-in user by id (tests.authenticate_as names the user instead).';

create or replace function tests.act_as_anon()
returns void
language sql
as $$ select tests.clear_authentication() $$;
comment on function tests.act_as_anon() is 'Same as tests.clear_authentication().';

create or replace function tests.act_as_service()
returns void
language sql
as $$ select tests.authenticate_as_service_role() $$;
comment on function tests.act_as_service() is 'Same as tests.authenticate_as_service_role().';

create or replace function tests.act_as_postgres()
returns void
language sql
as $$ select tests.impersonate('postgres', null) $$;
comment on function tests.act_as_postgres() is
  'Acts as the postgres role (SET ROLE postgres), no JWT claims; tests.reset_authentication() returns to the login role instead.';

grant execute on all functions in schema tests to anon, authenticated, service_role;
