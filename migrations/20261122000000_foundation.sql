-- Foundation: the pg_convo extension and what every later migration shares.
--
-- The extension installs its functions into its own schema `convo`, which PostgREST does not
-- expose (db-schemas = public). The public API is made of tables, views and thin SQL wrappers in
-- `public`, created by the migrations that follow.

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
