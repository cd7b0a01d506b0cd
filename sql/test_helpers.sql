-- Helpers for the pgTAP suites in pgrx-tests/ (installed by scripts/test.sh into the throwaway
-- test database only; never a migration). They impersonate users the way PostgREST does — role
-- plus JWT claims, transaction-local — like basejump's supabase_test_helpers.
create extension if not exists pgtap with schema extensions;
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- A user in auth.users (and so, once the profiles trigger exists, a profile). Returns its id.
create or replace function tests.create_user(p_email text, p_full_name text default null)
returns uuid language sql as $$
  insert into auth.users (id, aud, role, email, raw_user_meta_data)
  values (gen_random_uuid(), 'authenticated', 'authenticated', p_email,
          jsonb_build_object('full_name', coalesce(p_full_name, split_part(p_email, '@', 1))))
  returning id
$$;

-- Act as PostgREST would for a request with this role and (optional) user id.
create or replace function tests.act_as(p_role text, p_uid uuid default null)
returns void language sql as $$
  select set_config('request.jwt.claims',
           json_build_object('role', p_role, 'sub', p_uid)::text, true),
         -- the old per-claim settings would win over the JSON claims: keep them empty
         set_config('request.jwt.claim.sub', '', true),
         set_config('request.jwt.claim.role', '', true),
         set_config('role', p_role, true);
$$;

create or replace function tests.act_as_user(p_uid uuid) returns void
language sql as $$ select tests.act_as('authenticated', p_uid) $$;

create or replace function tests.act_as_anon() returns void
language sql as $$ select tests.act_as('anon') $$;

create or replace function tests.act_as_service() returns void
language sql as $$ select tests.act_as('service_role') $$;

-- Back to the superuser that runs the suite, claims cleared.
create or replace function tests.act_as_postgres() returns void
language sql as $$
  select set_config('role', 'postgres', true), set_config('request.jwt.claims', '', true);
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;
