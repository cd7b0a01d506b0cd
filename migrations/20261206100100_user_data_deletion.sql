-- Users' data (issue 23), 2/3: deleting an account leaves nothing behind.
--
-- One path for every deletion: delete_my_account deletes the auth.users row, exactly as an admin
-- does (Supabase dashboard, auth.admin.deleteUser). A BEFORE DELETE trigger on auth.users
-- handles what the foreign keys cannot, then the cascades remove the rest:
--   * their messages in other people's mediated sessions are redacted: the row keeps its place
--     in the transcript (time, type) so the others' replies still read in order, but its text,
--     sentiment and author are removed (content '', profile_id null, is_edited true);
--   * sessions they host go with them, everyone's rows in them included (a mediated session
--     belongs to its host: 20261122040000_mediation.sql);
--   * files they uploaded to other people's sessions are deleted, their paths queued;
--   * invitations addressed to their email are deleted (invitations they sent lose the link);
--   * their token usage rows (no foreign key: subject_id) are deleted;
--   * their Storage objects are queued in public.storage_deletion_queue for a backend to remove
--     through the Storage API (Storage objects are never deleted by SQL).

-- ============================================================================================
-- storage_deletion_queue
-- ============================================================================================
create table public.storage_deletion_queue (
  id bigint generated always as identity,
  -- null: the object's bucket is not known to the database (no storage.objects, or a path from
  -- session_files): remove the path from every bucket the app uses
  bucket_id text,
  object_name text not null,
  -- true: object_name is a folder ('<user id>/'): remove everything under it
  is_prefix boolean not null default false,
  queued_at timestamptz not null default now(),
  constraint storage_deletion_queue_pkey primary key (id),
  constraint storage_deletion_queue_object_name_check check (object_name <> ''),
  constraint storage_deletion_queue_prefix_check check (not is_prefix or object_name like '%/')
);
alter table public.storage_deletion_queue enable row level security;
-- the backend drains it with the service role: read, remove through the Storage API, delete the row
revoke all on public.storage_deletion_queue from anon, authenticated;
revoke all on public.storage_deletion_queue from service_role;
grant select, delete on public.storage_deletion_queue to service_role;
create index idx_storage_deletion_queue_queued on public.storage_deletion_queue (queued_at, id);
select convo.install_fill_column_defaults('public.storage_deletion_queue');
comment on table public.storage_deletion_queue is
  'Storage objects of deleted accounts, to be removed through the Storage API by a backend (service role): select rows, remove (bucket_id, object_name) or, for is_prefix, every object under object_name, then delete the rows. bucket_id null: every bucket the app uses. Filled by account deletion only.';

-- ============================================================================================
-- The deletion trigger on auth.users
-- ============================================================================================
create function convo.erase_user_data(p_user uuid, p_email text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_redacted bigint;
  v_invitations bigint;
  v_queued bigint := 0;
  v_n bigint;
  v_hosted bigint;
begin
  select count(*) into v_hosted from public.sessions s where s.host_id = p_user;

  -- messages in sessions hosted by someone else (the hosted ones go with the session)
  update public.session_messages m
     set content = '', sentiment_analysis = null, profile_id = null, session_participant_id = null
    from public.sessions s
   where m.profile_id = p_user and s.id = m.session_id and s.host_id <> p_user;
  get diagnostics v_redacted = row_count;

  -- Storage: every object under the user's folder where storage.objects is there, else the
  -- folder itself (the Storage convention '<user id>/...', in any bucket)
  if to_regclass('storage.objects') is not null then
    execute $q$
      insert into public.storage_deletion_queue (bucket_id, object_name)
      select o.bucket_id, o.name from storage.objects o where o.name like $1 || '/%'
    $q$ using p_user::text;
    get diagnostics v_n = row_count;
    v_queued := v_queued + v_n;
  else
    insert into public.storage_deletion_queue (bucket_id, object_name, is_prefix)
    values (null, p_user::text || '/', true);
    v_queued := 1;
  end if;

  -- files they uploaded to others' sessions (their own sessions' files go with the session)
  with gone as (
    delete from public.session_files f
     using public.sessions s
     where f.uploader_profile_id = p_user and s.id = f.session_id and s.host_id <> p_user
    returning f.storage_path
  )
  insert into public.storage_deletion_queue (bucket_id, object_name)
  select null, g.storage_path from gone g
   where g.storage_path not like p_user::text || '/%';   -- already queued with its folder
  get diagnostics v_n = row_count;
  v_queued := v_queued + v_n;

  delete from public.session_invitations i where v_email is not null and i.email = v_email;
  get diagnostics v_invitations = row_count;

  delete from public.token_usage_daily u where u.subject_kind = 'user' and u.subject_id = p_user;

  return jsonb_build_object(
    'user_id', p_user,
    'hosted_sessions_deleted', v_hosted,
    'messages_redacted', v_redacted,
    'invitations_deleted', v_invitations,
    'storage_objects_queued', v_queued);
end
$$;
comment on function convo.erase_user_data(uuid, text) is
  'What deleting auth user p_user does beyond the foreign keys (see 20261206100100_user_data_deletion.sql): redacts their messages in others'' mediated sessions, deletes their files there, invitations to p_email and token usage, and queues their Storage objects. Returns a summary.';
revoke execute on function convo.erase_user_data(uuid, text) from public;

create function convo.auth_user_before_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- the summary, for delete_my_account in the same transaction
  perform set_config('convo.account_deletion', convo.erase_user_data(old.id, old.email)::text, true);
  return old;
end
$$;
comment on function convo.auth_user_before_delete() is
  'BEFORE DELETE on auth.users: convo.erase_user_data for the user, whoever deletes them (delete_my_account or an admin).';
revoke execute on function convo.auth_user_before_delete() from public;

create trigger on_auth_user_deleted
  before delete on auth.users
  for each row execute function convo.auth_user_before_delete();

-- ============================================================================================
-- delete_my_account
-- ============================================================================================
create function convo.delete_account(p_user_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  perform set_config('convo.account_deletion', '', true);
  delete from auth.users u where u.id = v_user;
  if not found then
    raise exception 'no such user' using errcode = 'PT404';
  end if;
  return nullif(current_setting('convo.account_deletion', true), '')::jsonb;
end
$$;
comment on function convo.delete_account(uuid) is
  'Deletes auth user p_user_id (acting-user rule applies) and so everything about them; see public.delete_my_account.';
revoke execute on function convo.delete_account(uuid) from public;
grant execute on function convo.delete_account(uuid) to authenticated, service_role;

-- p_confirm is a phrase, not a boolean: generic tooling (an API explorer, a test generator, a
-- retry with default arguments) sends `true` easily, never this text.
create function public.delete_my_account(p_confirm text default null, p_user_id uuid default null)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  if p_confirm is distinct from 'delete my account' then
    raise exception 'p_confirm must be the text ''delete my account'': deleting an account cannot be undone'
      using errcode = '22023';
  end if;
  return convo.delete_account(v_user);
end
$$;
comment on function public.delete_my_account(text, uuid) is
  'Deletes the acting user''s account and every row about them, exactly as deleting the auth user does: their messages in others'' mediated sessions are redacted (kept in place, text and author removed), sessions they host are deleted, invitations to their email are deleted, their Storage objects are queued in storage_deletion_queue. p_confirm must be the text ''delete my account'' (else 400). A signed-in user deletes themselves (another p_user_id: 403); the service role names the user (unknown: 404). Returns a summary.';
revoke execute on function public.delete_my_account(text, uuid) from public, anon;
grant execute on function public.delete_my_account(text, uuid) to authenticated, service_role;
