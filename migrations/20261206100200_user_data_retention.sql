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

-- ============================================================================================
-- delete_old_messages: the SMS seed's call, now one case of retention
-- ============================================================================================
create or replace function public.delete_old_messages(p_session_id uuid, p_older_than_days integer)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  if p_older_than_days is null or p_older_than_days < 0 then
    raise exception 'p_older_than_days must be a number of days >= 0'
      using errcode = '22023',
            detail = format('p_older_than_days was %s', coalesce(p_older_than_days::text, 'null'));
  end if;
  return convo.expire_rows('sms_messages', now() - make_interval(days => p_older_than_days),
                           p_session_id => p_session_id);
end
$$;
comment on function public.delete_old_messages(uuid, integer) is
  'Deletes the messages of session p_session_id created more than p_older_than_days days ago; returns how many (the sms_messages case of retention, for one session). p_older_than_days null or < 0 (or p_session_id null): 400 (22023). service_role only.';

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
