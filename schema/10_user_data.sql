-- Domain 10, users' data: the current state of every object its migrations create or change,
-- in one readable file (migrations/2026120610*_user_data_*.sql are what databases apply; this
-- file is what they amount to today). Objects of other domains this domain changes:
--   * public.plan_token_limits: column chat_history_days and its check (section 3);
--   * public.delete_old_messages(uuid, integer): now the sms_messages case of retention (section 3);
--   * auth.users: trigger on_auth_user_deleted (section 2).
-- Sections: 1. the registry of user columns and export_my_data; 2. account deletion and the
-- Storage queue; 3. retention windows, apply_retention, the pg_cron job.


-- ############################################################################################
-- from 20261206100000_user_data_export.sql

-- ############################################################################################
-- from 20261206100000_user_data_export.sql
-- ############################################################################################
-- Users' data (issue 23), 1/3: what pg_convo holds about a user, and its export.
--
--   * convo.user_data_columns: every column in public that points at a user (a foreign key to
--     auth.users / public.profiles, a subject id, an address), with the export section that
--     carries its rows and what deleting the account does to them. pgrx-tests/A0_user_data.sql
--     compares it with the catalog, so a new table with a user column that is not listed here
--     (or whose section is missing from the export) fails the suite.
--   * export_my_data(p_user_id): one JSON document with every row about the acting user.

-- ============================================================================================
-- The registry of user columns
-- ============================================================================================
create table convo.user_data_columns (
  table_name text not null,
  column_name text not null,
  -- the key of the export document that carries these rows; null: the column never holds an
  -- auth user (reason says why)
  export_section text,
  -- what delete_my_account (= deleting the auth user) does to the rows
  on_account_deletion text not null,
  reason text,
  constraint user_data_columns_pkey primary key (table_name, column_name),
  constraint user_data_columns_on_account_deletion_check check (on_account_deletion in
    ('deleted', 'redacted', 'unlinked', 'not a user column')),
  constraint user_data_columns_section_check check (
    (export_section is null) = (on_account_deletion = 'not a user column')),
  constraint user_data_columns_reason_check check (export_section is not null or reason is not null)
);
comment on table convo.user_data_columns is
  'Every column of a public table that points at a user, with the export_my_data section holding its rows and what account deletion does to them (deleted, redacted: kept with the text removed, unlinked: kept with the column set to null). pgrx-tests/A0_user_data.sql fails when a table with a user column is missing here.';
revoke all on convo.user_data_columns from public;
grant select on convo.user_data_columns to service_role;

insert into convo.user_data_columns (table_name, column_name, export_section, on_account_deletion, reason) values
  ('profiles', 'id', 'profile', 'deleted', null),
  ('profiles', 'email', 'profile', 'deleted', null),
  ('chat_sessions', 'user_id', 'chat_sessions', 'deleted', null),
  ('chat_messages', 'user_id', 'chat_messages', 'deleted', null),
  ('chat_summaries', 'user_id', 'chat_summaries', 'deleted', null),
  ('message_feedback', 'user_id', 'message_feedback', 'deleted', null),
  ('user_memories', 'user_id', 'user_memories', 'deleted', null),
  ('agent_analyses', 'user_id', 'agent_analyses', 'deleted', null),
  ('music_listening_history', 'user_id', 'music_listening_history', 'deleted', null),
  ('music_recommendations', 'user_id', 'music_recommendations', 'deleted', null),
  ('music_interactions', 'user_id', 'music_interactions', 'deleted', null),
  ('music_genre_preferences', 'user_id', 'music_genre_preferences', 'deleted', null),
  ('music_rl_models', 'user_id', 'music_rl_models', 'deleted', null),
  -- a mediated session belongs to its host (landed decision, 20261122040000_mediation.sql):
  -- it goes with the host's account, with everyone's messages in it
  ('sessions', 'host_id', 'hosted_sessions', 'deleted', null),
  ('session_participants', 'profile_id', 'session_participations', 'deleted', null),
  -- the others' transcript stays whole: the message keeps its place, loses its text and author
  ('session_messages', 'profile_id', 'session_messages', 'redacted', null),
  ('session_files', 'uploader_profile_id', 'session_files', 'deleted', null),
  ('session_invitations', 'invited_by', 'session_invitations_sent', 'unlinked', null),
  ('session_invitations', 'email', 'session_invitations_received', 'deleted', null),
  ('growth_insights', 'profile_id', 'growth_insights', 'deleted', null),
  ('achievements', 'profile_id', 'achievements', 'deleted', null),
  ('session_evaluations', 'evaluator_profile_id', 'session_evaluations', 'deleted', null),
  ('user_personas', 'user_id', 'user_personas', 'deleted', null),
  ('onboarding_profiles', 'user_id', 'onboarding_profiles', 'deleted', null),
  ('ritual_preferences', 'user_id', 'ritual_preferences', 'deleted', null),
  ('user_emotional_categories', 'user_id', 'user_emotional_categories', 'deleted', null),
  ('user_goals', 'user_id', 'user_goals', 'deleted', null),
  ('mentor_conversations', 'user_id', 'mentor_conversations', 'deleted', null),
  ('daily_sessions', 'user_id', 'daily_sessions', 'deleted', null),
  ('token_usage_daily', 'subject_id', 'token_usage', 'deleted', null),
  ('user_token_limits', 'user_id', 'token_limit', 'deleted', null),
  -- the web assistant's and the SMS agent's people have no Supabase login
  ('clients', 'email', null, 'not a user column',
   'a web assistant customer (no Supabase account); the backend manages clients'),
  ('reservations', 'email', null, 'not a user column',
   'the contact address of a web assistant reservation; deleted with its client');

-- ============================================================================================
-- export_my_data
-- ============================================================================================
-- SECURITY DEFINER: the export holds rows the API roles cannot select (auth.users' own row, the
-- user's invitations by address, Storage metadata). Rows come out as stored, minus derived
-- search columns (embedding, message_tsv), oldest first.
create function convo.export_user_data(p_user_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_email text;
  v_doc jsonb;
  v_storage jsonb := '[]';
begin
  select lower(btrim(u.email)) into v_email from auth.users u where u.id = v_user;
  if not found then
    raise exception 'no such user' using errcode = 'PT404';
  end if;

  -- Storage metadata, where Supabase Storage is there (storage.objects: whatever columns this
  -- version of Storage has; only bucket_id and name are relied on); the objects themselves are
  -- downloaded through the Storage API
  if to_regclass('storage.objects') is not null then
    execute $q$
      select coalesce(jsonb_agg(to_jsonb(o) order by o.bucket_id, o.name), '[]')
      from storage.objects o where o.name like $1 || '/%'
    $q$ into v_storage using v_user::text;
  end if;

  select jsonb_build_object(
    'format', 'pg_convo.export.v1',
    'exported_at', now(),
    'user', (select jsonb_build_object('id', u.id, 'email', u.email, 'phone', u.phone,
               'created_at', u.created_at, 'email_confirmed_at', u.email_confirmed_at,
               'user_metadata', u.raw_user_meta_data)
             from auth.users u where u.id = v_user),
    'profile', (select to_jsonb(p) from public.profiles p where p.id = v_user),
    'chat_sessions', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.chat_sessions t where t.user_id = v_user), '[]'),
    'chat_messages', coalesce((select jsonb_agg(to_jsonb(t) - 'embedding' - 'message_tsv' order by t."timestamp", t.id)
      from public.chat_messages t where t.user_id = v_user), '[]'),
    'chat_summaries', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.chat_summaries t where t.user_id = v_user), '[]'),
    'message_feedback', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.message_feedback t where t.user_id = v_user), '[]'),
    'user_memories', coalesce((select jsonb_agg(to_jsonb(t) - 'embedding' order by t.created_at, t.id)
      from public.user_memories t where t.user_id = v_user), '[]'),
    'agent_analyses', coalesce((select jsonb_agg(to_jsonb(t) order by t.agent_type)
      from public.agent_analyses t where t.user_id = v_user), '[]'),
    'music_listening_history', coalesce((select jsonb_agg(to_jsonb(t) order by t.played_at, t.id)
      from public.music_listening_history t where t.user_id = v_user), '[]'),
    'music_recommendations', coalesce((select jsonb_agg(to_jsonb(t) order by t.recommended_at, t.id)
      from public.music_recommendations t where t.user_id = v_user), '[]'),
    'music_interactions', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.music_interactions t where t.user_id = v_user), '[]'),
    'music_genre_preferences', coalesce((select jsonb_agg(to_jsonb(t) order by t.genre)
      from public.music_genre_preferences t where t.user_id = v_user), '[]'),
    'music_rl_models', coalesce((select jsonb_agg(to_jsonb(t) order by t.version)
      from public.music_rl_models t where t.user_id = v_user), '[]'),
    -- mediated sessions: those they host (the whole session: it is theirs), their own
    -- participation rows, and their own messages, files and evaluations anywhere; never the
    -- other participants' messages
    'hosted_sessions', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.sessions t where t.host_id = v_user), '[]'),
    'session_participations', coalesce((select jsonb_agg(to_jsonb(t) order by t.id)
      from public.session_participants t where t.profile_id = v_user), '[]'),
    'session_messages', coalesce((select jsonb_agg(to_jsonb(t) order by t."timestamp", t.id)
      from public.session_messages t where t.profile_id = v_user), '[]'),
    'session_files', coalesce((select jsonb_agg(to_jsonb(t) order by t.uploaded_at, t.id)
      from public.session_files t where t.uploader_profile_id = v_user), '[]'),
    'session_invitations_sent', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.session_invitations t where t.invited_by = v_user), '[]'),
    'session_invitations_received', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.session_invitations t where v_email is not null and t.email = v_email), '[]'),
    'session_evaluations', coalesce((select jsonb_agg(to_jsonb(t) order by t.submitted_at, t.id)
      from public.session_evaluations t where t.evaluator_profile_id = v_user), '[]'),
    'growth_insights', coalesce((select jsonb_agg(to_jsonb(t) order by t.generated_at, t.id)
      from public.growth_insights t where t.profile_id = v_user), '[]'),
    'achievements', coalesce((select jsonb_agg(to_jsonb(t) order by t.achieved_at, t.id)
      from public.achievements t where t.profile_id = v_user), '[]'),
    'user_personas', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.user_personas t where t.user_id = v_user), '[]'),
    'onboarding_profiles', coalesce((select jsonb_agg(to_jsonb(t))
      from public.onboarding_profiles t where t.user_id = v_user), '[]'),
    'ritual_preferences', coalesce((select jsonb_agg(to_jsonb(t))
      from public.ritual_preferences t where t.user_id = v_user), '[]'),
    'user_emotional_categories', coalesce((select jsonb_agg(to_jsonb(t) order by t.priority, t.category)
      from public.user_emotional_categories t where t.user_id = v_user), '[]'),
    'user_goals', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at, t.id)
      from public.user_goals t where t.user_id = v_user), '[]'),
    'mentor_conversations', coalesce((select jsonb_agg(to_jsonb(t) order by t.start_time, t.id)
      from public.mentor_conversations t where t.user_id = v_user), '[]'),
    'daily_sessions', coalesce((select jsonb_agg(to_jsonb(t) order by t.session_date, t.id)
      from public.daily_sessions t where t.user_id = v_user), '[]'),
    'token_usage', coalesce((select jsonb_agg(to_jsonb(t) - 'subject_kind' order by t.usage_date)
      from public.token_usage_daily t where t.subject_kind = 'user' and t.subject_id = v_user), '[]'),
    'token_limit', coalesce((select jsonb_agg(to_jsonb(t))
      from public.user_token_limits t where t.user_id = v_user), '[]'),
    'storage_objects', v_storage
  ) into v_doc;
  return v_doc;
end
$$;
comment on function convo.export_user_data(uuid) is
  'The export document of user p_user_id (acting-user rule applies); see public.export_my_data.';
revoke execute on function convo.export_user_data(uuid) from public;
grant execute on function convo.export_user_data(uuid) to authenticated, service_role;

create function public.export_my_data(p_user_id uuid default null)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return convo.export_user_data(convo.acting_user(p_user_id));
end
$$;
comment on function public.export_my_data(uuid) is
  'Everything pg_convo holds about the acting user as one JSON document (format pg_convo.export.v1): user, profile, then one array per table (chat, memories, analyses, music, mediated sessions they host, their own participations/messages/files/evaluations in any session, invitations sent and received, mentor data, token usage, Storage object metadata under their folder). A signed-in user exports themselves (another p_user_id: 403); the service role names the user (p_user_id; unknown: 404). STABLE: callable with GET.';
revoke execute on function public.export_my_data(uuid) from public, anon;
grant execute on function public.export_my_data(uuid) to authenticated, service_role;

-- ############################################################################################
-- from 20261206100100_user_data_deletion.sql
-- ############################################################################################
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

-- ############################################################################################
-- from 20261206100200_user_data_retention.sql
-- ############################################################################################
-- Users' data (issue 23), 3/3: retention windows, applied in small batches, daily with pg_cron.
--
--   * public.retention_windows: how many days each kind of row is kept (null: forever);
--     plan_token_limits.chat_history_days: the web assistant's chat history per plan, beside the
--     plan's token limit.
--   * convo.expire_rows: one batch of one kind (delete_old_messages is its SMS case);
--     apply_retention: every window, batch after batch, or a dry run that only counts;
--     convo.run_retention: the same with a commit after every batch (the scheduled job).
--   * pg_cron runs convo.run_retention daily where the extension is there (the stacks preload
--     it); without it nothing is scheduled and everything else works: call apply_retention from
--     any scheduler.
-- A batch takes its rows with FOR UPDATE SKIP LOCKED: a row a writer holds is left for the next
-- run, so retention never waits for a writer and a writer never waits more than one batch.

-- ============================================================================================
-- retention_windows
-- ============================================================================================
create table public.retention_windows (
  target text not null,
  keep_days integer,
  description text not null,
  constraint retention_windows_pkey primary key (target),
  constraint retention_windows_target_check check (target in ('chat_messages', 'sms_messages',
    'assistant_messages', 'token_usage', 'mentor_transcripts', 'user_memories', 'soul_memories',
    'music_listening_history', 'music_interactions')),
  -- a window of zero days or less would delete everything at the next run
  constraint retention_windows_keep_days_check check (keep_days > 0)
);
alter table public.retention_windows enable row level security;
revoke all on public.retention_windows from anon, authenticated;
revoke all on public.retention_windows from service_role;
-- the backend reads and sets the windows; the targets are the database's
grant select, update (keep_days) on public.retention_windows to service_role;
comment on table public.retention_windows is
  'How many days rows of each kind are kept (keep_days null: forever; zero or less: refused, 400). apply_retention and the daily pg_cron job delete what is older. The web assistant''s chat history goes by plan: plan_token_limits.chat_history_days. Service role: read, and update keep_days.';

insert into public.retention_windows (target, keep_days, description) values
  ('chat_messages', null, 'chat history of signed-in users (chat_messages by "timestamp")'),
  ('sms_messages', 90, 'the SMS agent''s messages (messages with a session_id, by created_at)'),
  ('assistant_messages', 30, 'the web assistant''s messages in conversations without a client (by created_at); conversations of a client follow plan_token_limits.chat_history_days'),
  ('token_usage', 400, 'daily token usage rows of every subject (token_usage_daily by usage_date)'),
  ('mentor_transcripts', 365, 'mentor transcripts: mentor_conversations.transcript (by end_time) and daily_sessions.transcript_data (by created_at) are cleared; the rows and summaries stay'),
  ('user_memories', null, 'what the assistant remembers about a user (by updated_at); kept unless configured'),
  ('soul_memories', null, 'the SMS agent''s soul memories (by updated_at); kept unless configured'),
  ('music_listening_history', null, 'Spotify plays (by played_at); kept unless configured'),
  ('music_interactions', null, 'music interactions (by created_at); kept unless configured (preferences learned from them stay)');

-- The web assistant's chat history, per plan, beside the plan's daily token limit.
alter table public.plan_token_limits add column chat_history_days integer;
alter table public.plan_token_limits
  add constraint plan_token_limits_chat_history_days_check check (chat_history_days > 0);
comment on column public.plan_token_limits.chat_history_days is
  'Days the web assistant keeps the messages of a client on this plan (null: forever; zero or less: refused). Applied by apply_retention.';
update public.plan_token_limits set chat_history_days = case plan when 'basic' then 90 else 365 end;

-- ============================================================================================
-- One batch of one kind
-- ============================================================================================
-- Rows of p_target older than p_cutoff: deletes (or, mentor_transcripts, clears) at most
-- p_limit of them (null: all), or only counts them when p_dry_run. p_session_id narrows
-- sms_messages to one SMS session (delete_old_messages); p_plan picks assistant_messages of
-- clients on that plan (null: conversations without a client).
create function convo.expire_rows(
  p_target text,
  p_cutoff timestamptz,
  p_limit integer default null,
  p_dry_run boolean default false,
  p_session_id uuid default null,
  p_plan text default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_n bigint;
  v_m bigint;
  v_limit bigint := coalesce(p_limit, 9223372036854775807);
begin
  if p_dry_run then
    case p_target
      when 'chat_messages' then
        select count(*) into v_n from public.chat_messages t where t."timestamp" < p_cutoff;
      when 'sms_messages' then
        select count(*) into v_n from public.messages t
         where t.session_id is not null and t.created_at < p_cutoff
           and (p_session_id is null or t.session_id = p_session_id);
      when 'assistant_messages' then
        select count(*) into v_n from public.messages t
          join public.conversations c on c.id = t.conversation_id
          left join public.clients cl on cl.id = c.client_id
         where t.created_at < p_cutoff and cl.plan is not distinct from p_plan;
      when 'token_usage' then
        select count(*) into v_n from public.token_usage_daily t
         where t.usage_date < (p_cutoff at time zone 'UTC')::date;
      when 'mentor_transcripts' then
        select (select count(*) from public.mentor_conversations t
                 where t.end_time < p_cutoff and (t.transcript is not null or t.recording_url is not null))
             + (select count(*) from public.daily_sessions t
                 where t.created_at < p_cutoff and t.transcript_data is not null)
          into v_n;
      when 'user_memories' then
        select count(*) into v_n from public.user_memories t where t.updated_at < p_cutoff;
      when 'soul_memories' then
        select count(*) into v_n from public.soul_memories t where t.updated_at < p_cutoff;
      when 'music_listening_history' then
        select count(*) into v_n from public.music_listening_history t where t.played_at < p_cutoff;
      when 'music_interactions' then
        select count(*) into v_n from public.music_interactions t where t.created_at < p_cutoff;
    end case;
    return v_n;
  end if;

  case p_target
    when 'chat_messages' then
      delete from public.chat_messages d where d.id in (
        select t.id from public.chat_messages t where t."timestamp" < p_cutoff
         order by t."timestamp" limit v_limit for update skip locked);
    when 'sms_messages' then
      delete from public.messages d where d.id in (
        select t.id from public.messages t
         where t.session_id is not null and t.created_at < p_cutoff
           and (p_session_id is null or t.session_id = p_session_id)
         order by t.created_at limit v_limit for update skip locked);
    when 'assistant_messages' then
      delete from public.messages d where d.id in (
        select t.id from public.messages t
          join public.conversations c on c.id = t.conversation_id
          left join public.clients cl on cl.id = c.client_id
         where t.created_at < p_cutoff and cl.plan is not distinct from p_plan
         order by t.created_at limit v_limit for update of t skip locked);
    when 'token_usage' then
      delete from public.token_usage_daily d where (d.subject_kind, d.subject_id, d.usage_date) in (
        select t.subject_kind, t.subject_id, t.usage_date from public.token_usage_daily t
         where t.usage_date < (p_cutoff at time zone 'UTC')::date
         order by t.usage_date limit v_limit for update skip locked);
    when 'mentor_transcripts' then
      update public.mentor_conversations d set transcript = null, recording_url = null
       where d.id in (
        select t.id from public.mentor_conversations t
         where t.end_time < p_cutoff and (t.transcript is not null or t.recording_url is not null)
         order by t.end_time limit v_limit for update skip locked);
      get diagnostics v_m = row_count;
      update public.daily_sessions d set transcript_data = null
       where d.id in (
        select t.id from public.daily_sessions t
         where t.created_at < p_cutoff and t.transcript_data is not null
         order by t.created_at limit greatest(v_limit - v_m, 0) for update skip locked);
      get diagnostics v_n = row_count;
      return v_m + v_n;
    when 'user_memories' then
      delete from public.user_memories d where d.id in (
        select t.id from public.user_memories t where t.updated_at < p_cutoff
         order by t.updated_at limit v_limit for update skip locked);
    when 'soul_memories' then
      delete from public.soul_memories d where d.id in (
        select t.id from public.soul_memories t where t.updated_at < p_cutoff
         order by t.updated_at limit v_limit for update skip locked);
    when 'music_listening_history' then
      delete from public.music_listening_history d where d.id in (
        select t.id from public.music_listening_history t where t.played_at < p_cutoff
         order by t.played_at limit v_limit for update skip locked);
    when 'music_interactions' then
      delete from public.music_interactions d where d.id in (
        select t.id from public.music_interactions t where t.created_at < p_cutoff
         order by t.created_at limit v_limit for update skip locked);
  end case;
  get diagnostics v_n = row_count;
  return v_n;
end
$$;
comment on function convo.expire_rows(text, timestamptz, integer, boolean, uuid, text) is
  'One retention batch: deletes (mentor_transcripts: clears) at most p_limit rows of p_target older than p_cutoff, skipping rows other transactions hold; p_dry_run only counts them all. Used by apply_retention, convo.run_retention and delete_old_messages.';
revoke execute on function convo.expire_rows(text, timestamptz, integer, boolean, uuid, text) from public;
grant execute on function convo.expire_rows(text, timestamptz, integer, boolean, uuid, text) to service_role;

-- ============================================================================================
-- Every window
-- ============================================================================================
-- The windows in effect: (target, plan, keep_days); plan is set for assistant_messages by plan.
create function convo.retention_plan()
returns table (target text, plan text, keep_days integer)
language sql
stable
security definer
set search_path = ''
as $$
  select w.target, null::text, w.keep_days from public.retention_windows w
   where w.keep_days is not null
  union all
  select 'assistant_messages', p.plan, p.chat_history_days from public.plan_token_limits p
   where p.chat_history_days is not null
  order by 1, 2 nulls first
$$;
comment on function convo.retention_plan() is
  'The retention windows in effect: every retention_windows row with keep_days, and assistant_messages per plan (plan_token_limits.chat_history_days).';
revoke execute on function convo.retention_plan() from public;

create function convo.apply_retention(
  p_dry_run boolean default false,
  p_batch_size integer default 1000,
  p_max_batches integer default 100
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  w record;
  v_now timestamptz := now();
  v_n bigint;
  v_total bigint;
  v_batches integer;
  v_more boolean;
  v_result jsonb := '[]';
begin
  if p_dry_run is null then
    raise exception 'p_dry_run must be true or false' using errcode = '22023';
  end if;
  if p_batch_size is null or p_batch_size < 1 or p_batch_size > 100000 then
    raise exception 'p_batch_size must be between 1 and 100000' using errcode = '22023';
  end if;
  if p_max_batches is null or p_max_batches < 1 then
    raise exception 'p_max_batches must be at least 1' using errcode = '22023';
  end if;
  for w in select * from convo.retention_plan() loop
    if p_dry_run then
      v_total := convo.expire_rows(w.target, v_now - make_interval(days => w.keep_days),
                                   p_dry_run => true, p_plan => w.plan);
      v_more := false;
    else
      v_total := 0; v_batches := 0;
      loop
        v_n := convo.expire_rows(w.target, v_now - make_interval(days => w.keep_days),
                                 p_limit => p_batch_size, p_plan => w.plan);
        v_total := v_total + v_n; v_batches := v_batches + 1;
        v_more := v_n = p_batch_size;
        exit when not v_more or v_batches >= p_max_batches;
      end loop;
    end if;
    v_result := v_result || jsonb_build_object('target', w.target, 'plan', w.plan,
      'keep_days', w.keep_days, 'cutoff', v_now - make_interval(days => w.keep_days),
      case when p_dry_run then 'would_expire' else 'expired' end, v_total, 'more', v_more);
  end loop;
  return jsonb_build_object('dry_run', p_dry_run, 'at', v_now, 'windows', v_result);
end
$$;
comment on function convo.apply_retention(boolean, integer, integer) is
  'Applies every retention window (see public.apply_retention).';
revoke execute on function convo.apply_retention(boolean, integer, integer) from public;
grant execute on function convo.apply_retention(boolean, integer, integer) to service_role;

create function public.apply_retention(
  p_dry_run boolean default false,
  p_batch_size integer default 1000,
  p_max_batches integer default 100
)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  return convo.apply_retention(p_dry_run, p_batch_size, p_max_batches);
end
$$;
comment on function public.apply_retention(boolean, integer, integer) is
  'Deletes what is older than its retention window (retention_windows; the web assistant''s chat history by plan_token_limits.chat_history_days), in batches of p_batch_size rows (rows other transactions hold are skipped and left for the next run), at most p_max_batches per window; "more": true means a window has rows left. p_dry_run: only counts what would go. Returns one entry per window. Bad sizes: 400. Service role only; the daily pg_cron job does the same.';
revoke execute on function public.apply_retention(boolean, integer, integer) from public, anon, authenticated;
grant execute on function public.apply_retention(boolean, integer, integer) to service_role;

-- The scheduled job: batch after batch, each committed, until every window is done.
-- (No SET search_path: a procedure with one cannot commit; every name is qualified.)
create procedure convo.run_retention(p_batch_size integer default 1000)
language plpgsql
as $$
declare
  v_report jsonb;
begin
  loop
    v_report := convo.apply_retention(false, p_batch_size, 1);
    commit;
    exit when not jsonb_path_exists(v_report, '$.windows[*] ? (@.more == true)');
  end loop;
end
$$;
comment on procedure convo.run_retention(integer) is
  'The daily retention job (pg_cron: call convo.run_retention()): apply_retention one batch per window at a time, committing after each, until nothing older than a window is left.';
revoke execute on procedure convo.run_retention(integer) from public;

-- delete_old_messages, the SMS seed's call, is now the sms_messages case of retention: it is
-- defined with the other agent-session RPCs (schema/02_agent_sessions.sql).

-- ============================================================================================
-- pg_cron
-- ============================================================================================
create function convo.schedule_retention()
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
begin
  if not exists (select from pg_catalog.pg_extension where extname = 'pg_cron') then
    return false;
  end if;
  -- by name: scheduling again replaces the job
  execute $q$ select cron.schedule('pg_convo_retention', '17 3 * * *', 'call convo.run_retention()') $q$;
  return true;
end
$$;
comment on function convo.schedule_retention() is
  'Registers (or replaces) the daily pg_cron job pg_convo_retention (03:17 UTC: call convo.run_retention()) where pg_cron is installed; false without it. Run it after enabling pg_cron on a database migrated without it.';
revoke execute on function convo.schedule_retention() from public;

do $cron$
begin
  -- pg_cron can be created only in the database its scheduler serves, once it is preloaded
  if not exists (select from pg_catalog.pg_extension where extname = 'pg_cron')
     and exists (select from pg_catalog.pg_available_extensions where name = 'pg_cron')
     and current_setting('shared_preload_libraries') ~ '(^|[, ])pg_cron($|[, ])'
     and current_setting('cron.database_name', true) = current_database() then
    create extension pg_cron with schema extensions;   -- where Supabase puts extensions
  end if;
  if not convo.schedule_retention() then
    raise notice 'pg_cron is not installed here: the daily retention job is not scheduled (call apply_retention, or convo.schedule_retention() once pg_cron is there)';
  end if;
end
$cron$;
