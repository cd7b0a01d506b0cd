-- Live sessions (issue 21), postgres_changes: what Supabase Realtime would deliver to each
-- subscriber of `channel('session-messages-<id>').on('postgres_changes', {event: 'INSERT',
-- schema: 'public', table: 'session_messages', filter: 'session_id=eq.<id>'})`.
--
-- Realtime reads the WAL through a wal2json slot (format 2, the tables of the supabase_realtime
-- publication) and, for each change and each subscriber, sets the subscriber's role and
-- request.jwt.claims and selects the changed row by its primary key: the subscriber receives the
-- change only if that returns the row, and only the columns its role may select (a filter on a
-- column it may not select is refused). This suite does exactly that with a real wal2json slot.
--
-- NOT one transaction, unlike the other suites: logical decoding sees committed changes only, and
-- a slot cannot be created in a transaction that has written. Its fixtures have names of their
-- own (this backend's pid), are deleted at the end, and the slot is temporary (dropped when the
-- connection ends, also after a failure).
select plan(30);

select 'convo_rt_' || pg_backend_pid() as slot, 'rt' || pg_backend_pid() || '_' as tag \gset
\o /dev/null
select pg_create_logical_replication_slot(:'slot', 'wal2json', true);
\o

-- The settings Realtime needs ----------------------------------------------------------------------
select is(current_setting('wal_level'), 'logical', 'wal_level = logical');
select ok(coalesce((select setting ~ '\mwal2json\M' from pg_settings where name = 'output_plugin_libraries'), true),
  'wal2json is an allowed output plugin (where this PostgreSQL lists them: output_plugin_libraries)');
select ok(exists (select from pg_replication_slots where slot_name = :'slot' and plugin = 'wal2json'),
  'a wal2json logical slot can be created (Debian postgresql-15-wal2json)');
select set_eq($$ select tablename::text from pg_publication_tables where pubname = 'supabase_realtime'
                 and schemaname = 'public' and tablename in ('session_messages', 'session_participants') $$,
  array['session_messages', 'session_participants'],
  'session_messages and session_participants are in the supabase_realtime publication');
select has_pk('public', t, t || ' has a primary key (Realtime finds the row by it)')
from unnest(array['session_messages', 'session_participants']) t;
select ok(has_column_privilege('authenticated', 'public.' || t, c, 'SELECT'),
          'authenticated may select ' || t || '.' || c || ' (the key, and the filter column)')
from (values ('session_messages', 'id'), ('session_messages', 'session_id'),
             ('session_participants', 'id'), ('session_participants', 'session_id')) v(t, c);
select ok(not has_table_privilege('anon', 'public.session_messages', 'SELECT'),
  'anon may not select session_messages at all');

-- Fixtures, committed --------------------------------------------------------------------------
\o /dev/null
select tests.create_supabase_user(:'tag' || u, :'tag' || u || '@rt.test')
from unnest(array['host', 'part', 'invitee', 'stranger']) u;
\o
select tests.get_supabase_uid(:'tag' || 'host') as host, tests.get_supabase_uid(:'tag' || 'part') as part,
       tests.get_supabase_uid(:'tag' || 'invitee') as invitee, tests.get_supabase_uid(:'tag' || 'stranger') as stranger,
       gen_random_uuid() as s, gen_random_uuid() as other \gset
insert into public.sessions (id, host_id, title, session_type, status) values
  (:'s', :'host', 'Live', 'mediated_discussion', 'in_progress'),
  (:'other', :'stranger', 'Elsewhere', 'mediated_discussion', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  (:'s', :'part', 'participant', 'accepted'),
  (:'s', :'invitee', 'participant', 'pending');
insert into public.session_messages (session_id, session_participant_id, profile_id, message_type, content)
select sp.session_id, sp.id, sp.profile_id, 'speech_transcript', 'said by ' || sp.role
from public.session_participants sp where sp.session_id in (:'s', :'other') and sp.invitation_status = 'accepted';
insert into public.session_messages (session_id, session_participant_id, profile_id, message_type, content)
select sp.session_id, sp.id, sp.profile_id, 'speech_transcript', 'deleted later'
from public.session_participants sp where sp.session_id = :'other';
delete from public.session_messages where session_id = :'other' and content = 'deleted later';

-- The changes, as Realtime reads them (its wal2json options) --------------------------------------
create temp table rt_changes as
select row_number() over () as n, data::jsonb as change
from pg_logical_slot_get_changes(:'slot', null, null,
  'format-version', '2', 'include-pk', 'true', 'include-transaction', 'false', 'include-timestamp', 'true',
  'include-type-oids', 'true', 'actions', 'insert,update,delete',
  'add-tables', (select string_agg(format('%s.%s', schemaname, tablename), ',')
                 from pg_publication_tables where pubname = 'supabase_realtime'));

-- a change's column value (new row: columns; delete: identity)
create function pg_temp.col(p_change jsonb, p_name text) returns text language sql immutable as $$
  select c ->> 'value' from jsonb_array_elements(coalesce(p_change -> 'columns', p_change -> 'identity')) c
  where c ->> 'name' = p_name
$$;

-- Realtime's decision for one subscriber: the subscriber's role and claims, then the row by its
-- primary key under RLS. No row, or no privilege: not delivered.
create function pg_temp.delivered(p_change jsonb, p_role text, p_sub uuid) returns boolean language plpgsql as $$
declare
  v_where text;
  v_seen boolean := false;
begin
  select string_agg(format('%I = %L::%s', k ->> 'name', pg_temp.col(p_change, k ->> 'name'), k ->> 'type'), ' and ')
    into v_where from jsonb_array_elements(p_change -> 'pk') k;
  begin
    perform set_config('role', p_role, true);
    perform set_config('request.jwt.claims',
      jsonb_strip_nulls(jsonb_build_object('sub', p_sub, 'role', p_role))::text, true);
    execute format('select exists (select 1 from %I.%I where %s)', p_change ->> 'schema', p_change ->> 'table', v_where)
      into v_seen;
  exception when insufficient_privilege then
    v_seen := false;
  end;
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claims', '', true);
  return v_seen;
end
$$;

select is((select count(*) from rt_changes where change ->> 'table' = 'session_messages'
           and change ->> 'action' = 'I' and pg_temp.col(change, 'session_id') = :'s'), 2::bigint,
  'the slot decodes the two messages inserted into the session');
select ok((select bool_and(change -> 'pk' @> '[{"name": "id"}]') from rt_changes where change ->> 'table' = 'session_messages'),
  'each change carries the primary key');

-- every message of the session, for every subscriber
select is(pg_temp.delivered(c.change, r, u), e,
          'INSERT of the ' || pg_temp.col(c.change, 'content') || ' message → ' || w || ': ' || case when e then 'delivered' else 'not delivered' end)
from rt_changes c
cross join (values ('host', 'authenticated', :'host'::uuid, true), ('participant', 'authenticated', :'part'::uuid, true),
                   ('pending invitee', 'authenticated', :'invitee'::uuid, false),
                   ('stranger', 'authenticated', :'stranger'::uuid, false), ('anon', 'anon', null, false)) v(w, r, u, e)
where c.change ->> 'table' = 'session_messages' and c.change ->> 'action' = 'I' and pg_temp.col(c.change, 'session_id') = :'s'
order by c.n, w;
-- the other session's message goes to its own members only
select is(pg_temp.delivered(c.change, 'authenticated', u), e, 'the other session''s message → ' || w)
from rt_changes c
cross join (values ('its host', :'stranger'::uuid, true), ('the first session''s host', :'host'::uuid, false)) v(w, u, e)
where c.change ->> 'table' = 'session_messages' and c.change ->> 'action' = 'I' and pg_temp.col(c.change, 'session_id') = :'other'
  and pg_temp.col(c.change, 'content') <> 'deleted later';
-- participant rows: the pending invitee's own row is theirs to see (their invitation)
select is(pg_temp.delivered(c.change, 'authenticated', u), e, 'INSERT of the pending invitation → ' || w)
from rt_changes c
cross join (values ('the host', :'host'::uuid, true), ('the invitee', :'invitee'::uuid, true),
                   ('a stranger', :'stranger'::uuid, false)) v(w, u, e)
where c.change ->> 'table' = 'session_participants' and c.change ->> 'action' = 'I'
  and pg_temp.col(c.change, 'profile_id') = :'invitee';
-- The DELETE caveat: a delete carries only the old key, and Realtime sends it to every
-- subscriber of the table without an RLS check (there is no row left to check).
select is((select jsonb_agg(i ->> 'name') from rt_changes c, jsonb_array_elements(c.change -> 'identity') i
           where c.change ->> 'table' = 'session_messages' and c.change ->> 'action' = 'D'),
  '["id"]'::jsonb, 'a DELETE event carries only the primary key (not filtered by RLS: see the README)');

-- Clean up: the fixtures (their sessions and messages go with the accounts) and the slot.
delete from auth.users where id in (:'host', :'part', :'invitee', :'stranger');
delete from tests.supabase_users where identifier like :'tag' || '%';
select is((select count(*) from public.sessions where id in (:'s', :'other')), 0::bigint, 'the fixtures are gone');
\o /dev/null
select pg_drop_replication_slot(:'slot');
\o
select * from finish();
