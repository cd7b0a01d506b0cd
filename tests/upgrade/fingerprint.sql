-- The data of a database as lines `<item>|<value>` (psql -At): for every table of the schemas
-- public, auth and supabase_migrations, its row count (`schema.table #rows`) and, per column, an
-- md5 of that column's values in primary-key order (`schema.table.column`). Two fingerprints
-- taken before and after an upgrade show which rows or columns changed, and a column the upgrade
-- added shows up as a new line. The migration history is fingerprinted up to :'history_upto'
-- (the rows an upgrade appends are not data that must stay the same).
-- Read-only: its helper is a temporary function.
\set ON_ERROR_STOP on
set timezone = 'UTC';
set extra_float_digits = 3;

create function pg_temp.fingerprint(p_history_upto text)
returns table (item text, value text)
language plpgsql
as $$
declare
  t record;
  c record;
  v_order text;
  v_where text;
begin
  for t in
    select k.oid, n.nspname, k.relname
    from pg_catalog.pg_class k join pg_catalog.pg_namespace n on n.oid = k.relnamespace
    where n.nspname in ('public', 'auth', 'supabase_migrations') and k.relkind in ('r', 'p')
    order by n.nspname, k.relname
  loop
    select string_agg(format('%I', a.attname), ', ' order by array_position(i.indkey::int2[], a.attnum))
      into v_order
    from pg_catalog.pg_index i
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
    where i.indrelid = t.oid and i.indisprimary;
    v_order := coalesce(v_order, 'r::text');
    v_where := case when (t.nspname, t.relname) = ('supabase_migrations', 'schema_migrations')
                    then format('where version <= %L', p_history_upto) else '' end;
    item := format('%s.%s #rows', t.nspname, t.relname);
    execute format('select count(*)::text from %I.%I r %s', t.nspname, t.relname, v_where) into value;
    return next;
    for c in
      select a.attname from pg_catalog.pg_attribute a
      where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped order by a.attnum
    loop
      item := format('%s.%s.%s', t.nspname, t.relname, c.attname);
      execute format('select md5(coalesce(string_agg(coalesce(r.%I::text, ''<null>''), E''\n'' order by %s), '''')) from %I.%I r %s',
                     c.attname, v_order, t.nspname, t.relname, v_where) into value;
      return next;
    end loop;
  end loop;
end
$$;

select item || '|' || value from pg_temp.fingerprint(:'history_upto');
