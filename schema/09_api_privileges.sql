-- Schema-wide privileges (domain 09): table privileges the API roles never need. Last of the
-- domain files, so it covers every table and view the ones before it created (as its migration,
-- the last of 0.2.0, did).
--
-- Supabase's default privileges give anon and authenticated ALL on every new table in public.
-- Row level security then decides which rows they see and change, but RLS does not govern
-- TRUNCATE at all, and no API call needs TRIGGER or REFERENCES. So they go, on every table and
-- view in public. (pgrx-tests/01_api_rules.sql checks it for every table, including future ones:
-- a migration that creates a table revokes them itself.)

do $revoke$
declare
  t regclass;
begin
  for t in select c.oid::regclass from pg_catalog.pg_class c
           where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'p')
           order by c.relname loop
    execute pg_catalog.format('revoke truncate, trigger, references on %s from anon, authenticated', t);
  end loop;
end
$revoke$;
