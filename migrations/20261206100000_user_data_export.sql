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
