-- What the pg_convo extension consists of in this database, as comparable text (psql -At):
-- every member object (pg_describe_object of the objects the extension owns) and, for each member
-- function, its full definition, its privileges and its comment. An upgraded database and a
-- fresh install of the same version must print the same lines: that shows the upgrade scripts
-- create, change and drop exactly what the new install script has.
\set ON_ERROR_STOP on
with members as (
  select d.classid, d.objid, d.objsubid
  from pg_catalog.pg_depend d
  where d.refclassid = 'pg_catalog.pg_extension'::regclass
    and d.refobjid = (select oid from pg_catalog.pg_extension where extname = 'pg_convo')
    and d.deptype = 'e'
)
select 'member: ' || pg_catalog.pg_describe_object(classid, objid, objsubid)
from members
union all
select format(E'function %s:\n%s\nacl: %s\ncomment: %s',
              p.oid::regprocedure,
              case when p.prokind = 'a'
                   then (select format('aggregate sfunc=%s stype=%s finalfunc=%s initcond=%s',
                                       a.aggtransfn, pg_catalog.format_type(a.aggtranstype, null),
                                       a.aggfinalfn, a.agginitval)
                         from pg_catalog.pg_aggregate a where a.aggfnoid = p.oid)
                   else pg_catalog.pg_get_functiondef(p.oid) end,
              coalesce((select string_agg(x::text, ',' order by x::text) from unnest(p.proacl) x), '(default)'),
              coalesce(pg_catalog.obj_description(p.oid, 'pg_proc'), '(none)'))
from members m join pg_catalog.pg_proc p on m.classid = 'pg_catalog.pg_proc'::regclass and p.oid = m.objid
order by 1;
