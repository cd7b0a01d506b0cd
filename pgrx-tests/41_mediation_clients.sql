-- Mediated sessions as real clients use them, and hardened: migration 20261123040000_mediation_clients.
--   * issue 10 #1 the user's own profile upsert; #2 posting a message with {session_id, content,
--     message_type}; #6 invitations by email (rpc/invite_to_session), which never tell the host
--     whether an address has an account;
--   * issue 11 #6 declining is final until the host invites again; #7 server-maintained columns;
--     #5 existence oracles; #9 length bounds; #4 no caller text in error messages.
-- Every section fails on the schema before that migration.
begin;
select plan(161);

-- Helpers, rolled back with the test ----------------------------------------------------------
-- tests.get_supabase_uid(name): a fixture user's id (sql/test_helpers.sql);
-- pg_temp.s(n): session n; pg_temp.pid(who, n): who's participant row id in session n (looked up
-- as postgres).
create function pg_temp.s(p_n int) returns uuid language sql immutable
  as $$ select ('5e552000-0000-4000-8000-00000000000' || p_n)::uuid $$;
create function pg_temp.pid(p_who text, p_n int) returns bigint language sql stable
  as $$ select id from public.session_participants where profile_id = tests.get_supabase_uid(p_who) and session_id = pg_temp.s(p_n) $$;
-- The seed's message post, as supabase-js sends {session_id, content, message_type} (+ extra columns).
create function pg_temp.post(p_n int, p_extra text default '', p_values text default '') returns text language sql as $$
  select format('insert into public.session_messages (session_id, content, message_type%s) values (%L, %L, %L%s)',
                p_extra, pg_temp.s(p_n), 'posted', 'user_typed_message', p_values)
$$;
create function pg_temp.invite(p_n int, p_email text, p_role text default 'participant') returns text language sql as $$
  select format('select public.invite_to_session(%L, %L, %L)', pg_temp.s(p_n), p_email, p_role)
$$;

-- Fixtures (as postgres) -------------------------------------------------------------------------
-- s1: Hana's session in progress: Pat accepted, Dan declined (invited by id). s3: Sam's own.
-- Ivy, Quinn, Zed have accounts and are in no session; Nora's profile was deleted (none yet).
select tests.create_supabase_user(u, u || '@med2.test', metadata => jsonb_build_object('full_name', n))
from (values ('host', 'Hana Host'), ('part', 'Pat Participant'), ('declined', 'Dan Declined'),
             ('stranger', 'Sam Stranger'), ('ivy', 'Ivy Invitee'), ('quinn', 'Quinn Q'), ('zed', 'Zed Z'),
             ('nora', 'Nora NoProfile'), ('noid', 'Nemo NoProfile')) v(u, n);
delete from public.profiles where id in (tests.get_supabase_uid('nora'), tests.get_supabase_uid('noid'));
insert into public.sessions (id, host_id, title, session_type, status) values
  (pg_temp.s(1), tests.get_supabase_uid('host'), 'Roommate dispute', 'mediated_discussion', 'in_progress'),
  (pg_temp.s(3), tests.get_supabase_uid('stranger'), 'Sam''s own', 'problem_solving', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  (pg_temp.s(1), tests.get_supabase_uid('part'), 'participant', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('declined'), 'participant', 'declined');
insert into public.session_messages (session_id, session_participant_id, profile_id, content) values
  (pg_temp.s(1), pg_temp.pid('host', 1), tests.get_supabase_uid('host'), 'Welcome');
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path) values
  (pg_temp.s(1), tests.get_supabase_uid('host'), 'agenda.pdf', tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/agenda.pdf');


-- 1. profiles: the seed's own upsert (issue 10 #1) --------------------------------------------------
create function pg_temp.upsert(p_id text, p_extra_cols text default '', p_extra_vals text default '') returns text language sql as $$
  select format($q$ insert into public.profiles (id, full_name, avatar_url, updated_at%s)
                    values (%s, 'Pat Upserted', 'https://cdn.example/pat.png', '2000-01-01'%s)
                    on conflict (id) do update set id = excluded.id, full_name = excluded.full_name,
                      avatar_url = excluded.avatar_url, updated_at = excluded.updated_at $q$, p_extra_cols, p_id, p_extra_vals)
$$;
update public.profiles set updated_at = '2020-01-01', created_at = '2020-01-01' where id = tests.get_supabase_uid('part');
select is(tests.affected(pg_temp.upsert(quote_literal(tests.get_supabase_uid('part'))), 'part'), 1::bigint,
  'a user upserts their own profile as the seed does (INSERT ... ON CONFLICT (id) DO UPDATE)');
select results_eq($$ select full_name, avatar_url, updated_at = now(), created_at = '2020-01-01' from public.profiles
                     where id = tests.get_supabase_uid('part') $$,
  $$ values ('Pat Upserted', 'https://cdn.example/pat.png', true, true) $$,
  '... the fields are written; updated_at is the server''s (now(), not the 2000-01-01 sent); created_at untouched');
select is(tests.error_of(pg_temp.upsert(quote_literal(tests.get_supabase_uid('host'))), 'part'), '42501: new row violates row-level security policy for table "profiles"',
  'upserting someone else''s id: 42501 (never their row)');
select is((select full_name from public.profiles where id = tests.get_supabase_uid('host')), 'Hana Host', '... the host''s profile is unchanged');
select is(tests.error_of(pg_temp.upsert(quote_literal(tests.get_supabase_uid('nora'))), 'part'), '42501: new row violates row-level security policy for table "profiles"',
  'creating a profile for another user (who has none): 42501');
select is(tests.affected(pg_temp.upsert(quote_literal(tests.get_supabase_uid('nora'))), 'nora'), 1::bigint,
  'a user without a profile creates their own with the upsert');
select results_eq($$ select full_name, created_at = now(), updated_at = now(), email from public.profiles where id = tests.get_supabase_uid('nora') $$,
  $$ values ('Pat Upserted', true, true, null::text) $$, '... created_at and updated_at are the server''s, email is not the client''s');
select is(tests.affected($$ insert into public.profiles (id, full_name) values (null, 'Nemo') $$, 'noid'), 1::bigint,
  'an explicit id: null takes the default ...');
select is((select full_name from public.profiles where id = tests.get_supabase_uid('noid')), 'Nemo', '... which is the caller (auth.uid())');
select col_default_is('public', 'profiles', 'id', 'auth.uid()', 'profiles.id defaults to auth.uid()');
select is(tests.error_of(pg_temp.upsert(quote_literal(tests.get_supabase_uid('part')), ', email', ', ''pat@evil.test'''), 'part'),
  '42501: permission denied for table profiles', 'an upsert carrying email: 42501');
select is(tests.error_of($$ update public.profiles set email = 'pat@evil.test' where id = auth.uid() $$, 'part'),
  '42501: permission denied for table profiles', 'updating one''s email through profiles: 42501');
select ok(not has_column_privilege('authenticated', 'public.profiles', c, p), 'authenticated has no ' || p || ' on profiles.' || c)
from unnest(array['email', 'has_completed_personality_assessment']) c, unnest(array['INSERT', 'UPDATE']) p;
select is(tests.affected($$ update public.profiles set created_at = '1999-01-01', full_name = 'Pat' where id = auth.uid() $$, 'part'), 1::bigint,
  'an update that sends created_at ...');
select is((select created_at from public.profiles where id = tests.get_supabase_uid('part')), '2020-01-01'::timestamptz,
  '... keeps the server''s created_at (issue 11 #7)');
select policies_are('public', 'profiles', array['Users can view their own profile', 'Users can update their own profile',
  'Users can create their own profile'], 'profiles: select, update and now insert (own row), no delete policy');
select ok(roles = '{authenticated}' and with_check = '(id = ( SELECT auth.uid() AS uid))', 'the insert policy: to authenticated, id = (select auth.uid())')
from pg_policies where tablename = 'profiles' and cmd = 'INSERT';


-- 2. session_messages: the author and participant row are filled in (issue 10 #2) --------------------
select is(tests.affected(pg_temp.post(1), 'part'), 1::bigint, 'a participant posts {session_id, content, message_type}');
select results_eq($$ select profile_id, session_participant_id from public.session_messages where content = 'posted' $$,
  format('values (%L::uuid, %s::bigint)', tests.get_supabase_uid('part'), pg_temp.pid('part', 1)),
  '... profile_id is the caller and session_participant_id their row of that session');
select is(tests.affected(pg_temp.post(1, ', profile_id', format(', %L', tests.get_supabase_uid('host'))), 'host'), 1::bigint,
  'the host posts with profile_id too');
select is(tests.affected(pg_temp.post(1, ', profile_id, session_participant_id', ', null, null'), 'part'), 1::bigint,
  'explicit nulls for profile_id and session_participant_id are filled as well');
select is((select count(*) from public.session_messages where content = 'posted' and session_participant_id is not null), 3::bigint,
  '... every posted message got its participant row');
select is(tests.error_of(pg_temp.post(1, x, v), w), '42501: new row violates row-level security policy for table "session_messages"',
          'refused (42501): ' || d)
from (values ('part', ', profile_id', format(', %L', tests.get_supabase_uid('host')), 'a participant posting as the host (spoofed profile_id)'),
             ('part', ', session_participant_id', format(', %s', pg_temp.pid('host', 1)), 'a participant through the host''s row'),
             ('declined', '', '', 'a declined invitee'),
             ('stranger', '', '', 'a stranger'),
             ('stranger', ', profile_id, session_participant_id', format(', %L, %s', tests.get_supabase_uid('part'), pg_temp.pid('part', 1)),
              'a stranger claiming Pat''s row')) v(w, x, v, d);
select is(tests.value_of(format($$ select string_agg(c.full_name, ',' order by m.id) from public.session_messages m
                                        left join lateral public.profiles(m) c on true where m.session_id = %L $$, pg_temp.s(1)), 'part'),
  'Hana Host,Pat,Hana Host,Pat', 'the seed''s read with the profiles (id, full_name, avatar_url) embed still names every author');
select is(tests.affected(format($$ insert into public.session_messages (session_id, message_type, content)
                                            values (%L, 'alex_guidance', 'Alex here') $$, pg_temp.s(1)), 'service_role'), 1::bigint,
  'the service role posts Alex''s guidance ...');
select results_eq($$ select profile_id, session_participant_id from public.session_messages where content = 'Alex here' $$,
  $$ values (null::uuid, null::bigint) $$, '... with no author filled in (the filling is for API users)');


-- 3. Invitations by email (issue 10 #6) -------------------------------------------------------------
select has_table('public', 'session_invitations', 'table public.session_invitations exists');
select columns_are('public', 'session_invitations', array['id', 'session_id', 'email', 'role', 'status', 'invited_by',
  'created_at', 'responded_at'], 'session_invitations: id, session_id, email, role, status, invited_by, created_at, responded_at');
select col_is_unique('public', 'session_invitations', array['session_id', 'email'], 'one invitation per (session, address)');
select is((select array_agg(p.oid::regprocedure::text) from pg_proc p where p.proname = 'invite_to_session'
           and p.pronamespace = 'public'::regnamespace),
  array['invite_to_session(uuid,text,text,uuid)'], 'one public invite_to_session(p_session_id, p_email, p_role, p_user_id)');
select ok(has_function_privilege('authenticated', 'public.invite_to_session(uuid,text,text,uuid)', 'execute')
          and has_function_privilege('service_role', 'public.invite_to_session(uuid,text,text,uuid)', 'execute')
          and not has_function_privilege('anon', 'public.invite_to_session(uuid,text,text,uuid)', 'execute')
          and obj_description('public.invite_to_session(uuid,text,text,uuid)'::regprocedure) is not null,
  'invite_to_session: authenticated and service_role, not anon; has a COMMENT');

-- Hana invites Ivy (has an account) and nobody@ (no account yet).
select set_config('t.inv_ivy', tests.value_of(pg_temp.invite(1, '  Ivy@MED2.test '), 'host'), true);
select set_config('t.inv_nobody', tests.value_of(pg_temp.invite(1, 'nobody@med2.test', 'observer'), 'host'), true);
select results_eq($$ select email, role, status, invited_by, responded_at from public.session_invitations
                     where id = current_setting('t.inv_ivy')::uuid $$,
  format($$ values ('ivy@med2.test', 'participant', 'pending', %L::uuid, null::timestamptz) $$, tests.get_supabase_uid('host')),
  'the invitation: the address trimmed and lower-cased, participant, pending, invited by the host');
select is(tests.value_of(pg_temp.invite(1, 'IVY@med2.test'), 'host'), current_setting('t.inv_ivy'),
  're-inviting the same address returns the same invitation');
select results_eq($$ select count(*), count(invitation_id) from public.session_participants where profile_id = tests.get_supabase_uid('ivy') $$,
  $$ values (1::bigint, 1::bigint) $$, 'Ivy (an account) got one pending participant row, linked to the invitation');
-- What the host sees: the two invitations, alike; no participant row of Ivy's; no profile id.
select is(tests.value_of(format($$ select string_agg(email || '|' || status || '|' || (responded_at is null), ',' order by email)
                                        from public.session_invitations where session_id = %L $$, pg_temp.s(1)), 'host'),
  'ivy@med2.test|pending|true,nobody@med2.test|pending|true',
  'the host sees both invitations, and they look alike (with or without an account)');
select is(tests.row_count(format('select from public.session_participants where session_id = %L', pg_temp.s(1)), 'host'), 3::bigint,
  'the host''s participant list: host, Pat, Dan; not Ivy''s pending row');
select is(tests.row_count(format('select from public.session_participants where profile_id = %L', tests.get_supabase_uid('ivy')), 'host'), 0::bigint,
  '... not even asked for by Ivy''s id');
select is(tests.row_count(format('select from public.session_participants where profile_id = %L', tests.get_supabase_uid('ivy')), 'part'), 0::bigint,
  'an accepted participant does not see it either');
select is(tests.row_count('select from public.session_invitations', 'part'), 0::bigint, 'a participant sees no invitations (the host''s business)');
select is(tests.row_count('select from public.session_invitations', 'stranger'), 0::bigint, 'a stranger sees no invitations');
select is(tests.row_count('select from public.profiles where id = ' || quote_literal(tests.get_supabase_uid(t)), w), 0::bigint,
          w || ' still cannot read ' || t || '''s profile')
from (values ('host', 'ivy'), ('ivy', 'host')) v(w, t);
-- What Ivy sees: the session, her own row and her invitation, nothing else.
select is(tests.row_count(format('select from public.sessions where id = %L', pg_temp.s(1)), 'ivy'), 1::bigint, 'Ivy sees the session she is invited to');
select is(tests.value_of(format('select string_agg(profile_id::text || invitation_status, '','') from public.session_participants where session_id = %L',
                                    pg_temp.s(1)), 'ivy'), tests.get_supabase_uid('ivy') || 'pending', '... only her own participant row, pending');
select is(tests.value_of('select string_agg(email, '','') from public.session_invitations', 'ivy'), 'ivy@med2.test',
  '... and the invitation addressed to her (not nobody@''s)');
select is(tests.row_count(format('select from public.session_messages where session_id = %L', pg_temp.s(1)), 'ivy'), 0::bigint,
  '... but no messages while pending');

-- Ivy accepts with the seed's PATCH of her row.
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'accepted', joined_at = '2000-01-01'
                                       where id = %s $$, pg_temp.pid('ivy', 1)), 'ivy'), 1::bigint, 'Ivy accepts (PATCH of her participant row)');
select results_eq($$ select status, responded_at = now() from public.session_invitations where id = current_setting('t.inv_ivy')::uuid $$,
  $$ values ('accepted', true) $$, '... the invitation follows: accepted, responded_at now');
select is((select joined_at from public.session_participants where id = pg_temp.pid('ivy', 1)), now(),
  '... joined_at is the server''s now(), not the 2000-01-01 she sent');
select is(tests.row_count(format('select from public.session_participants where profile_id = %L', tests.get_supabase_uid('ivy')), 'host'), 1::bigint,
  '... and now the host sees her row');
select is(tests.row_count(format('select from public.session_messages where session_id = %L', pg_temp.s(1)), 'ivy'), 5::bigint,
  '... and she reads the messages');
-- She leaves; that is final for her; the host invites the address again.
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'declined' where id = %s $$,
                                    pg_temp.pid('ivy', 1)), 'ivy'), 1::bigint, 'Ivy leaves (accepted → declined)');
select is((select status from public.session_invitations where id = current_setting('t.inv_ivy')::uuid), 'declined', '... the invitation says declined');
select is(tests.row_count(format('select from public.session_participants where profile_id = %L', tests.get_supabase_uid('ivy')), 'host'), 0::bigint,
  '... her row is hidden from the host again');
select is(left(tests.error_of(format($$ update public.session_participants set invitation_status = %L where id = %s $$, s, pg_temp.pid('ivy', 1)), 'ivy'), 6),
          '42501:', 'Ivy, declined, cannot go back to ' || s || ' herself')
from unnest(array['accepted', 'pending']) s;
select is(tests.row_count(format('select from public.session_messages where session_id = %L', pg_temp.s(1)), 'ivy'), 0::bigint,
  '... and reads no messages');
select is(tests.value_of(pg_temp.invite(1, 'ivy@med2.test'), 'host'), current_setting('t.inv_ivy'), 'the host invites the address again: the same invitation');
select results_eq($$ select i.status, sp.invitation_status from public.session_invitations i
                     join public.session_participants sp on sp.invitation_id = i.id where i.id = current_setting('t.inv_ivy')::uuid $$,
  $$ values ('pending', 'pending') $$, '... pending again, invitation and participant row alike');
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'accepted' where id = %s $$,
                                    pg_temp.pid('ivy', 1)), 'ivy'), 1::bigint, '... and Ivy can accept again');

-- nobody@ signs up (any case): the waiting invitation is attached.
select tests.create_supabase_user('nobody', 'NoBody@Med2.test', metadata => jsonb_build_object('full_name', 'No Body'));
select results_eq($$ select invitation_status, role, invitation_id from public.session_participants where profile_id = tests.get_supabase_uid('nobody') $$,
  $$ values ('pending', 'observer', current_setting('t.inv_nobody')::uuid) $$,
  'signing up with an invited address attaches the invitation (pending, as observer)');
select is(tests.value_of('select string_agg(title, '','') from public.sessions', 'nobody'), 'Roommate dispute', '... the new user sees the session');
-- Zed changes his email to an invited address.
select set_config('t.inv_later', tests.value_of(pg_temp.invite(1, 'later@med2.test'), 'host'), true);
update auth.users set email = 'later@med2.test' where id = tests.get_supabase_uid('zed');
select is((select invitation_id::text from public.session_participants where profile_id = tests.get_supabase_uid('zed')), current_setting('t.inv_later'),
  'a user whose email changes to an invited address gets the invitation');

-- The host cannot tell: an address with an account vs one without, side by side.
select set_config('t.host_rows', tests.row_count(format('select from public.session_participants where session_id = %L', pg_temp.s(1)), 'host')::text, true),
       set_config('t.all_rows', (select count(*) from public.session_participants)::text, true);
select tests.value_of(pg_temp.invite(1, 'quinn@med2.test'), 'host'), tests.value_of(pg_temp.invite(1, 'nobody2@med2.test'), 'host');
select is(tests.row_count(format('select from public.session_participants where session_id = %L', pg_temp.s(1)), 'host')::text,
  current_setting('t.host_rows'), 'inviting an address with an account and one without: the host''s participant list is unchanged');
select is(tests.value_of($$ select count(distinct (role, status, responded_at, invited_by, created_at))::text
                                 from public.session_invitations where email in ('quinn@med2.test', 'nobody2@med2.test') $$, 'host'), '1',
  '... and the two invitations look the same (role, status, responded_at, invited_by, created_at)');
select is((select count(*) from public.session_participants)::text, (current_setting('t.all_rows')::int + 1)::text,
  '... though Quinn (the account) did get a hidden pending row');
-- The host invites Quinn by profile id too (knowing it from elsewhere): the same answer as for anyone.
select is(tests.affected(format($$ insert into public.session_participants (session_id, profile_id) values (%L, %L) $$,
                                     pg_temp.s(1), tests.get_supabase_uid('quinn')), 'host'), 1::bigint,
  'inviting by id someone who holds a hidden row: 201 as for anyone, no 409 that would link the address to them');
select results_eq($$ select sp.invitation_id is null, i.status from public.session_participants sp, public.session_invitations i
                     where sp.profile_id = tests.get_supabase_uid('quinn') and i.email = 'quinn@med2.test' $$,
  $$ values (true, 'pending') $$, '... the row is now the visible by-id one; the email invitation still says pending');

-- Revoking.
select is(tests.affected(format($$ select public.invite_to_session(%L, 'ivy@med2.test') $$, pg_temp.s(3)), 'stranger'), 1::bigint,
  'Sam invites Ivy to his session');
select is(tests.affected($$ update public.session_invitations set status = 'revoked' where email = 'ivy@med2.test' $$, 'stranger'), 1::bigint,
  '... and revokes it');
select is(tests.row_count(format('select from public.sessions where id = %L', pg_temp.s(3)), 'ivy'), 0::bigint,
  '... Ivy no longer sees that session (her pending row went with it)');
select is(tests.affected(format($$ update public.session_invitations set status = 'revoked' where session_id = %L $$, pg_temp.s(1)), w), 0::bigint,
          w || ' cannot revoke the host''s invitations (0 rows)')
from unnest(array['part', 'ivy', 'stranger']) w;
select is(left(tests.error_of($$ update public.session_invitations set status = 'accepted' where email = 'nobody2@med2.test' $$, 'host'), 6),
  '42501:', 'the host cannot set an invitation to anything but revoked');
select is(left(tests.error_of($$ update public.session_invitations set status = 'revoked' where email = 'ivy@med2.test' $$, 'host'), 6),
  '22023:', 'an accepted invitation is not revoked (the host removes the participant instead)');
select is(tests.affected(format('delete from public.session_participants where id = %s', pg_temp.pid('ivy', 1)), 'host'), 1::bigint,
  'the host removes Ivy, who had accepted ...');
select is((select status from public.session_invitations where id = current_setting('t.inv_ivy')::uuid), 'revoked',
  '... and her invitation is revoked');
select is(tests.affected(format('delete from public.session_participants where profile_id = %L', tests.get_supabase_uid('nobody')), 'host'), 0::bigint,
  'the host cannot delete a hidden (pending) row from an email invitation');

-- Bad input: a clear 4xx, nothing written, no caller text in the message.
select set_config('t.before', (select count(*) from public.session_invitations)::text, true);
select is(tests.error_of(q, w), e, d)
from (values
  ('host', pg_temp.invite(1, ''), '22023: p_email is required', 'an empty email'),
  ('host', pg_temp.invite(1, '   '), '22023: p_email is required', 'a blank email'),
  ('host', format('select public.invite_to_session(%L, null)', pg_temp.s(1)), '22023: p_email is required', 'a null email'),
  ('host', pg_temp.invite(1, 'not-an-email'), '22023: p_email is not an email address', 'a malformed email'),
  ('host', pg_temp.invite(1, E'evil\r\nX-Injected: yes@x.io'), '22023: p_email is not an email address', 'an email with CR LF'),
  ('host', pg_temp.invite(1, 'a@b.c, d@e.f'), '22023: p_email is not an email address', 'two addresses'),
  ('host', pg_temp.invite(1, repeat('a', 316) || '@x.io'), '22023: p_email is too long (at most 320 characters)', 'a 321-character email'),
  ('host', pg_temp.invite(1, 'x@y.io', 'host'), '22023: p_role must be participant or observer', 'role host'),
  ('host', pg_temp.invite(1, 'host@med2.test'), '22023: the host is already in the session', 'the host''s own address'),
  ('host', format('select public.invite_to_session(null, %L)', 'x@y.io'), '22023: p_session_id is required', 'no session'),
  ('host', format('select public.invite_to_session(%L, %L)', gen_random_uuid(), 'x@y.io'), '42501: only the host can invite to this session',
   'an unknown session'),
  ('host', pg_temp.invite(3, 'x@y.io'), '42501: only the host can invite to this session', 'someone else''s session: the same answer'),
  ('part', pg_temp.invite(1, 'x@y.io'), '42501: only the host can invite to this session', 'a participant (not the host)'),
  ('anon', pg_temp.invite(1, 'x@y.io'), '42501: permission denied for function invite_to_session', 'anon'),
  ('service_role', pg_temp.invite(1, 'x@y.io'), '22023: p_user_id is required when calling with the service role key', 'service role without p_user_id'),
  ('host', format('select public.invite_to_session(%L, %L, p_user_id => %L)', pg_temp.s(1), 'x@y.io', tests.get_supabase_uid('part')),
   '42501: p_user_id must be omitted or be the signed-in user', 'a user naming another acting user')
) v(w, q, e, d);
select is((select count(*) from public.session_invitations)::text, current_setting('t.before'), '... and none of them wrote anything');
select isnt(tests.value_of(format('select public.invite_to_session(%L, %L, p_user_id => %L)', pg_temp.s(1), 'backend@med2.test',
                                          tests.get_supabase_uid('host')), 'service_role'), null, 'the service role invites for a named host');


-- 4. The answer rule (issue 11 #6) --------------------------------------------------------------------
select is(left(tests.error_of(format($$ update public.session_participants set invitation_status = %L where id = %s $$,
                                              s, pg_temp.pid('declined', 1)), 'declined'), 6), '42501:', 'Dan (declined) cannot set his row to ' || s)
from unnest(array['accepted', 'pending']) s;
select is(tests.error_of(format($$ update public.session_participants set %s where id = %s $$, c, pg_temp.pid('declined', 1)), 'declined'),
          '42501: a declined invitation is final: it cannot be changed', 'Dan (declined) cannot write ' || split_part(c, ' ', 1) || ' either')
from unnest(array['perspective_text = ''my view''', 'signed_off_summary = true', 'joined_at = now()']) c;
select is(tests.row_count(format('select from public.session_messages where session_id = %L', pg_temp.s(1)), 'declined'), 0::bigint,
  'Dan reads no messages');
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'pending' where id = %s $$, pg_temp.pid('declined', 1)), w),
          0::bigint, w || ' cannot renew Dan''s invitation (0 rows)')
from unnest(array['part', 'stranger']) w;
select is(left(tests.error_of(format($$ update public.session_participants set invitation_status = %s where id = %s $$,
                                          s, pg_temp.pid('declined', 1)), 'host'), 6), '42501:', 'the host cannot ' || d)
from (values ('''accepted''', 'accept for Dan'), ('''pending'', perspective_text = ''host words''', 'write Dan''s perspective')) v(s, d);
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'declined' where id = %s $$,
                                     pg_temp.pid('part', 1)), 'host'), 0::bigint, 'the host cannot decline for Pat (0 rows)');
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'pending' where id = %s $$,
                                     pg_temp.pid('declined', 1)), 'host'), 1::bigint, 'the host invites Dan again (declined → pending)');
select is(tests.affected(format($$ update public.session_participants set invitation_status = 'accepted' where id = %s $$,
                                         pg_temp.pid('declined', 1)), 'declined'), 1::bigint, '... and Dan may accept now');
select is(tests.row_count(format('select from public.session_messages where session_id = %L', pg_temp.s(1)), 'declined'), 5::bigint,
  '... and reads the messages');


-- 5. Server-maintained columns (issue 11 #7) ------------------------------------------------------------
-- Each is either not writable by authenticated (no column privilege) or kept by a keep_server_columns trigger.
create function pg_temp.server_kept(p_table regclass, p_column text) returns boolean language sql stable as $$
  select (not has_column_privilege('authenticated', p_table, p_column, 'INSERT')
          and not has_column_privilege('authenticated', p_table, p_column, 'UPDATE'))
      or exists (select from pg_trigger t where t.tgrelid = p_table and t.tgname::text like '%keep_server_columns'
                 and p_column = any (string_to_array(rtrim(encode(t.tgargs, 'escape'), '\000'), '\000')))
$$;
select ok(pg_temp.server_kept(t::regclass, c), t || '.' || c || ' is the server''s')
from (values ('public.profiles', 'created_at'), ('public.profiles', 'updated_at'), ('public.sessions', 'created_at'),
             ('public.sessions', 'id'), ('public.session_participants', 'joined_at'),
             ('public.session_participants', 'sign_off_timestamp'), ('public.session_participants', 'invitation_id'),
             ('public.session_messages', 'timestamp'), ('public.session_messages', 'is_edited'),
             ('public.session_files', 'uploaded_at'), ('public.session_files', 'id'), ('public.growth_insights', 'generated_at'),
             ('public.achievements', 'achieved_at'), ('public.session_evaluations', 'submitted_at'),
             ('public.session_invitations', 'created_at'), ('public.session_invitations', 'responded_at'),
             ('public.session_invitations', 'invited_by'), ('public.session_invitations', 'email')) v(t, c);
select is(tests.affected(format($$ update public.session_participants set joined_at = '2000-01-01', sign_off_timestamp = '2000-01-01'
                                        where id = %s $$, pg_temp.pid('part', 1)), 'part'), 1::bigint, 'Pat sends joined_at and sign_off_timestamp ...');
select results_eq(format('select joined_at is distinct from ''2000-01-01'', sign_off_timestamp from public.session_participants where id = %s',
                         pg_temp.pid('part', 1)),
  $$ values (true, null::timestamptz) $$, '... both keep the server''s values');
select is(tests.affected(format($$ update public.session_participants set joined_at = now() where id = %s $$, pg_temp.pid('quinn', 1)), 'quinn'),
  1::bigint, 'Quinn, pending, sends joined_at ...');
select is((select joined_at from public.session_participants where id = pg_temp.pid('quinn', 1)), null, '... it stays null until he accepts');


-- 6. Existence oracles (issue 11 #5) ---------------------------------------------------------------------
select is(tests.error_of(format('select public.session_feedback_summary(%L)', pg_temp.s(1)), 'stranger'),
          tests.error_of(format('select public.session_feedback_summary(%L)', gen_random_uuid()), 'stranger'),
  'session_feedback_summary: someone else''s session and an unknown one give the same error');
select is(tests.error_of(format('select public.session_feedback_summary(%L)', gen_random_uuid()), 'stranger'),
  '42501: only the host of a session can read its feedback summary', '... 42501 (HTTP 403), no id in the message');
select is(tests.value_of(format('select public.session_feedback_summary(%L, p_user_id => %L) ->> ''shared_count''', pg_temp.s(1),
                                        tests.get_supabase_uid('host')), 'service_role'), '0', 'the service role reads it for the named host');
select is(left(tests.error_of(format('select public.session_feedback_summary(%L, p_user_id => %L)', pg_temp.s(1),
                                             tests.get_supabase_uid('part')), 'service_role'), 6), '42501:', '... not for a named non-host');
select is(left(tests.error_of(format('select public.session_feedback_summary(%L, p_user_id => %L)', pg_temp.s(1),
                                          tests.get_supabase_uid('part')), 'host'), 6), '42501:', 'a signed-in host naming someone else: 42501');
select is((select count(*) from pg_proc where proname = 'session_feedback_summary' and pronamespace = 'public'::regnamespace), 1::bigint,
  'one public session_feedback_summary (no leftover overload)');
-- (since issue 21 a path names its uploader and session, so another session's path is refused
-- for its shape: the same answer whether or not that object exists)
select is(tests.error_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                   values (%L, %L, 'mine.pdf', %L) $$, pg_temp.s(3), tests.get_supabase_uid('stranger'), p), 'stranger'),
  '22023: storage_path must be <uploader_profile_id>/<session_id>/<file name>',
  'a storage_path of another session (' || d || '): 400, never a 409')
from (values (tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/agenda.pdf', 'recorded there'),
             (tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/nothing.pdf', 'recorded nowhere')) v(p, d);
select is(left(tests.error_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                      values ('5e552000-0000-4000-8000-000000000001', auth.uid(), 'again.pdf', %L) $$,
                                      tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/agenda.pdf'), 'host'), 6),
  '23505:', '... within one session it stays unique');
select is(tests.error_of(format($$ insert into public.sessions (id, host_id, title) values (%L, auth.uid(), 't') $$, i), 'part'),
          '42501: permission denied for table sessions', 'a client-chosen session id (' || d || '): 42501, the same answer')
from (values (pg_temp.s(3), 'someone else''s'), (gen_random_uuid(), 'unused')) v(i, d);
select is(tests.error_of(format($$ insert into public.session_files (id, session_id, uploader_profile_id, file_name, storage_path)
                                        values (%L, %L, auth.uid(), 'f', 'p') $$, (select id from public.session_files limit 1), pg_temp.s(1)), 'host'),
  '42501: permission denied for table session_files', 'a client-chosen file id: 42501');


-- 7. Bounds (issue 11 #9) and 8. messages ------------------------------------------------------------------
-- Every text / jsonb column of these tables has a <table>_<column>_length_check, except the enumerated
-- ones (a value check already bounds them).
select is_empty($$
  select c.relname || '.' || a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
  where c.relname in ('profiles', 'sessions', 'session_participants', 'session_messages', 'session_files', 'growth_insights',
                      'achievements', 'session_evaluations', 'session_invitations')
    and c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped
    and a.atttypid in ('text'::regtype, 'jsonb'::regtype)
    and c.relname || '.' || a.attname not in ('sessions.status', 'session_participants.role', 'session_participants.invitation_status',
      'session_messages.message_type', 'session_invitations.role', 'session_invitations.status')
    and not exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'
                    and k.conname = c.relname || '_' || a.attname || '_length_check') $$,
  'every text / jsonb column of profiles and the mediation tables has its <table>_<column>_length_check');
select is(left(tests.error_of(q, w), 6), '23514:', d || ': 23514 (HTTP 400)')
from (values ('part', $$ update public.profiles set full_name = repeat('x', 201) where id = auth.uid() $$, 'a 201-character full_name'),
             ('part', $$ update public.profiles set personality_llm_context = jsonb_build_object('x', repeat('y', 70000)) where id = auth.uid() $$,
              'a 70 kB personality_llm_context'),
             ('host', format($$ update public.sessions set title = repeat('x', 201) where id = %L $$, pg_temp.s(1)), 'a 201-character title'),
             ('part', format($$ insert into public.session_messages (session_id, content) values (%L, repeat('x', 20001)) $$, pg_temp.s(1)), 'a 20001-character message'),
             ('part', format($$ update public.session_participants set perspective_text = repeat('x', 10001) where id = %s $$, pg_temp.pid('part', 1)),
              'a 10001-character perspective')) v(w, q, d);
select is(tests.affected(format($$ insert into public.session_messages (session_id, content) values (%L, repeat('x', 20000)) $$, pg_temp.s(1)), 'part'), 1::bigint, 'a 20000-character message is fine');
-- No mediation function's error message interpolates a value (they go to DETAIL, or nowhere).
select is_empty($$ select p.oid::regprocedure::text from pg_proc p
                   where p.pronamespace in ('public'::regnamespace, 'convo'::regnamespace)
                     and p.proname in ('session_feedback_summary', 'invite_to_session', 'attach_session_invitation',
                                       'session_participants_guard_answer', 'session_invitations_guard_revoke', 'profiles_guard_email')
                     and p.prosrc ~ 'raise exception ''[^'']*%' $$,
  'no mediation function formats a value into its error message');
select ok(exists (select from pg_trigger where tgrelid = 'public.session_invitations'::regclass and tgname = 'session_invitations_fill_column_defaults')
          and exists (select from pg_trigger where tgrelid = 'public.profiles'::regclass and tgname = 'profiles_fill_column_defaults'
                      and pg_get_triggerdef(oid) ~ 'new\.id IS NULL'),
  'explicit nulls take the defaults on session_invitations, and on profiles.id');

select * from finish();
rollback;
