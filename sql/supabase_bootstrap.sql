-- Supabase compatibility bootstrap.
--
-- Gives a plain PostgreSQL 15 what every Supabase database already has and pg_convo relies on:
-- the API roles, the auth / extensions / storage schemas, a minimal auth.users, the auth.*()
-- claim functions with GoTrue's exact definitions, Supabase's default grants, the
-- supabase_realtime publication, the Storage tables and path functions pg_convo's storage policies
-- use, and Realtime's authorization table (realtime.messages) with realtime.topic().
--
-- NOT a migration: on Supabase these objects exist already. Every part is applied only where its
-- object is missing, so running this file on a real Supabase (or twice here) changes nothing.
-- Applied by `make up` / the test stack (scripts/stack.sh) and by the #[pg_test]s.

-- Roles -----------------------------------------------------------------------------------------
do $bootstrap$
declare
  created_api_roles boolean := false;
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
    alter role anon set statement_timeout = '3s';
    created_api_roles := true;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
    alter role authenticated set statement_timeout = '8s';
    created_api_roles := true;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
    created_api_roles := true;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    -- PostgREST logs in as authenticator and switches to the request's role.
    -- Its password is set by whoever runs the stack (scripts/stack.sh), not here.
    create role authenticator login noinherit;
    created_api_roles := true;
  end if;
  if created_api_roles then
    grant anon, authenticated, service_role to authenticator;
    -- as on hosted Supabase, postgres may act as the API roles (tests use `set role`).
    grant anon, authenticated, service_role to postgres;
  end if;
end
$bootstrap$;

-- Schemas ---------------------------------------------------------------------------------------
do $bootstrap$
begin
  if not exists (select from pg_namespace where nspname = 'extensions') then
    create schema extensions;
    grant usage on schema extensions to anon, authenticated, service_role;
  end if;
  if not exists (select from pg_namespace where nspname = 'storage') then
    create schema storage;
    grant usage on schema storage to anon, authenticated, service_role;
  end if;
  if not exists (select from pg_namespace where nspname = 'auth') then
    create schema auth;
    -- policies call auth.uid() as the request's role: they need usage on auth.
    grant usage on schema auth to anon, authenticated, service_role;
  end if;
end
$bootstrap$;

-- auth.users (the practical minimum of GoTrue's table) ------------------------------------------
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  phone text unique,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  is_anonymous boolean not null default false
);

-- auth.uid() / role() / email() / jwt(): GoTrue's current definitions, verbatim in behaviour.
-- The old per-claim settings are read first, the JSON claims second.
do $bootstrap$
begin
  if to_regprocedure('auth.uid()') is null then
    create function auth.uid() returns uuid language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
      )::uuid
    $f$;
  end if;
  if to_regprocedure('auth.role()') is null then
    create function auth.role() returns text language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
      )::text
    $f$;
  end if;
  if to_regprocedure('auth.email()') is null then
    create function auth.email() returns text language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.email', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
      )::text
    $f$;
  end if;
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
      )::jsonb
    $f$;
  end if;
end
$bootstrap$;

-- Supabase's default grants: the API roles may use public, and new tables, functions and
-- sequences there are granted to them (so every new function is executable by anon unless it is
-- REVOKEd: migrations do that deliberately).
do $bootstrap$
begin
  if not exists (
    select from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace
    where n.nspname = 'public' and d.defaclobjtype = 'r'
  ) then
    grant usage on schema public to anon, authenticated, service_role;
    grant all on all tables in schema public to anon, authenticated, service_role;
    grant all on all functions in schema public to anon, authenticated, service_role;
    grant all on all sequences in schema public to anon, authenticated, service_role;
    alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
    alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
  end if;
end
$bootstrap$;

-- Realtime's publication (tables are added to it by migrations).
do $bootstrap$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$bootstrap$;

-- Storage (what Supabase's Storage migrations create and pg_convo's policies use) ----------------
-- The same names, columns, indexes and functions as the Storage server's own schema, so the
-- policies in migrations/…_files_storage.sql run unchanged here and on Supabase. Only the parts
-- pg_convo relies on: no multipart-upload, prefix or migration-history tables. On Supabase the
-- Storage server owns these (role supabase_storage_admin) and nothing here runs.
do $bootstrap$
begin
  if to_regclass('storage.buckets') is null then
    create table storage.buckets (
      id text not null primary key,
      name text not null,
      owner uuid,                      -- deprecated by Storage in favour of owner_id
      created_at timestamptz default now(),
      updated_at timestamptz default now(),
      public boolean default false,
      avif_autodetection boolean default false,
      file_size_limit bigint,
      allowed_mime_types text[],
      owner_id text
    );
    create unique index bname on storage.buckets using btree (name);
    alter table storage.buckets enable row level security;
    grant all on storage.buckets to anon, authenticated, service_role;
  end if;
  if to_regclass('storage.objects') is null then
    create table storage.objects (
      id uuid not null default gen_random_uuid() primary key,
      bucket_id text,
      name text,
      owner uuid,                      -- deprecated by Storage in favour of owner_id
      created_at timestamptz default now(),
      updated_at timestamptz default now(),
      last_accessed_at timestamptz default now(),
      metadata jsonb,
      path_tokens text[] generated always as (string_to_array(name, '/')) stored,
      version text,
      owner_id text,
      user_metadata jsonb,
      constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
    );
    create unique index bucketid_objname on storage.objects using btree (bucket_id, name);
    create index name_prefix_search on storage.objects using btree (name text_pattern_ops);
    alter table storage.objects enable row level security;
    grant all on storage.objects to anon, authenticated, service_role;
  end if;
  -- Path helpers, as Storage defines them: 'a/b/c.pdf' → {a,b}, 'c.pdf', 'pdf'.
  if to_regprocedure('storage.foldername(text)') is null then
    create function storage.foldername(name text) returns text[] language plpgsql as $f$
    declare
      _parts text[];
    begin
      select string_to_array(name, '/') into _parts;
      return _parts[1:array_length(_parts, 1) - 1];
    end
    $f$;
  end if;
  if to_regprocedure('storage.filename(text)') is null then
    create function storage.filename(name text) returns text language plpgsql as $f$
    declare
      _parts text[];
    begin
      select string_to_array(name, '/') into _parts;
      return _parts[array_length(_parts, 1)];
    end
    $f$;
  end if;
  if to_regprocedure('storage.extension(text)') is null then
    create function storage.extension(name text) returns text language plpgsql as $f$
    declare
      _parts text[];
      _filename text;
    begin
      select string_to_array(name, '/') into _parts;
      select _parts[array_length(_parts, 1)] into _filename;
      return reverse(split_part(reverse(_filename), '.', 1));
    end
    $f$;
  end if;
end
$bootstrap$;

-- Realtime's authorization table and realtime.topic() ---------------------------------------------
-- Realtime authorizes a private channel by running, as the subscriber (role, request.jwt.claims,
-- and realtime.topic = the channel's topic), a SELECT (may receive) or an INSERT (may send) on
-- realtime.messages, inside a transaction it rolls back. Created as Realtime's migrations define
-- them (the table partitioned by day on inserted_at; here one default partition, as no Realtime
-- server creates the daily ones), only where missing.
do $bootstrap$
begin
  if not exists (select from pg_namespace where nspname = 'realtime') then
    create schema realtime;
    grant usage on schema realtime to anon, authenticated, service_role;
  end if;
  if to_regclass('realtime.messages') is null then
    create table realtime.messages (
      topic text not null,
      extension text not null,
      payload jsonb,
      event text,
      private boolean default false,
      updated_at timestamp without time zone not null default now(),
      inserted_at timestamp without time zone not null default now(),
      id uuid not null default gen_random_uuid(),
      primary key (id, inserted_at)
    ) partition by range (inserted_at);
    create table realtime.messages_default partition of realtime.messages default;
    alter table realtime.messages enable row level security;
    grant select, insert, update on realtime.messages to anon, authenticated, service_role;
  end if;
  if to_regprocedure('realtime.topic()') is null then
    create function realtime.topic() returns text language sql stable as $f$
      select nullif(current_setting('realtime.topic', true), '')::text
    $f$;
  end if;
end
$bootstrap$;

-- As on Supabase, postgres finds extensions (pgTAP, pg_trgm …) without schema-qualifying them.
do $bootstrap$
begin
  if not exists (
    select from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
    where r.rolname = 'postgres' and s.setdatabase = 0
      and exists (select from unnest(s.setconfig) c where c like 'search_path=%')
  ) then
    alter role postgres set search_path = "$user", public, extensions;
  end if;
end
$bootstrap$;
