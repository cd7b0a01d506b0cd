-- Live sessions (issue 21), Broadcast and Presence on the private channel 'session:<id>', tested
-- the way Realtime authorizes a client joining it: in a transaction it rolls back, Realtime sets
-- the subscriber's role, request.jwt.claims (and request.jwt.claim.sub) and realtime.topic = the
-- topic; it inserts one message per extension ('broadcast', 'presence') as itself and selects
-- them back as the subscriber (may receive), then inserts one as the subscriber (may send).
-- Then the trigger that broadcasts each new session message where realtime.send exists.
begin;
select plan(45);

create function pg_temp.s(p_n int) returns uuid language sql immutable
  as $$ select ('5e582000-0000-4000-8000-00000000000' || p_n)::uuid $$;

select tests.create_supabase_user(u, u || '@live.test')
from unnest(array['host', 'part', 'obs', 'invitee', 'declined', 'stranger']) u;
insert into public.sessions (id, host_id, title, session_type, status) values
  (pg_temp.s(1), tests.get_supabase_uid('host'), 'Live', 'mediated_discussion', 'in_progress'),
  (pg_temp.s(2), tests.get_supabase_uid('stranger'), 'Sam''s', 'problem_solving', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  (pg_temp.s(1), tests.get_supabase_uid('part'), 'participant', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('obs'), 'observer', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('invitee'), 'participant', 'pending'),
  (pg_temp.s(1), tests.get_supabase_uid('declined'), 'participant', 'declined');

-- As Realtime, for a subscriber of p_topic.
create function pg_temp.as_realtime(p_who text, p_topic text) returns void language plpgsql as $$
declare
  v_role text := case when p_who = 'anon' then 'anon' else 'authenticated' end;
  v_sub text := case when p_who <> 'anon' then tests.get_supabase_uid(p_who)::text end;
begin
  perform set_config('role', v_role, true);
  perform set_config('request.jwt.claims',
    jsonb_strip_nulls(jsonb_build_object('sub', v_sub, 'role', v_role))::text, true);
  perform set_config('request.jwt.claim.sub', coalesce(v_sub, ''), true);
  perform set_config('realtime.topic', p_topic, true);
end
$$;

-- may p_who receive p_extension on p_topic? (Realtime's read check; undone)
create function pg_temp.may_receive(p_who text, p_topic text, p_extension text) returns text language plpgsql as $$
declare
  v_id uuid;
  v_seen boolean;
  v_outcome text;
begin
  begin
    insert into realtime.messages (topic, extension, private) values (p_topic, p_extension, true) returning id into v_id;
    perform pg_temp.as_realtime(p_who, p_topic);
    execute 'select exists (select 1 from realtime.messages where id = $1 and extension = $2)' into v_seen using v_id, p_extension;
    v_outcome := case when v_seen then 'allowed' else 'refused' end;
    raise exception using errcode = 'ZZ999';
  exception
    when sqlstate 'ZZ999' then null;
    when insufficient_privilege then v_outcome := 'refused';
    when others then v_outcome := 'error ' || sqlstate || ': ' || sqlerrm;
  end;
  perform tests.reset_authentication();
  perform set_config('realtime.topic', '', true);
  return v_outcome;
end
$$;

-- may p_who send p_extension on p_topic? (Realtime's write check; undone)
create function pg_temp.may_send(p_who text, p_topic text, p_extension text) returns text language plpgsql as $$
declare
  v_outcome text;
begin
  begin
    perform pg_temp.as_realtime(p_who, p_topic);
    insert into realtime.messages (topic, extension, private, event, payload)
    values (p_topic, p_extension, true, 'hello', '{"x": 1}');
    v_outcome := 'allowed';
    raise exception using errcode = 'ZZ999';
  exception
    when sqlstate 'ZZ999' then null;
    when insufficient_privilege then v_outcome := 'refused';
    when others then v_outcome := 'error ' || sqlstate || ': ' || sqlerrm;
  end;
  perform tests.reset_authentication();
  perform set_config('realtime.topic', '', true);
  return v_outcome;
end
$$;

-- The matrix: 'session:<s1>', each extension, each actor.
select is(pg_temp.may_receive(w, 'session:' || pg_temp.s(1), x), e, 'receive ' || x || ' on session:s1 as ' || w || ': ' || e)
from (values ('host', 'allowed'), ('part', 'allowed'), ('obs', 'allowed'), ('invitee', 'refused'), ('declined', 'refused'),
             ('stranger', 'refused'), ('anon', 'refused')) v(w, e)
cross join unnest(array['broadcast', 'presence']) x;
select is(pg_temp.may_send(w, 'session:' || pg_temp.s(1), x), e, 'send ' || x || ' on session:s1 as ' || w || ': ' || e)
from (values ('host', 'allowed'), ('part', 'allowed'), ('obs', 'allowed'), ('invitee', 'refused'), ('declined', 'refused'),
             ('stranger', 'refused'), ('anon', 'refused')) v(w, e)
cross join unnest(array['broadcast', 'presence']) x;

-- Other topics: the policy reads the session from realtime.topic, nothing else counts.
select is(pg_temp.may_receive('host', t, 'broadcast'), 'refused', 'the host of s1 receiving on ' || d || ': refused')
from (values ('session:' || pg_temp.s(2), 'another session''s topic'), ('session-messages-' || pg_temp.s(1), 'a topic of another shape'),
             ('session:' || pg_temp.s(1) || ':x', 'a longer topic'), ('', 'no topic')) v(t, d);
select is(pg_temp.may_send('host', 'session:' || pg_temp.s(2), 'broadcast'), 'refused', 'the host of s1 sending on s2''s topic: refused');
select is(pg_temp.may_send('stranger', 'session:' || pg_temp.s(2), 'broadcast'), 'allowed', 'Sam sending on Sam''s own session''s topic: allowed');
select is(pg_temp.may_send('host', 'session:' || pg_temp.s(1), 'postgres_changes'), 'refused', 'an extension other than broadcast / presence: refused');
-- a member who is removed loses the channel
delete from public.session_participants where session_id = pg_temp.s(1) and profile_id = tests.get_supabase_uid('part');
select is(pg_temp.may_receive('part', 'session:' || pg_temp.s(1), 'broadcast'), 'refused', 'a removed participant: refused');
insert into public.session_participants (session_id, profile_id, role, invitation_status)
values (pg_temp.s(1), tests.get_supabase_uid('part'), 'participant', 'accepted');

-- The catalog: the policies, and realtime.topic() as Realtime defines it.
select is_empty($$ select policyname from pg_policies where schemaname = 'realtime' and tablename = 'messages'
                   and (roles <> '{authenticated}' or coalesce(qual, with_check) !~ '\(\s*SELECT realtime\.topic\(\) AS') $$,
  'realtime.messages policies: to authenticated, realtime.topic() evaluated once (select realtime.topic())');
select is(tests.value_of($$ select realtime.topic() $$), null, 'realtime.topic() is null outside a channel');
do $$ begin perform set_config('realtime.topic', 'session:x', true); end $$;
select is(realtime.topic(), 'session:x', 'realtime.topic() reads the setting realtime.topic');
do $$ begin perform set_config('realtime.topic', '', true); end $$;
select results_eq($$ select convo.session_id_of_topic(t) from (values ('session:5e582000-0000-4000-8000-000000000001'),
                     ('session:5e582000-0000-4000-8000-000000000001x'), ('xsession:5e582000-0000-4000-8000-000000000001'), (null)) v(t) $$,
  $$ values ('5e582000-0000-4000-8000-000000000001'::uuid), (null), (null), (null) $$,
  'convo.session_id_of_topic: session:<uuid> only');
select ok(not has_function_privilege('public', 'convo.session_id_of_topic(text)', 'execute')
          and has_function_privilege('authenticated', 'convo.session_id_of_topic(text)', 'execute'),
  'convo.session_id_of_topic: authenticated, not PUBLIC');


-- The broadcast trigger ---------------------------------------------------------------------------
-- Here realtime.send does not exist: inserting a message works and sends nothing.
select is(to_regprocedure('realtime.send(jsonb, text, text, boolean)'), null, 'no realtime.send on this server');
select lives_ok(format($$ insert into public.session_messages (session_id, content, message_type) values (%L, 'no realtime', 'user_typed_message') $$,
                       pg_temp.s(1)),
  'without realtime.send a message is stored, the trigger not even called');
select ok(pg_get_triggerdef(t.oid) ~ 'WHEN \(\(to_regprocedure\(', 'the trigger''s WHEN clause skips it where realtime.send is missing')
from pg_trigger t where t.tgname = 'session_messages_broadcast' and t.tgrelid = 'public.session_messages'::regclass;

-- Where it exists (a stand-in with Realtime's signature, recording its calls): each new message
-- goes to its session's private topic, whoever inserts it.
create table pg_temp.sent (payload jsonb, event text, topic text, private boolean);
create function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
  language sql as $$ insert into pg_temp.sent values (payload, event, topic, private) $$;
select tests.authenticate_as('part');
insert into public.session_messages (session_id, content, message_type) values (pg_temp.s(1), 'live!', 'user_typed_message');
select tests.reset_authentication();
insert into public.session_messages (session_id, message_type, content) values (pg_temp.s(1), 'alex_guidance', 'from the backend');
select results_eq($$ select topic, event, private, payload ->> 'table', payload -> 'record' ->> 'content' from pg_temp.sent order by payload -> 'record' ->> 'content' $$,
  format($$ values (%L, 'INSERT', true, 'session_messages', 'from the backend'), (%L, 'INSERT', true, 'session_messages', 'live!') $$,
         'session:' || pg_temp.s(1), 'session:' || pg_temp.s(1)),
  'each new message is sent once, on session:<its session>, private, as INSERT');

select * from finish();
rollback;
