-- Files and live sessions (domain 08): the Storage buckets Understand.me uploads into and the
-- policies on storage.objects that decide what the Storage server lets each caller do; the rule
-- that a session_files row names an object in its uploader's own folder of its own session;
-- Realtime: the private Broadcast channels 'session:<id>' and the trigger that broadcasts each new
-- session message; the session-type templates. The schema as it stands; the steps to it are the
-- migrations of domain number 08 (20261206080100_files_storage, 20261206080200_files_live_sessions,
-- 20261206080300_files_session_type_templates).
--
-- Relies on: domain 04 (sessions, session_participants, session_messages, session_files,
-- convo.my_session_ids(), convo.session_type_allows_participant_uploads()), and on what Supabase
-- has and sql/supabase_bootstrap.sql creates where missing: storage.buckets, storage.objects,
-- storage.foldername(), realtime.messages, realtime.topic(), the supabase_realtime publication.
--
-- How the Storage server decides: for each request it sets the caller's role and JWT claims and
-- runs plain SQL on storage.objects (INSERT for an upload, INSERT … ON CONFLICT DO UPDATE for an
-- upsert, SELECT for a download / signed URL / list, DELETE … RETURNING for remove()); RLS on
-- storage.objects is the whole decision (the service role bypasses it). Object paths are the
-- app's: '<uploader uid>/<session id>/<timestamp>_<file name>' in session-files, '<uid>/<file>' in
-- avatars. The policies read the session id from the path and ask who is in that session now;
-- they never consult session_files, so no row there can grant access to an object.
--
-- Realtime: postgres_changes needs wal_level = logical, wal2json, and session_messages /
-- session_participants in the supabase_realtime publication (added by domain 04; re-checked by
-- 20261206080200). Realtime selects each changed row by primary key as the subscriber: RLS decides.
-- DELETE events are not filtered by RLS. Broadcast on private channels is authorized by the
-- policies on realtime.messages below.
--
-- What happens to objects when their session or account goes: see the README, section Files.


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


-- session_files.storage_path (a table of domain 04) -----------------------------------------------
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


-- public.profiles (a table of domain 01): a deleted account's avatars ---------------------------------
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


-- Realtime ------------------------------------------------------------------------------------
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


-- session_type_templates -----------------------------------------------------------------------
-- The kinds of mediated session a host can start (sessions.session_type), read by the app to
-- prefill a new session's goals and rules.
--   select: signed-in users, the active templates
--   insert / update / delete: the service role only (the product's catalogue, not users' data)

create table public.session_type_templates (
  key text not null,
  title text not null,
  description text,
  default_goals jsonb not null default '[]',
  default_rules jsonb not null default '[]',
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  constraint session_type_templates_pkey primary key (key),
  -- the value sessions.session_type takes: a short snake_case name
  constraint session_type_templates_key_check check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  constraint session_type_templates_key_length_check check (char_length(key) <= 63),
  constraint session_type_templates_title_length_check check (char_length(title) <= 200),
  constraint session_type_templates_description_length_check check (char_length(description) <= 4000),
  constraint session_type_templates_default_goals_check check (jsonb_typeof(default_goals) = 'array'),
  constraint session_type_templates_default_goals_length_check check (octet_length(default_goals::text) <= 65536),
  constraint session_type_templates_default_rules_check check (jsonb_typeof(default_rules) = 'array'),
  constraint session_type_templates_default_rules_length_check check (octet_length(default_rules::text) <= 65536)
);

alter table public.session_type_templates enable row level security;

create policy "Signed-in users can read the active session types" on public.session_type_templates
  for select to authenticated
  using (is_active);

create index idx_session_type_templates_active on public.session_type_templates (sort_order, key) where is_active;

revoke all on public.session_type_templates from anon, authenticated;
grant select on public.session_type_templates to authenticated;
grant all on public.session_type_templates to service_role;

select convo.install_keep_server_columns('public.session_type_templates', array['created_at']);
select convo.install_fill_column_defaults('public.session_type_templates');

comment on table public.session_type_templates is
  'The kinds of mediated session (sessions.session_type), with the goals and rules a new session of that kind starts with. Signed-in users read the active ones; the service role maintains them.';
comment on column public.session_type_templates.key is 'The value of sessions.session_type, e.g. mediated_discussion.';
comment on column public.session_type_templates.default_goals is 'JSON array of strings: a new session''s goals.';
comment on column public.session_type_templates.default_rules is 'JSON array of strings: a new session''s rules.';
comment on column public.session_type_templates.is_active is 'Inactive types are hidden from users (kept for the sessions that use them).';
comment on column public.session_type_templates.sort_order is 'The order the app lists the types in (ascending).';

-- The two types the Understand.me guide names. Participants upload their own files in both
-- (convo.session_type_allows_participant_uploads).
insert into public.session_type_templates (key, title, description, default_goals, default_rules, sort_order) values
  ('mediated_discussion', 'Mediated discussion',
   'Two or more people talk a disagreement through with Alex, the AI mediator, who keeps turns fair and sums up where they stand.',
   '["Each person states their perspective", "Find the points everyone agrees on", "Agree on next steps"]',
   '["One person speaks at a time", "Speak about your own experience", "No interrupting"]',
   10),
  ('problem_solving', 'Problem solving',
   'A group works on a shared problem with Alex guiding them from the problem statement to options and a decision.',
   '["Define the problem together", "Collect options", "Choose an option and owners"]',
   '["Build on each other''s ideas", "Critique ideas, not people", "Stay on the problem at hand"]',
   20);
