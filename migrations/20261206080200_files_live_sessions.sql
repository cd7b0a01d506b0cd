-- Files and live sessions (issue 21), 2: Realtime. Who receives a mediated session's live
-- messages, by either of Realtime's two paths.
--
-- postgres_changes: Realtime decodes the WAL of the tables in the supabase_realtime publication
-- (wal2json, wal_level = logical) and, for each subscriber, sets the subscriber's role and
-- request.jwt.claims and selects the changed row by its primary key: a subscriber receives an
-- INSERT or UPDATE only if the table's SELECT policies show them the row, and sees only the
-- columns their role may select. session_messages and session_participants are in the publication
-- since the mediation migration; they have primary keys, and authenticated may select every
-- column (session_id, the app's filter column, included). DELETE events are not filtered by RLS:
-- Realtime sends the old primary key to every subscriber of the table.
--
-- Broadcast on private channels ('session:<session id>'): when a client joins, Realtime sets the
-- subscriber's role and claims and realtime.topic = the topic, and tries, in a transaction it
-- rolls back, a SELECT (may receive) and an INSERT (may send) on realtime.messages for the
-- 'broadcast' and 'presence' extensions. The policies below let a session's accepted members
-- (host included) do both on their session's topic, and nobody else.


-- The publication, checked rather than assumed (the mediation migration added the tables; this
-- re-adds them where a database lost them, and does nothing on a FOR ALL TABLES publication).
do $realtime$
declare
  t text;
begin
  if exists (select from pg_publication where pubname = 'supabase_realtime' and not puballtables) then
    foreach t in array array['session_messages', 'session_participants'] loop
      if not exists (select from pg_publication_tables
                     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
        execute format('alter publication supabase_realtime add table public.%I', t);
      end if;
    end loop;
  end if;
end
$realtime$;


-- Topic helper -------------------------------------------------------------------------------------

-- The session of a private channel topic 'session:<session id>'; null for any other topic.
create function convo.session_id_of_topic(p_topic text)
returns uuid
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when p_topic ~ '^session:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    then substr(p_topic, 9)::uuid
  end
$$;
comment on function convo.session_id_of_topic(text) is
  'The session id of a Realtime private channel topic ''session:<session id>''; null for any other topic.';
revoke execute on function convo.session_id_of_topic(text) from public;
grant execute on function convo.session_id_of_topic(text) to authenticated, service_role;


-- realtime.messages: Broadcast and Presence on 'session:<id>' -------------------------------------
--   receive (SELECT) and send / track (INSERT): the session's host and accepted participants
--   anyone else, anon included: nothing

create policy "Session members can receive on their session's channel" on realtime.messages
  for select to authenticated
  using (
    extension in ('broadcast', 'presence')
    and convo.session_id_of_topic((select realtime.topic())) = any (array(select convo.my_session_ids()))
  );

create policy "Session members can send on their session's channel" on realtime.messages
  for insert to authenticated
  with check (
    extension in ('broadcast', 'presence')
    and convo.session_id_of_topic((select realtime.topic())) = any (array(select convo.my_session_ids()))
  );


-- Each new session message, broadcast to its session's private channel -----------------------------
-- Where Realtime's realtime.send() exists (Supabase), every new message goes out on
-- 'session:<session id>' as event 'INSERT' (payload: schema, table, operation, record), to the
-- members the policies above let in. Where it does not (the local stack), the trigger's WHEN clause
-- is false and the function is never called: one catalog lookup per row.
-- SECURITY DEFINER: the backend's rows (alex_guidance, system) are inserted by the service role,
-- and a member's own row is broadcast whatever realtime.send's own privileges are.
create function convo.session_messages_broadcast()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('schema', tg_table_schema, 'table', tg_table_name, 'operation', tg_op,
                       'record', to_jsonb(new)),
    tg_op,
    'session:' || new.session_id::text,
    true);
  return null;
end
$$;
comment on function convo.session_messages_broadcast() is
  'AFTER INSERT on public.session_messages, where realtime.send exists: broadcasts the new row on the private topic session:<session_id> (event INSERT).';
revoke execute on function convo.session_messages_broadcast() from public;

create trigger session_messages_broadcast
  after insert on public.session_messages
  for each row
  when (to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null)
  execute function convo.session_messages_broadcast();
