-- Files and live sessions (issue 21), 1: Storage. The buckets Understand.me uploads into, the
-- policies on storage.objects that decide what the Storage server lets each caller do, and the
-- rule that a session_files row names an object in its uploader's own folder of its own session.
--
-- How the Storage server decides: for each request it opens a transaction, sets the caller's role
-- (anon / authenticated / service_role) and JWT claims (request.jwt.claims, request.jwt.claim.sub,
-- request.jwt.claim.role) and runs plain SQL on storage.objects: INSERT for an upload,
-- INSERT … ON CONFLICT (bucket_id, name) DO UPDATE for an upsert, SELECT by (bucket_id, name) for a
-- download or a signed URL, DELETE … RETURNING for remove(), a prefix SELECT for list(). RLS on
-- storage.objects is the whole access decision (the service role bypasses it). A public bucket's
-- getPublicUrl() is served without a policy.
--
-- Object paths are the app's: '<uploader uid>/<session id>/<timestamp>_<file name>' in
-- session-files, '<uid>/<file name>' in avatars. The policies read the session id from the path
-- and ask who is in that session now (convo.my_session_ids()); they never consult session_files,
-- so no row there can grant access to an object.
--
-- What happens to objects when their session or account goes:
--   * a session deleted (by the service role, or with its host's account): its objects stay in
--     the bucket but nobody can read, list, overwrite or delete them through the API any more
--     (the membership the policies ask about is gone); the backend removes the bytes with
--     storage.from('session-files').remove(paths) under the '<uid>/<session id>/' prefixes;
--   * an account deleted: its objects in sessions that go on (hosted by someone else) stay the
--     session's, readable by its members as before (session_files keeps the row, uploader null);
--     nobody can overwrite or delete them any more but the service role;
--   * avatars: a deleted account's '<uid>/…' objects lose their storage.objects rows with the
--     profile (below), so the Storage server no longer finds them, public URL included; the bytes
--     stay in the bucket's backing store until the backend removes them.


-- The buckets ------------------------------------------------------------------------------------
-- session-files: private; the policies below.  session-summaries: private, no policy at all (the
-- backend with the service key reads and writes).  avatars: public read, each user writes their own folder.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('session-files', 'session-files', false, 52428800, null),
  ('session-summaries', 'session-summaries', false, 52428800, array['application/pdf', 'application/json', 'text/plain', 'text/markdown']),
  ('avatars', 'avatars', true, 5242880, array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do update
  set public = excluded.public,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;


-- Path helpers -----------------------------------------------------------------------------------

-- The session a session-files path belongs to: the uuid in its second segment, when the path is
-- '<uid>/<session id>/<name>[/…]' with no empty, '.' or '..' segment; null otherwise (so a
-- malformed path matches no session and no policy).
create function convo.session_id_of_path(p_name text)
returns uuid
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when p_name ~ '^[^/]+/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/[^/]+(/[^/]+)*$'
         and not ('.' = any (string_to_array(p_name, '/')) or '..' = any (string_to_array(p_name, '/')))
    then split_part(p_name, '/', 2)::uuid
  end
$$;
comment on function convo.session_id_of_path(text) is
  'The session id of a session-files object path ''<uid>/<session id>/<file name>'': its second segment; null for any other shape (empty, ''.'' or ''..'' segments, fewer than three segments, no uuid).';
revoke execute on function convo.session_id_of_path(text) from public;
grant execute on function convo.session_id_of_path(text) to authenticated, service_role;

-- The sessions the caller may upload files into now: the sessions they host, and those they take
-- part in (accepted, role participant) when the session type lets participants upload (the same
-- rule as inserting a session_files row); never a cancelled session. Set form, for
-- `x = any (array(select …))` in a policy: evaluated once per statement.
create function convo.my_uploadable_session_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.id
  from public.session_participants sp
  join public.sessions s on s.id = sp.session_id
  where sp.profile_id = (select auth.uid())
    and sp.invitation_status = 'accepted'
    and s.status <> 'cancelled'
    and (sp.role = 'host'
         or (sp.role = 'participant' and convo.session_type_allows_participant_uploads(s.session_type)))
$$;
comment on function convo.my_uploadable_session_ids() is
  'The sessions the signed-in user may upload session files into now: hosted, or taken part in (accepted participant) when the session type allows participant uploads; not cancelled.';
revoke execute on function convo.my_uploadable_session_ids() from public;
grant execute on function convo.my_uploadable_session_ids() to authenticated, service_role;


-- storage.objects: session-files -----------------------------------------------------------------
--   read (download, signed URL, list): the session's host and accepted participants
--   upload: into '<own uid>/<session id>/…' of a session in convo.my_uploadable_session_ids()
--   overwrite (upsert, update) and delete: the uploader, their own folder, while still a member
--   anyone else, anon included: nothing

create policy "Session members can read session files" on storage.objects
  for select to authenticated
  using (
    bucket_id = 'session-files'
    and convo.session_id_of_path(name) = any (array(select convo.my_session_ids()))
  );

create policy "Members can upload session files into their own folder" on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'session-files'
    and split_part(name, '/', 1) = (select auth.uid())::text
    and convo.session_id_of_path(name) = any (array(select convo.my_uploadable_session_ids()))
  );

create policy "Uploaders can overwrite their own session files" on storage.objects
  for update to authenticated
  using (
    bucket_id = 'session-files'
    and split_part(name, '/', 1) = (select auth.uid())::text
    and convo.session_id_of_path(name) = any (array(select convo.my_session_ids()))
  )
  with check (
    bucket_id = 'session-files'
    and split_part(name, '/', 1) = (select auth.uid())::text
    and convo.session_id_of_path(name) = any (array(select convo.my_uploadable_session_ids()))
  );

create policy "Uploaders can delete their own session files" on storage.objects
  for delete to authenticated
  using (
    bucket_id = 'session-files'
    and split_part(name, '/', 1) = (select auth.uid())::text
    and convo.session_id_of_path(name) = any (array(select convo.my_session_ids()))
  );


-- storage.objects: avatars -----------------------------------------------------------------------
--   read: anyone (the bucket is public too: getPublicUrl needs no policy)
--   upload, overwrite, delete: a signed-in user, in their own folder '<uid>/…'

create policy "Anyone can read avatars" on storage.objects
  for select to anon, authenticated
  using (bucket_id = 'avatars');

create policy "Users can upload their own avatar" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Users can replace their own avatar" on storage.objects
  for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Users can delete their own avatar" on storage.objects
  for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- session-summaries: no policy. Only the service role (BYPASSRLS) reads and writes it.


-- session_files.storage_path: the uploader's own folder of the row's session -----------------------
-- Before this, a user could record a session_files row whose storage_path was someone else's
-- object. The policies above do not trust such rows; this keeps the table honest too: the path
-- is '<uploader_profile_id>/<session_id>/<file name>' (the object's path in session-files), so a
-- row can only ever name an object its uploader could have uploaded into that session. Checked
-- on insert and whenever the path, the session or the uploader changes (except when a deleted
-- account sets the uploader to null: the path stays what it was). Applies to the service role too.
create function convo.session_files_check_storage_path()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- a deleted account's files keep their path (session_files_uploader_profile_id_fkey: set null)
  if tg_op = 'UPDATE' and new.uploader_profile_id is null
     and new.storage_path = old.storage_path and new.session_id = old.session_id then
    return new;
  end if;
  if new.uploader_profile_id is null
     or split_part(new.storage_path, '/', 1) <> new.uploader_profile_id::text
     or convo.session_id_of_path(new.storage_path) is distinct from new.session_id then
    raise exception 'storage_path must be <uploader_profile_id>/<session_id>/<file name>'
      using errcode = '22023',
            hint = 'Upload into session-files under your own user id and the session id, then record that path.';
  end if;
  return new;
end
$$;
comment on function convo.session_files_check_storage_path() is
  'BEFORE INSERT OR UPDATE OF storage_path, session_id, uploader_profile_id on public.session_files: storage_path must be <uploader_profile_id>/<session_id>/<file name> (22023 otherwise).';
revoke execute on function convo.session_files_check_storage_path() from public;

create trigger session_files_check_storage_path
  before insert or update of storage_path, session_id, uploader_profile_id on public.session_files
  for each row execute function convo.session_files_check_storage_path();

comment on column public.session_files.storage_path is
  'The object''s path in the session-files bucket: <uploader_profile_id>/<session_id>/<file name> (anything else → 400, 22023).';


-- A deleted account's avatars ------------------------------------------------------------------------
-- The avatars bucket is public: Storage serves any object whose row it finds, without a policy.
-- So when a profile goes (with its auth user), its avatar objects' rows go too. Where the Storage
-- server forbids deleting rows directly (storage.allow_delete_query), the account deletion still
-- succeeds and says, as a warning, that the avatars are left to the backend.
create function convo.profiles_remove_avatar_objects()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  begin
    perform set_config('storage.allow_delete_query', 'true', true);
    delete from storage.objects
    where bucket_id = 'avatars' and split_part(name, '/', 1) = old.id::text;
  exception when others then
    raise warning 'the avatars of a deleted profile are left in storage (remove them with the Storage API)'
      using detail = sqlstate || ': ' || sqlerrm;
  end;
  return null;
end
$$;
comment on function convo.profiles_remove_avatar_objects() is
  'AFTER DELETE on public.profiles: removes the storage.objects rows of the profile''s avatars (bucket avatars, folder <id>/), so a deleted account''s avatar is no longer served.';
revoke execute on function convo.profiles_remove_avatar_objects() from public;

create trigger profiles_remove_avatar_objects
  after delete on public.profiles
  for each row execute function convo.profiles_remove_avatar_objects();
