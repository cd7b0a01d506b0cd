-- Foundation (domain 00): the pg_convo extension and what every domain shares.
--
-- This is the schema as it stands (schema/ holds one such file per domain, applied in name order
-- to a Supabase database); migrations/ holds the changes that reach it. A change edits this file
-- in place and adds the migration that makes the same change (CONTRIBUTING.md).
--
-- The extension installs its functions into its own schema `convo`, which PostgREST does not
-- expose (db-schemas = public). The public API is made of tables, views and thin SQL wrappers in
-- `public`, created by the domain files that follow.

-- The newest installed version: its functions are all there (a database migrated from an older
-- one reaches the same through `alter extension pg_convo update` in the migrations).
create extension if not exists pg_convo;

-- Policies and wrappers run as the request's role and call into convo: they need usage on it.
-- EXECUTE on convo's functions is revoked from PUBLIC and granted function by function.
grant usage on schema convo to anon, authenticated, service_role;
revoke execute on all functions in schema convo from public;

-- convo_info(): the pg_convo version and who the caller is, as PostgREST sees them.
grant execute on function convo.info() to anon, authenticated, service_role;

create function public.convo_info()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select convo.info()
$$;

comment on function public.convo_info() is
  'pg_convo''s version and the caller as the API sees them: {"version", "role": auth.role(), "uid": auth.uid()}. Callable by anon, authenticated and service_role, with GET or POST.';

revoke execute on function public.convo_info() from public;
grant execute on function public.convo_info() to anon, authenticated, service_role;

-- Shared by every table with an updated_at column: BEFORE UPDATE keeps it current.
-- Lives in convo (not exposed); runs as the writer, touches only the row being written.
create function convo.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
comment on function convo.touch_updated_at() is 'BEFORE UPDATE trigger: sets updated_at to now().';
revoke execute on function convo.touch_updated_at() from public;


-- The rules every domain applies the same way --------------------------------------------------------
--   * convo.acting_user(p_user_id): whom a per-user RPC acts for (a signed-in user for
--     themselves; a server backend holding the service-role key for the user it names);
--   * convo.fill_column_defaults(): an explicit null sent for an optional NOT NULL column that has
--     a default takes the default (supabase-py sends `None` as null, so the DEFAULT never applies);
--   * convo.keep_server_columns(): columns the server maintains (created_at, counters …) keep the
--     server's value whatever an API role sends.


-- Who an RPC acts for -----------------------------------------------------------------------------
-- The API roles' rule, in one place:
--   authenticated → auth.uid(); p_user_id may be omitted or be that same id, any other → 42501;
--   service_role (or a direct connection as a role that bypasses RLS, e.g. postgres) → p_user_id,
--     which is then required (22023);
--   anyone else (anon, a token without sub) → 42501.
-- current_setting('role') is the role PostgREST switched to with SET ROLE; unlike current_user it
-- stays the same inside SECURITY DEFINER functions, so a definer caller cannot pass for the
-- service role.
create function convo.acting_user(p_user_id uuid)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_role text := current_setting('role');
begin
  if v_uid is not null then
    if p_user_id is not null and p_user_id <> v_uid then
      raise exception 'p_user_id must be omitted or be the signed-in user'
        using errcode = '42501',
              hint = 'A signed-in user acts only for themselves; only the service role names another user.';
    end if;
    return v_uid;
  end if;
  -- the role in effect (SET ROLE, else the login role) is one that bypasses RLS: service_role, or
  -- a trusted database role such as postgres on a direct connection
  if exists (select from pg_catalog.pg_roles r
             where r.rolname = case when v_role = 'none' then session_user else v_role end
               and (r.rolbypassrls or r.rolsuper)) then
    if p_user_id is null then
      raise exception 'p_user_id is required when calling with the service role key'
        using errcode = '22023',
              hint = 'Pass the id of the user to act for as p_user_id.';
    end if;
    return p_user_id;
  end if;
  raise exception 'sign in to call this function'
    using errcode = '42501';
end
$$;
comment on function convo.acting_user(uuid) is
  'The user a per-user RPC acts for: auth.uid() for a signed-in user (a different p_user_id → 42501); p_user_id for the service role (required → 22023); anyone else → 42501.';
revoke execute on function convo.acting_user(uuid) from public;
grant execute on function convo.acting_user(uuid) to authenticated, service_role;


-- Explicit nulls take the column default ------------------------------------------------------------
-- BEFORE INSERT FOR EACH ROW, arguments = the columns to fill. The trigger is created with
-- `when (new.a is null or new.b is null …)`, so an insert that sends values never calls it; when it
-- fires, each listed column that is null gets its default expression evaluated (once per null).
-- An upsert resolves its conflict with the row as this trigger left it (EXCLUDED), so a null
-- there means the default too. Updates are not touched: PATCH {col: null} stays a 400.
-- The value a column's default expression gives now, as jsonb (null when it has no default): the
-- two triggers below apply it to a row with jsonb_populate_record.
create function convo.column_default_value(p_table regclass, p_column text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_default text;
  v_value jsonb;
begin
  select pg_catalog.pg_get_expr(d.adbin, d.adrelid) into v_default
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attrelid = p_table and a.attname = p_column;
  if v_default is null then
    return 'null'::jsonb;
  end if;
  execute pg_catalog.format('select to_jsonb(%s)', v_default) into v_value;
  return v_value;
end
$$;
comment on function convo.column_default_value(regclass, text) is
  'The current value of a column''s default expression, as jsonb (null without a default); used by the fill_column_defaults and keep_server_columns triggers.';
revoke execute on function convo.column_default_value(regclass, text) from public;
-- called inside the triggers, which run as the writer: every role that may write needs it
grant execute on function convo.column_default_value(regclass, text) to anon, authenticated, service_role;

create function convo.fill_column_defaults()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_col text;
begin
  foreach v_col in array tg_argv loop
    if to_jsonb(new) -> v_col = 'null'::jsonb then
      new := jsonb_populate_record(new,
               jsonb_build_object(v_col, convo.column_default_value(tg_relid, v_col)));
    end if;
  end loop;
  return new;
end
$$;
comment on function convo.fill_column_defaults() is
  'BEFORE INSERT trigger: each column named in the trigger arguments that is null gets its column default (an explicit null from a client means "use the default").';
revoke execute on function convo.fill_column_defaults() from public;

-- Creates (or replaces) <table>_fill_column_defaults on a table, for every NOT NULL column that has
-- a default and that an API role may insert (identity and generated columns have no default to
-- apply). Migrations call it for each table they create; 00_foundation.sql checks that every
-- table in public has it where it needs it.
create function convo.install_fill_column_defaults(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_cols text[];
  v_name text := pg_catalog.format('%s_fill_column_defaults',
                   (select c.relname from pg_catalog.pg_class c where c.oid = p_table));
begin
  select array_agg(a.attname::text order by a.attnum) into v_cols
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attrelid = p_table and a.attnum > 0 and not a.attisdropped
    and a.attnotnull and a.attidentity = '' and a.attgenerated = '';
  execute pg_catalog.format('drop trigger if exists %I on %s', v_name, p_table);
  if v_cols is null then
    return;
  end if;
  execute pg_catalog.format(
    'create trigger %I before insert on %s for each row when (%s) execute function convo.fill_column_defaults(%s)',
    v_name, p_table,
    (select string_agg(pg_catalog.format('new.%I is null', c), ' or ') from unnest(v_cols) c),
    (select string_agg(pg_catalog.quote_literal(c), ', ') from unnest(v_cols) c));
end
$$;
comment on function convo.install_fill_column_defaults(regclass) is
  'Migration helper: (re)creates the fill_column_defaults trigger of a table for all its NOT NULL columns with a default.';
revoke execute on function convo.install_fill_column_defaults(regclass) from public;



-- Columns the server maintains ------------------------------------------------------------------------
-- BEFORE INSERT OR UPDATE FOR EACH ROW, arguments = the server's columns. The trigger is created
-- with `when (current_user in ('anon', 'authenticated'))`: writes by the API roles get the server's
-- value (on INSERT the column default, on UPDATE the old value), while the service role, the
-- table owner and pg_convo's own SECURITY DEFINER code (current_user = its owner) write them.
-- A client may still send such a column (the seeds' upserts send updated_at): it is ignored.
-- Triggers fire in name order, so <table>_touch_updated_at (t) runs after this one (s) and still
-- moves updated_at forward on every update.
create function convo.keep_server_columns()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_col text;
  v_value jsonb;
begin
  foreach v_col in array tg_argv loop
    if tg_op = 'UPDATE' then
      v_value := to_jsonb(old) -> v_col;
    else
      v_value := convo.column_default_value(tg_relid, v_col);
    end if;
    if to_jsonb(new) -> v_col is distinct from v_value then
      new := jsonb_populate_record(new, jsonb_build_object(v_col, v_value));
    end if;
  end loop;
  return new;
end
$$;
comment on function convo.keep_server_columns() is
  'BEFORE INSERT OR UPDATE trigger for API roles: the columns named in the trigger arguments get the server''s value (default on insert, old value on update), whatever the client sent.';
revoke execute on function convo.keep_server_columns() from public;

-- Creates (or replaces) <table>_keep_server_columns for the given columns.
create function convo.install_keep_server_columns(p_table regclass, p_columns text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_name text := pg_catalog.format('%s_keep_server_columns',
                   (select c.relname from pg_catalog.pg_class c where c.oid = p_table));
begin
  execute pg_catalog.format('drop trigger if exists %I on %s', v_name, p_table);
  execute pg_catalog.format(
    'create trigger %I before insert or update on %s for each row '
    'when (current_user in (''anon'', ''authenticated'')) execute function convo.keep_server_columns(%s)',
    v_name, p_table,
    (select string_agg(pg_catalog.quote_literal(c), ', ') from unnest(p_columns) c));
end
$$;
comment on function convo.install_keep_server_columns(regclass, text[]) is
  'Migration helper: (re)creates the keep_server_columns trigger of a table for the given server-maintained columns.';
revoke execute on function convo.install_keep_server_columns(regclass, text[]) from public;
