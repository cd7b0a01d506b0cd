-- An email invitation reaches its address only once the address is confirmed: migration
-- 20261124040000_mediation_confirmed_email. Where Supabase Auth asks new users to confirm their
-- email, signing up with someone else's address (and never confirming it) must give nothing of
-- what was sent to that address. Fails on the schema before that migration (the unconfirmed
-- sign-up got the invitation, saw it and could accept it).
begin;
select plan(17);

-- Hana hosts a session in progress; Pat is in it.
select tests.create_supabase_user(u, u || '@conf.test', metadata => jsonb_build_object('full_name', n))
from (values ('host', 'Hana Host'), ('pat', 'Pat Participant')) v(u, n);
insert into public.sessions (id, host_id, title, session_type, status) values
  ('c0f10000-0000-4000-8000-000000000001', tests.get_supabase_uid('host'), 'Budget talk', 'mediated_discussion', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  ('c0f10000-0000-4000-8000-000000000001', tests.get_supabase_uid('pat'), 'participant', 'accepted');
insert into public.session_messages (session_id, profile_id, content, message_type) values
  ('c0f10000-0000-4000-8000-000000000001', tests.get_supabase_uid('host'), 'private numbers', 'user_typed_message');
create function pg_temp.invite(p_email text) returns text language sql as $$
  select format('select public.invite_to_session(%L, %L)', 'c0f10000-0000-4000-8000-000000000001'::uuid, p_email)
$$;
create function pg_temp.rows_of(p_who text) returns bigint language sql as $$
  select count(*) from public.session_participants where profile_id = tests.get_supabase_uid(p_who)
$$;

-- Hana invites Eve's address before Eve has an account.
select set_config('t.inv_eve', tests.value_of(pg_temp.invite('eve@conf.test'), 'host'), true);

-- Mallory signs up with Eve's address and does not (cannot) confirm it.
select tests.create_supabase_user('mallory', 'Eve@Conf.test', confirmed => false);
select is(pg_temp.rows_of('mallory'), 0::bigint, 'an unconfirmed sign-up with an invited address gets no participant row');
select is(tests.row_count('select from public.session_invitations', 'mallory'), 0::bigint, '... sees no invitation');
select is(tests.row_count('select from public.sessions', 'mallory'), 0::bigint, '... no session');
select is(tests.row_count('select from public.session_messages', 'mallory'), 0::bigint, '... and no message');
select is(tests.value_of('select convo.my_email()', 'mallory'), null, 'convo.my_email() is null until the address is confirmed');
select is(tests.affected($$ update public.session_participants set invitation_status = 'accepted' $$, 'mallory'), 0::bigint,
  '... so there is nothing to accept');

-- Hana invites again (or invites an address whose account is unconfirmed): still nothing.
select is(tests.value_of(pg_temp.invite('eve@conf.test'), 'host'), current_setting('t.inv_eve'), 're-inviting the address: the same invitation');
select is(pg_temp.rows_of('mallory'), 0::bigint, '... still not attached to the unconfirmed account');
-- An unconfirmed account changing its email to another invited address: nothing either.
select set_config('t.inv_zoe', tests.value_of(pg_temp.invite('zoe@conf.test'), 'host'), true);
update auth.users set email = 'zoe@conf.test' where id = tests.get_supabase_uid('mallory');
select is(pg_temp.rows_of('mallory'), 0::bigint, 'an unconfirmed user whose email changes to an invited address gets nothing');

-- The owner of the address confirms it (here: the same account, now confirmed): it is attached.
update auth.users set email = 'eve@conf.test' where id = tests.get_supabase_uid('mallory');
update auth.users set email_confirmed_at = now() where id = tests.get_supabase_uid('mallory');
select results_eq($$ select invitation_status, invitation_id from public.session_participants
                     where profile_id = tests.get_supabase_uid('mallory') $$,
  $$ values ('pending', current_setting('t.inv_eve')::uuid) $$,
  'confirming the address attaches what was sent to it (pending)');
select is(tests.row_count('select from public.session_invitations', 'mallory'), 1::bigint, '... the invitation is visible to its addressee');
select is(tests.value_of('select convo.my_email()', 'mallory'), 'eve@conf.test', '... and my_email() is the address');
select is(tests.affected($$ update public.session_participants set invitation_status = 'accepted' $$, 'mallory'), 1::bigint,
  '... which can accept');
select is(tests.row_count('select from public.session_messages', 'mallory'), 1::bigint, '... and then reads the session');
-- Confirming again (a later email_confirmed_at) changes nothing.
update auth.users set email_confirmed_at = now() + interval '1 minute' where id = tests.get_supabase_uid('mallory');
select is(pg_temp.rows_of('mallory'), 1::bigint, 'a second confirmation adds nothing');

-- A confirmed account is attached at once, as before: when invited, and at sign-up.
select tests.create_supabase_user('zoe', 'zoe@conf.test');
select is(pg_temp.rows_of('zoe'), 1::bigint, 'a confirmed sign-up with an invited address gets the invitation at once');
select tests.create_supabase_user('yan', 'yan@conf.test');
select tests.value_of(pg_temp.invite('yan@conf.test'), 'host');
select is(pg_temp.rows_of('yan'), 1::bigint, 'inviting a confirmed account attaches at once');

select * from finish();
rollback;
