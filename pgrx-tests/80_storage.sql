-- Files (issue 21): the buckets, the policies on storage.objects and session_files.storage_path,
-- tested the way the Storage server runs them. For each request the Storage server opens a
-- transaction, sets the caller's role and JWT claims (role, request.jwt.claims,
-- request.jwt.claim.sub, request.jwt.claim.role) and runs one statement on storage.objects:
--   upload  INSERT … RETURNING              upsert  INSERT … ON CONFLICT (bucket_id, name) DO UPDATE
--   read / signed URL  SELECT by (bucket_id, name)   delete  DELETE … WHERE name = any(…) RETURNING
--   list    SELECT by name prefix
-- Each cell of the matrix is one such statement as one actor: allowed (a row written / returned)
-- or refused (42501, or no row). Loosening any policy turns a "refused" cell into "allowed".
begin;
select plan(98);

-- Fixtures (as postgres) -------------------------------------------------------------------------
-- s1: Hana's mediated_discussion in progress: Pat (accepted, the uploader), Quinn (accepted),
--     Olga (accepted observer), Ivy (pending), Dan (declined).
-- s2: Hana's cancelled session, Pat accepted.   s3: Hana's session without a type, Pat accepted.
-- s4: Sam's own problem_solving session.
create function pg_temp.s(p_n int) returns uuid language sql immutable
  as $$ select ('5e580000-0000-4000-8000-00000000000' || p_n)::uuid $$;
create function pg_temp.uid(p_who text) returns text language sql stable
  as $$ select case when p_who in ('anon', 'service_role') then p_who else tests.get_supabase_uid(p_who)::text end $$;

select tests.create_supabase_user(u, u || '@files.test')
from unnest(array['host', 'uploader', 'part', 'obs', 'invitee', 'declined', 'stranger']) u;
insert into public.sessions (id, host_id, title, session_type, status) values
  (pg_temp.s(1), tests.get_supabase_uid('host'), 'Roommates', 'mediated_discussion', 'in_progress'),
  (pg_temp.s(2), tests.get_supabase_uid('host'), 'Called off', 'mediated_discussion', 'cancelled'),
  (pg_temp.s(3), tests.get_supabase_uid('host'), 'Untyped', null, 'scheduled'),
  (pg_temp.s(4), tests.get_supabase_uid('stranger'), 'Sam''s own', 'problem_solving', 'in_progress');
insert into public.session_participants (session_id, profile_id, role, invitation_status) values
  (pg_temp.s(1), tests.get_supabase_uid('uploader'), 'participant', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('part'), 'participant', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('obs'), 'observer', 'accepted'),
  (pg_temp.s(1), tests.get_supabase_uid('invitee'), 'participant', 'pending'),
  (pg_temp.s(1), tests.get_supabase_uid('declined'), 'participant', 'declined'),
  (pg_temp.s(2), tests.get_supabase_uid('uploader'), 'participant', 'accepted'),
  (pg_temp.s(3), tests.get_supabase_uid('uploader'), 'participant', 'accepted');

-- Pat's uploaded object in s1 (what the Storage server wrote after Pat's upload), and its row.
create function pg_temp.pat_file() returns text language sql stable
  as $$ select tests.get_supabase_uid('uploader') || '/' || pg_temp.s(1) || '/1765000000000_perspective.pdf' $$;
insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
values ('session-files', pg_temp.pat_file(), tests.get_supabase_uid('uploader'), tests.get_supabase_uid('uploader'),
        '{"size": 1234, "mimetype": "application/pdf"}', 'v1'),
       ('avatars', tests.get_supabase_uid('host') || '/avatar.png', tests.get_supabase_uid('host'), tests.get_supabase_uid('host'),
        '{"size": 10}', 'v1'),
       ('session-summaries', pg_temp.s(1) || '/final_summary.pdf', null, null, '{"size": 99}', 'v1'),
       ('avatars', tests.get_supabase_uid('uploader') || '/portrait.png', tests.get_supabase_uid('uploader'), tests.get_supabase_uid('uploader'),
        '{"size": 10}', 'v1');
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
values (pg_temp.s(1), tests.get_supabase_uid('uploader'), 'perspective.pdf', pg_temp.pat_file());


-- As the Storage server: role and claims, then the statement -----------------------------------

-- The settings the Storage server makes for a request bearing who's JWT.
create function pg_temp.as_storage(p_who text) returns void language plpgsql as $$
declare
  v_role text := case when p_who in ('anon', 'service_role') then p_who else 'authenticated' end;
  v_sub text := case when v_role = 'authenticated' then pg_temp.uid(p_who) end;
begin
  perform set_config('role', v_role, true);
  perform set_config('request.jwt.claims',
    jsonb_strip_nulls(jsonb_build_object('sub', v_sub, 'role', v_role,
      'aud', case when v_sub is not null then 'authenticated' end))::text, true);
  perform set_config('request.jwt.claim.sub', coalesce(v_sub, ''), true);
  perform set_config('request.jwt.claim.role', v_role, true);
end
$$;

-- 'allowed' (a row written or returned) or 'refused' (42501, or no row) of a statement run as
-- who the way the Storage server runs it; undone afterwards, so every cell starts from the same
-- fixtures. Any other error is shown as it is (so an unexpected failure never reads as "refused").
create function pg_temp.storage_try(p_who text, p_sql text) returns text language plpgsql as $$
declare
  v_rows bigint;
  v_outcome text;
begin
  begin
    perform pg_temp.as_storage(p_who);
    execute p_sql;
    get diagnostics v_rows = row_count;
    v_outcome := case when v_rows > 0 then 'allowed' else 'refused' end;
    raise exception using errcode = 'ZZ999';
  exception
    when sqlstate 'ZZ999' then null;
    when insufficient_privilege then v_outcome := 'refused';
    when others then v_outcome := 'error ' || sqlstate || ': ' || sqlerrm;
  end;
  perform tests.reset_authentication();
  return v_outcome;
end
$$;

-- The statements, as the Storage server issues them.
create function pg_temp.upload(p_bucket text, p_name text, p_who text) returns text language sql stable as $$
  select format($q$ insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
                    values (%L, %L, nullif(current_setting('request.jwt.claim.sub', true), '')::uuid,
                            nullif(current_setting('request.jwt.claim.sub', true), ''), '{"size": 1}', 'v2')
                    returning id, name, version $q$, p_bucket, p_name)
$$;
create function pg_temp.upsert(p_bucket text, p_name text) returns text language sql stable as $$
  select format($q$ insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
                    values (%L, %L, nullif(current_setting('request.jwt.claim.sub', true), '')::uuid,
                            nullif(current_setting('request.jwt.claim.sub', true), ''), '{"size": 2}', 'v3')
                    on conflict (bucket_id, name) do update
                      set metadata = excluded.metadata, version = excluded.version, owner = excluded.owner,
                          owner_id = excluded.owner_id, updated_at = now()
                    returning id, name, version $q$, p_bucket, p_name)
$$;
create function pg_temp.read(p_bucket text, p_name text) returns text language sql stable as $$
  select format($q$ select id, bucket_id, name, owner_id, version, metadata from storage.objects
                    where bucket_id = %L and name = %L limit 1 $q$, p_bucket, p_name)
$$;
create function pg_temp.remove(p_bucket text, p_name text) returns text language sql stable as $$
  select format($q$ delete from storage.objects where bucket_id = %L and name = any (array[%L])
                    returning id, name $q$, p_bucket, p_name)
$$;
create function pg_temp.list(p_bucket text, p_prefix text) returns text language sql stable as $$
  select format($q$ select name, id, updated_at, metadata from storage.objects
                    where bucket_id = %L and name ilike %L order by name limit 100 $q$, p_bucket, p_prefix || '%%')
$$;


-- The session-files matrix ----------------------------------------------------------------------
-- upload: a new object in the actor's own folder of s1 (the service role: in Pat's folder)
-- upsert, read (download / signed URL), delete: Pat's object;  list: Pat's folder of s1
select is(pg_temp.storage_try(w, pg_temp.upload('session-files',
            case when w in ('anon', 'service_role') then tests.get_supabase_uid('uploader')::text else pg_temp.uid(w) end
              || '/' || pg_temp.s(1) || '/1765000000001_new.pdf', w)), e,
          'session-files upload into s1 as ' || w || ': ' || e)
from (values ('uploader', 'allowed'), ('host', 'allowed'), ('part', 'allowed'), ('obs', 'refused'),
             ('invitee', 'refused'), ('declined', 'refused'), ('stranger', 'refused'), ('anon', 'refused'),
             ('service_role', 'allowed')) v(w, e);
select is(pg_temp.storage_try(w, pg_temp.upsert('session-files', pg_temp.pat_file())), e,
          'session-files upsert over Pat''s object as ' || w || ': ' || e)
from (values ('uploader', 'allowed'), ('host', 'refused'), ('part', 'refused'), ('obs', 'refused'),
             ('invitee', 'refused'), ('declined', 'refused'), ('stranger', 'refused'), ('anon', 'refused'),
             ('service_role', 'allowed')) v(w, e);
select is(pg_temp.storage_try(w, pg_temp.read('session-files', pg_temp.pat_file())), e,
          'session-files read / sign Pat''s object as ' || w || ': ' || e)
from (values ('uploader', 'allowed'), ('host', 'allowed'), ('part', 'allowed'), ('obs', 'allowed'),
             ('invitee', 'refused'), ('declined', 'refused'), ('stranger', 'refused'), ('anon', 'refused'),
             ('service_role', 'allowed')) v(w, e);
select is(pg_temp.storage_try(w, pg_temp.remove('session-files', pg_temp.pat_file())), e,
          'session-files delete Pat''s object as ' || w || ': ' || e)
from (values ('uploader', 'allowed'), ('host', 'refused'), ('part', 'refused'), ('obs', 'refused'),
             ('invitee', 'refused'), ('declined', 'refused'), ('stranger', 'refused'), ('anon', 'refused'),
             ('service_role', 'allowed')) v(w, e);
select is(pg_temp.storage_try(w, pg_temp.list('session-files', tests.get_supabase_uid('uploader') || '/' || pg_temp.s(1) || '/')), e,
          'session-files list Pat''s folder of s1 as ' || w || ': ' || e)
from (values ('uploader', 'allowed'), ('host', 'allowed'), ('part', 'allowed'), ('obs', 'allowed'),
             ('invitee', 'refused'), ('declined', 'refused'), ('stranger', 'refused'), ('anon', 'refused'),
             ('service_role', 'allowed')) v(w, e);

-- Where, and into which sessions, an upload may go.
select is(pg_temp.storage_try(w, pg_temp.upload('session-files', p, w)), e, 'session-files upload: ' || d)
from (values
  ('uploader', tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/x.pdf', 'refused', 'into someone else''s folder'),
  ('host', tests.get_supabase_uid('host') || '/' || pg_temp.s(2) || '/x.pdf', 'refused', 'the host, into a cancelled session'),
  ('uploader', tests.get_supabase_uid('uploader') || '/' || pg_temp.s(2) || '/x.pdf', 'refused', 'a participant, into a cancelled session'),
  ('host', tests.get_supabase_uid('host') || '/' || pg_temp.s(3) || '/x.pdf', 'allowed', 'the host, into a session without a type'),
  ('uploader', tests.get_supabase_uid('uploader') || '/' || pg_temp.s(3) || '/x.pdf', 'refused', 'a participant, where the type does not allow participant uploads'),
  ('stranger', tests.get_supabase_uid('stranger') || '/' || pg_temp.s(4) || '/x.pdf', 'allowed', 'a stranger to s1, into their own session'),
  ('uploader', tests.get_supabase_uid('uploader') || '/x.pdf', 'refused', 'a path without the session'),
  ('uploader', tests.get_supabase_uid('uploader') || '/' || pg_temp.s(1) || '/', 'refused', 'a path without a file name'),
  ('uploader', tests.get_supabase_uid('uploader') || '/' || pg_temp.s(1) || '/../x.pdf', 'refused', 'a path with ..'),
  ('uploader', tests.get_supabase_uid('uploader') || '/not-a-session/x.pdf', 'refused', 'a second segment that is no session id')
) v(w, p, e, d);

-- A member no longer (removed by the host) cannot read even what they uploaded: nothing stays
-- readable to someone who has left.
delete from public.session_participants
where session_id = pg_temp.s(1) and profile_id = tests.get_supabase_uid('uploader');
select is(pg_temp.storage_try('uploader', pg_temp.read('session-files', pg_temp.pat_file())), 'refused',
  'Pat, removed from s1, cannot read their own object of s1');
insert into public.session_participants (session_id, profile_id, role, invitation_status)
values (pg_temp.s(1), tests.get_supabase_uid('uploader'), 'participant', 'accepted');


-- A session_files row never grants access, and can only name its uploader's own object ----------
select is(tests.error_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                   values (%L, auth.uid(), 'stolen.pdf', %L) $$, pg_temp.s(4), pg_temp.pat_file()), 'stranger'),
  '22023: storage_path must be <uploader_profile_id>/<session_id>/<file name>',
  'Sam records Pat''s object path in Sam''s own session: 400 (22023)');
select is(tests.sqlstate_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                      values (%L, auth.uid(), 'x.pdf', %L) $$, pg_temp.s(4),
                                      tests.get_supabase_uid('stranger') || '/' || pg_temp.s(1) || '/x.pdf'), 'stranger'),
  '22023', 'a path of another session under one''s own folder: 22023');
select is(tests.sqlstate_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                      values (%L, auth.uid(), 'x.pdf', %L) $$, pg_temp.s(1),
                                      tests.get_supabase_uid('uploader') || '/' || pg_temp.s(1) || '/x.pdf'), 'host'),
  '22023', 'the host recording an object of Pat''s folder as their own upload: 22023');
select is(tests.sqlstate_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                      values (%L, auth.uid(), 'x.pdf', %L) $$, pg_temp.s(1),
                                      tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/x.pdf'), 'host'),
  'ok', 'the host recording their own upload: ok');
select is(tests.sqlstate_of(format($$ insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
                                      values (%L, %L, 'x.pdf', %L) $$, pg_temp.s(4), tests.get_supabase_uid('stranger'),
                                      pg_temp.pat_file()), 'service_role'),
  '22023', 'the service role is held to the same path rule');
select is(tests.sqlstate_of(format($$ update public.session_files set storage_path = %L where session_id = %L $$,
                                      tests.get_supabase_uid('host') || '/' || pg_temp.s(1) || '/moved.pdf', pg_temp.s(1)), 'service_role'),
  '22023', 'changing a row''s path to another uploader''s folder: 22023');
-- A row pointing at Pat's object, forced past the check (as if it predated it): Sam still gets nothing.
set local session_replication_role = replica;
insert into public.session_files (session_id, uploader_profile_id, file_name, storage_path)
values (pg_temp.s(4), tests.get_supabase_uid('stranger'), 'stolen.pdf', pg_temp.pat_file());
set local session_replication_role = origin;
select is(pg_temp.storage_try('stranger', pg_temp.read('session-files', pg_temp.pat_file())), 'refused',
  'a session_files row of Sam''s session naming Pat''s object does not let Sam read it');
select is(pg_temp.storage_try('stranger', pg_temp.remove('session-files', pg_temp.pat_file())), 'refused',
  '... nor delete it');
select is(pg_temp.storage_try('stranger', pg_temp.list('session-files', tests.get_supabase_uid('uploader') || '/')), 'refused',
  '... nor list it');


-- Avatars -----------------------------------------------------------------------------------------
select is(pg_temp.storage_try(w, pg_temp.upload('avatars', f || '/avatar.png', w)), e, 'avatars upload as ' || w || ' into ' || d || ': ' || e)
from (values ('uploader', tests.get_supabase_uid('uploader')::text, 'their own folder', 'allowed'),
             ('stranger', tests.get_supabase_uid('uploader')::text, 'Pat''s folder', 'refused'),
             ('anon', 'anon', 'a folder', 'refused')) v(w, f, d, e);
select is(pg_temp.storage_try(w, pg_temp.read('avatars', tests.get_supabase_uid('host') || '/avatar.png')), 'allowed',
          'avatars: ' || w || ' reads Hana''s avatar')
from unnest(array['stranger', 'anon', 'service_role']) w;
select is(pg_temp.storage_try(w, pg_temp.upsert('avatars', tests.get_supabase_uid('host') || '/avatar.png')), e,
          'avatars replace Hana''s avatar as ' || w || ': ' || e)
from (values ('host', 'allowed'), ('stranger', 'refused'), ('anon', 'refused')) v(w, e);
select is(pg_temp.storage_try(w, pg_temp.remove('avatars', tests.get_supabase_uid('host') || '/avatar.png')), e,
          'avatars delete Hana''s avatar as ' || w || ': ' || e)
from (values ('host', 'allowed'), ('stranger', 'refused')) v(w, e);
select is(pg_temp.storage_try('uploader', pg_temp.upload('avatars', 'avatar.png', 'uploader')), 'refused',
  'avatars: an object outside any folder is refused');


-- session-summaries: the service role only --------------------------------------------------------
select is(pg_temp.storage_try(w, pg_temp.read('session-summaries', pg_temp.s(1) || '/final_summary.pdf')), e,
          'session-summaries read the final summary as ' || w || ': ' || e)
from (values ('host', 'refused'), ('uploader', 'refused'), ('anon', 'refused'), ('service_role', 'allowed')) v(w, e);
select is(pg_temp.storage_try(w, pg_temp.upload('session-summaries', pg_temp.s(1) || '/other.pdf', w)), e,
          'session-summaries upload as ' || w || ': ' || e)
from (values ('host', 'refused'), ('service_role', 'allowed')) v(w, e);


-- A deleted account: its files leave with it (migrations/…_user_data_deletion.sql): the
-- session_files row goes, and the object is queued for the backend to remove through Storage
select lives_ok(format('delete from auth.users where id = %L', tests.get_supabase_uid('uploader')),
  'deleting Pat''s account works');
select results_eq(format($$ select (select count(*) from public.session_files where session_id = %L and file_name = 'perspective.pdf'),
                                   (select count(*) from public.storage_deletion_queue where bucket_id = 'session-files' and object_name = %L) $$,
                         pg_temp.s(1), pg_temp.pat_file()),
  $$ values (0::bigint, 1::bigint) $$,
  'Pat''s session_files row is gone, and Pat''s object is in storage_deletion_queue');
select is(pg_temp.storage_try('host', pg_temp.read('session-files', pg_temp.pat_file())), 'allowed',
  'until the backend removes it, the host still reads Pat''s object of s1 (membership decides, not the row)');
select is(pg_temp.storage_try('host', pg_temp.remove('session-files', pg_temp.pat_file())), 'refused',
  '... and cannot delete it (only the service role, draining the queue, does)');
select is(pg_temp.storage_try('anon', pg_temp.read('avatars', tests.get_supabase_uid('uploader') || '/portrait.png')), 'refused',
  'Pat''s avatar went with the account: not found, public bucket or not');
select is((select count(*) from storage.objects where bucket_id = 'avatars'), 1::bigint, '... and nobody else''s avatar went with it');


-- Orphans: a deleted session leaves nothing readable -------------------------------------------------
delete from public.sessions where id = pg_temp.s(1);
select is(pg_temp.storage_try(w, pg_temp.read('session-files', pg_temp.pat_file())), 'refused',
          'after s1 is deleted, ' || w || ' cannot read its objects')
from unnest(array['host', 'uploader', 'part']) w;


-- The buckets and the catalog ----------------------------------------------------------------------
select results_eq($$ select id, public from storage.buckets where id in ('session-files', 'session-summaries', 'avatars') order by id $$,
  $$ values ('avatars'::text, true), ('session-files', false), ('session-summaries', false) $$,
  'buckets: avatars public, session-files and session-summaries private');
select is_empty($$ select policyname from pg_policies where schemaname = 'storage' and tablename = 'objects'
                   and (roles = '{public}' or qual ~ 'session-summaries' or with_check ~ 'session-summaries') $$,
  'every storage.objects policy names its role; none opens session-summaries');
select is_empty($$ select policyname from pg_policies where schemaname = 'storage' and tablename = 'objects'
                   and 'anon' = any (roles) and cmd <> 'SELECT' $$,
  'anon has no write policy on storage.objects');
select ok(not has_function_privilege('public', f, 'execute') and not has_function_privilege('anon', f, 'execute')
          and has_function_privilege('authenticated', f, 'execute'),
          f || ': authenticated, not PUBLIC or anon')
from unnest(array['convo.session_id_of_path(text)', 'convo.my_uploadable_session_ids()']) f;
select results_eq($$ select convo.session_id_of_path(p) from (values
                       ('u/5e580000-0000-4000-8000-000000000001/f.pdf'), ('u/5e580000-0000-4000-8000-000000000001/d/f.pdf'),
                       ('u/5e580000-0000-4000-8000-000000000001'), ('u//5e580000-0000-4000-8000-000000000001/f'),
                       ('u/5e580000-0000-4000-8000-000000000001/./f'), (null)) v(p) $$,
  $$ values ('5e580000-0000-4000-8000-000000000001'::uuid), ('5e580000-0000-4000-8000-000000000001'), (null), (null), (null), (null) $$,
  'convo.session_id_of_path: the second segment of a well-formed path only');

select * from finish();
rollback;
