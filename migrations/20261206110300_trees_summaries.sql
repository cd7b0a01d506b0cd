-- Conversation trees (domain 11), part 4: rolling summaries in the context window, and the window
-- along the current branch. When history outgrows the window, the app's LLM summarises the older
-- turns; the database keeps the summary (chat_summaries: a session's branch up to one message)
-- and get_chat_context puts it where it belongs: memories, then the newest summary that ends
-- before the oldest turn in the window, then the newest whole turns.

create table public.chat_summaries (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  session_id uuid not null,
  -- the last message the summary covers: it summarises the branch from the session's first
  -- message down to this one
  through_message_id uuid not null,
  summary text not null,
  -- computed by the database (a client's value is refused, 428C9), as every token_count
  token_count integer generated always as (convo.count_tokens(summary)) stored,
  model text,
  -- the clock, not the transaction's start: "the newest summary" orders by it
  created_at timestamptz not null default clock_timestamp(),
  constraint chat_summaries_pkey primary key (id),
  constraint chat_summaries_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint chat_summaries_session_id_fkey foreign key (session_id)
    references public.chat_sessions (id) on delete cascade,
  -- a summary goes with the last message it covers (deleted, or expired by retention)
  constraint chat_summaries_through_message_id_fkey foreign key (through_message_id)
    references public.chat_messages (id) on delete cascade,
  constraint chat_summaries_summary_length_check check (summary ~ '\S' and char_length(summary) <= 20000),
  constraint chat_summaries_model_length_check check (char_length(model) <= 200)
);
comment on table public.chat_summaries is
  'Rolling summaries of a chat session, written by the app''s LLM (as the user, or by the backend for them): summary covers the session''s branch from its first message through through_message_id. get_chat_context(…, p_summary_tokens) puts the newest one that ends before its window into the prompt; one whose message is no longer on the current branch is never used.';
comment on column public.chat_summaries.token_count is
  'Tokens of summary in OpenAI''s o200k_base encoding, computed by the database (never sent by clients).';

create index idx_chat_summaries_user on public.chat_summaries (user_id);
create index idx_chat_summaries_session on public.chat_summaries (session_id);
create index idx_chat_summaries_through_message on public.chat_summaries (through_message_id);

-- The covered message must be in the summary's session, and both the summary's user's: another
-- user's and none are the same answer (23503). Security invoker: a user sees only their own.
create function convo.chat_summaries_check_message()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select from public.chat_messages m
                 join public.chat_sessions s on s.id = m.session_id
                 where m.id = new.through_message_id and m.session_id = new.session_id
                   and m.user_id = new.user_id and s.user_id = new.user_id) then
    raise exception 'through_message_id must be a message of your own chat session session_id'
      using errcode = '23503';
  end if;
  return new;
end
$$;
comment on function convo.chat_summaries_check_message() is
  'BEFORE INSERT OR UPDATE OF user_id, session_id, through_message_id on public.chat_summaries: the message must be in the session, both the user''s (23503 otherwise).';
revoke execute on function convo.chat_summaries_check_message() from public;

create trigger chat_summaries_check_message
  before insert or update of user_id, session_id, through_message_id on public.chat_summaries
  for each row execute function convo.chat_summaries_check_message();

alter table public.chat_summaries enable row level security;

-- A user reads their own summaries.
create policy "Users can view their own chat summaries" on public.chat_summaries
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user writes summaries of their own sessions (which message: the trigger above).
create policy "Users can create their own chat summaries" on public.chat_summaries
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user corrects their own summaries and cannot give them away.
create policy "Users can update their own chat summaries" on public.chat_summaries
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own summaries.
create policy "Users can delete their own chat summaries" on public.chat_summaries
  for delete to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.chat_summaries from anon;
revoke truncate, trigger, references on public.chat_summaries from authenticated;
select convo.install_keep_server_columns('public.chat_summaries', array['created_at']);
select convo.install_fill_column_defaults('public.chat_summaries');

insert into convo.user_data_columns (table_name, column_name, export_section, on_account_deletion, reason) values
  ('chat_summaries', 'user_id', 'chat_summaries', 'deleted', null);


-- get_chat_context: along the current branch, with a summary ----------------------------------------
drop function public.get_chat_context(integer, uuid, integer, uuid);

create function public.get_chat_context(
  p_max_tokens integer,
  p_session_id uuid default null,
  p_memory_tokens integer default 0,
  p_user_id uuid default null,
  p_summary_tokens integer default 0
)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_max integer := convo.check_token_budget('p_max_tokens', p_max_tokens, 1);
  v_memory_ids uuid[];
  v_memories jsonb;
  v_memory_tokens bigint;
  v_turn_budget integer;
  v_reply_ids uuid[];
  v_oldest uuid;
  v_messages jsonb;
  v_message_tokens bigint;
  v_tip uuid;
  v_from uuid;
  v_summaries_from timestamptz;
  v_summary jsonb;
  v_summary_tokens bigint := 0;
begin
  perform convo.check_token_budget('p_memory_tokens', p_memory_tokens, 0, v_max);
  perform convo.check_token_budget('p_summary_tokens', p_summary_tokens, 0, v_max);
  if p_summary_tokens > 0 and p_session_id is null then
    raise exception 'p_summary_tokens needs p_session_id'
      using errcode = '22023', hint = 'Summaries belong to a chat session.';
  end if;

  v_memory_ids := case when p_memory_tokens > 0 then convo.fit_memories(v_user, p_memory_tokens)
                       else '{}' end;
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'memory_key', m.memory_key, 'memory_value', m.memory_value,
           'memory_category', m.memory_category, 'importance', m.importance, 'token_count', m.tokens)
           order by array_position(v_memory_ids, m.id)), '[]'::jsonb),
         coalesce(sum(m.tokens), 0)
    into v_memories, v_memory_tokens
  from (select u.*, convo.count_tokens(u.memory_key || ': ' || u.memory_value) as tokens
        from public.user_memories u
        where cardinality(v_memory_ids) > 0 and u.user_id = v_user and u.id = any (v_memory_ids)) m;

  -- the turns get what the memories and the summary's share leave
  v_turn_budget := greatest(v_max - v_memory_tokens - p_summary_tokens, 0);

  if p_session_id is null then
    -- every turn of the user (Rust: an index walk, newest first), each with its newest reply
    select array_agg(r.id order by t.n)
      into v_reply_ids
    from unnest(convo.fit_chat_turns(v_user, v_turn_budget, null)) with ordinality t(id, n)
    cross join lateral (
      select r.id from public.chat_messages r
      where r.reply_to = t.id and r.user_id = v_user
      order by r."timestamp" desc, r.id desc limit 1
    ) r;
  elsif exists (select from public.chat_sessions s where s.id = p_session_id and s.user_id = v_user) then
    -- the session's current branch, from its leaf up, one message per step (a primary-key
    -- lookup each): a turn is an AI reply with the user message it answers; other messages
    -- (a user message without a reply) cost nothing and are passed; the walk ends at the first
    -- turn that does not fit
    v_tip := convo.chat_session_tip(p_session_id);
    with recursive walk(id, parent_id, reply_tokens, used, turn_reply, steps) as (
      select m.id, m.parent_id, case when m.reply_to is not null then m.token_count end,
             0::bigint, null::uuid, 1
      from public.chat_messages m
      where m.id = v_tip and m.user_id = v_user and m.session_id = p_session_id
      union all
      select p.id, p.parent_id, case when p.reply_to is not null then p.token_count end,
             w.used + coalesce(p.token_count + w.reply_tokens, 0),
             case when w.reply_tokens is not null then w.id end,
             w.steps + 1
      from walk w
      join public.chat_messages p on p.id = w.parent_id
      where p.user_id = v_user and p.session_id = p_session_id
        and w.steps < 10000000
        and (w.reply_tokens is null or w.used + p.token_count + w.reply_tokens <= v_turn_budget)
    )
    select array_agg(w.turn_reply order by w.steps) filter (where w.turn_reply is not null),
           (array_agg(w.id order by w.steps desc) filter (where w.turn_reply is not null))[1]
      into v_reply_ids, v_oldest
    from walk w;
  end if;

  select coalesce(jsonb_agg(x.message order by x.at, x.id, x.reply), '[]'::jsonb),
         coalesce(sum(x.tokens), 0)
    into v_messages, v_message_tokens
  from public.chat_messages a
  join public.chat_messages u on u.id = a.reply_to
  cross join lateral (
    -- its position among its siblings, oldest first: the messages that follow the same message
    -- (or, for a first message, the session's other first messages)
    select greatest(count(*) filter (where (x.at, x.id) <= (u."timestamp", u.id)), 1)::integer as sibling_index,
           greatest(count(*), 1)::integer as sibling_count
    from (select c."timestamp", c.id from public.chat_messages c where c.previous_id = u.previous_id
          union all
          select c."timestamp", c.id from public.chat_messages c
          where u.previous_id is null and c.session_id = u.session_id
            and c.reply_to is null and c.previous_id is null) x(at, id)
  ) us
  cross join lateral (
    -- the reply's position among the replies to its message (its regenerations)
    select greatest(count(*) filter (where (x.at, x.id) <= (a."timestamp", a.id)), 1)::integer as sibling_index,
           greatest(count(*), 1)::integer as sibling_count
    from (select c."timestamp", c.id from public.chat_messages c where c.reply_to = u.id
          union all
          select c."timestamp", c.id from public.chat_messages c where c.previous_id = u.id) x(at, id)
  ) s
  cross join lateral (values
    (u."timestamp", u.id, 0, u.token_count,
     jsonb_build_object('id', u.id, 'role', 'user', 'sender_type', 'user', 'content', u.message_text,
                        'token_count', u.token_count, 'timestamp', u."timestamp", 'session_id', u.session_id,
                        'parent_id', u.parent_id, 'sibling_index', us.sibling_index, 'sibling_count', us.sibling_count)),
    (u."timestamp", u.id, 1, a.token_count,
     jsonb_build_object('id', a.id, 'role', 'assistant', 'sender_type', 'ai', 'content', a.message_text,
                        'token_count', a.token_count, 'timestamp', a."timestamp", 'session_id', a.session_id,
                        'parent_id', a.parent_id, 'sibling_index', s.sibling_index, 'sibling_count', s.sibling_count))
  ) as x(at, id, reply, tokens, message)
  where cardinality(v_reply_ids) > 0 and a.id = any (v_reply_ids) and a.user_id = v_user;

  -- The summary: the newest one that ends on the current branch strictly before the oldest turn
  -- taken (anywhere on the branch when no turn fits) and fits what is left. Walk up from there,
  -- no further than the oldest message any summary of the session ends at.
  if p_summary_tokens > 0 and v_tip is not null then
    select min(m."timestamp") into v_summaries_from
    from public.chat_summaries c
    join public.chat_messages m on m.id = c.through_message_id
    where c.session_id = p_session_id and c.user_id = v_user;
    v_from := case when v_oldest is null then v_tip
                   else (select m.parent_id from public.chat_messages m where m.id = v_oldest) end;
    if v_summaries_from is not null and v_from is not null then
      with recursive up(id, parent_id, at, steps) as (
        select m.id, m.parent_id, m."timestamp", 1
        from public.chat_messages m
        where m.id = v_from and m.user_id = v_user and m.session_id = p_session_id
        union all
        select p.id, p.parent_id, p."timestamp", u.steps + 1
        from up u
        join public.chat_messages p on p.id = u.parent_id
        where p.user_id = v_user and p.session_id = p_session_id
          and u.at >= v_summaries_from and u.steps < 10000000
      )
      select jsonb_build_object('id', c.id, 'content', c.summary, 'token_count', c.token_count,
                                'through_message_id', c.through_message_id, 'model', c.model,
                                'created_at', c.created_at),
             c.token_count
        into v_summary, v_summary_tokens
      from up u
      join public.chat_summaries c on c.through_message_id = u.id
      where c.session_id = p_session_id and c.user_id = v_user
        and c.token_count <= v_max - v_memory_tokens - v_message_tokens
      order by u.steps, c.created_at desc, c.id desc
      limit 1;
      v_summary_tokens := coalesce(v_summary_tokens, 0);
    end if;
  end if;

  if cardinality(v_memory_ids) > 0 then
    perform convo.record_memory_reads(v_user, v_memory_ids);
  end if;
  return jsonb_build_object(
    'memories', v_memories, 'summary', v_summary, 'messages', v_messages,
    'memory_tokens', v_memory_tokens, 'summary_tokens', v_summary_tokens,
    'message_tokens', v_message_tokens,
    'total_tokens', v_memory_tokens + v_summary_tokens + v_message_tokens, 'max_tokens', v_max);
end
$$;
comment on function public.get_chat_context(integer, uuid, integer, uuid, integer) is
  'The newest chat history of the acting user that fits a token budget, for building an LLM prompt, in prompt order: {memories, summary, messages: [{role: user|assistant, content, token_count, timestamp, parent_id, sibling_index, sibling_count, …}] oldest first, memory_tokens, summary_tokens, message_tokens, total_tokens, max_tokens}. Whole turns only (a user message with its AI reply), newest first until the next turn would not fit (no gaps). With p_session_id: that session''s current branch (see get_chat_history), and with p_summary_tokens > 0 the newest of its chat_summaries that ends on the branch before the oldest turn in the window and fits what is left (null when none does; the turns get p_max_tokens - memories - p_summary_tokens). Without p_session_id: every turn of the user, each with its newest reply. First up to p_memory_tokens of the user''s memories (most important first; each one read counts as an access, as in get_memories). p_max_tokens 1-2000000, p_memory_tokens and p_summary_tokens 0-p_max_tokens (else 22023, HTTP 400); p_summary_tokens needs p_session_id. A signed-in user reads their own; the service role names the user (p_user_id). Token counts are OpenAI o200k_base. VOLATILE: call with POST.';
revoke execute on function public.get_chat_context(integer, uuid, integer, uuid, integer) from public, anon;
grant execute on function public.get_chat_context(integer, uuid, integer, uuid, integer) to authenticated, service_role;


-- export_my_data: the two new tables' rows (feedback: 20261206110200_trees_feedback.sql)
create or replace function convo.export_user_data(p_user_id uuid)
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
