-- What the pg_convo extension consists of in this database, member object by member object, as
-- records for tests/schema/compare.py (psql -At): `@@ <pg_describe_object of the member>` and then
-- what that object is. pg_dump skips extension members, so this is where an upgrade script that
-- forgot something shows:
--   * functions and aggregates: the full definition (pg_get_functiondef: arguments, result,
--     language, body), volatility, strictness, SECURITY DEFINER, leakproof, parallel safety, cost,
--     rows, proconfig (SET search_path …), owner, privileges, comment;
--   * types: kind, enum labels / domain base and constraints / composite attributes, owner,
--     privileges, comment;
--   * tables, views, sequences, indexes: kind, columns in order (type, not null, default), view or
--     index definition, options, owner, privileges, comment;
--   * operators, casts and anything else: what pg_describe_object says, its definition where the
--     catalog has one, and its comment.
-- An upgraded database and a fresh install of the same version must print the same records: that
-- shows the upgrade scripts create, change and drop exactly what the new install script has.
\set ON_ERROR_STOP on
set search_path = pg_catalog;

with members as (
  select d.classid, d.objid, d.objsubid, pg_describe_object(d.classid, d.objid, d.objsubid) as name
  from pg_depend d
  where d.refclassid = 'pg_extension'::regclass
    and d.refobjid = (select oid from pg_extension where extname = 'pg_convo')
    and d.deptype = 'e'
),
described as (
  -- functions, procedures, aggregates
  select m.name, format(E'%s\nvolatility: %s, strict: %s, security definer: %s, leakproof: %s, parallel: %s, cost: %s, rows: %s\nconfig: %s\nowner: %s\nacl: %s',
           case when p.prokind = 'a'
                then (select format('aggregate sfunc=%s stype=%s finalfunc=%s combinefunc=%s serialfunc=%s deserialfunc=%s initcond=%s',
                                    a.aggtransfn, format_type(a.aggtranstype, null), a.aggfinalfn,
                                    a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, a.agginitval)
                      from pg_aggregate a where a.aggfnoid = p.oid)
                else pg_get_functiondef(p.oid) end,
           p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel, p.procost, p.prorows,
           p.proconfig::text, pg_get_userbyid(p.proowner), p.proacl::text) as body,
         obj_description(p.oid, 'pg_proc') as comment
  from members m join pg_proc p on m.classid = 'pg_proc'::regclass and p.oid = m.objid
  union all
  -- types
  select m.name, format(E'type: %s\n%s\nowner: %s\nacl: %s', t.typtype,
           case t.typtype
             when 'e' then (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid)
             when 'd' then format('domain over %s%s%s%s', format_type(t.typbasetype, t.typtypmod),
                                  case when t.typnotnull then ' not null' else '' end,
                                  coalesce(' default ' || t.typdefault, ''),
                                  coalesce((select ' ' || string_agg(pg_get_constraintdef(c.oid), ' ' order by c.conname)
                                            from pg_constraint c where c.contypid = t.oid), ''))
             when 'c' then (select string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' order by a.attnum)
                            from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped)
             else format('input %s, output %s', t.typinput, t.typoutput) end,
           pg_get_userbyid(t.typowner), t.typacl::text),
         obj_description(t.oid, 'pg_type')
  from members m join pg_type t on m.classid = 'pg_type'::regclass and t.oid = m.objid
  union all
  -- relations
  select m.name, format(E'kind: %s\noptions: %s\nowner: %s\nacl: %s%s\ncolumns:\n%s', c.relkind, c.reloptions::text,
           pg_get_userbyid(c.relowner), c.relacl::text,
           case when c.relkind in ('v', 'm') then E'\nview definition:\n' || pg_get_viewdef(c.oid)
                when c.relkind in ('i', 'I') then E'\nindex definition: ' || pg_get_indexdef(c.oid) else '' end,
           coalesce((select string_agg(format('  %I %s%s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                                              case when a.attnotnull then ' not null' else '' end,
                                              coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), ''),
                                              coalesce(' acl ' || a.attacl::text, '')), E'\n' order by a.attnum)
                     from pg_attribute a left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
                     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '  (none)')),
         obj_description(c.oid, 'pg_class')
  from members m join pg_class c on m.classid = 'pg_class'::regclass and c.oid = m.objid
  union all
  -- operators
  select m.name, format('left %s, right %s, result %s, function %s, commutator %s, negator %s',
           o.oprleft::regtype, o.oprright::regtype, o.oprresult::regtype, o.oprcode, o.oprcom, o.oprnegate),
         obj_description(o.oid, 'pg_operator')
  from members m join pg_operator o on m.classid = 'pg_operator'::regclass and o.oid = m.objid
  union all
  -- casts
  select m.name, format('function %s, context %s, method %s', k.castfunc::regprocedure, k.castcontext, k.castmethod),
         obj_description(k.oid, 'pg_cast')
  from members m join pg_cast k on m.classid = 'pg_cast'::regclass and k.oid = m.objid
  union all
  -- anything else: its name, and its comment
  select m.name, '(no details compared for this kind of object)',
         (select d.description from pg_description d where d.classoid = m.classid and d.objoid = m.objid and d.objsubid = m.objsubid)
  from members m
  where m.classid not in ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_class'::regclass,
                          'pg_operator'::regclass, 'pg_cast'::regclass)
)
select format(E'@@ %s\n%s\ncomment: %s', name, body, coalesce(comment, '(none)'))
from described
order by name;
