-- Token-aware conversations (domain 06; Rust: src/tokens.rs): stored token counts, context windows
-- that fit a model's budget, and per-day usage accounting with daily token quotas. The schema as
-- it stands; the steps to it are the migrations of domain number 06.
--
-- Every app builds its LLM prompt from stored history; cutting that history by message count
-- either overflows the model's context window or wastes it. So each message row carries its exact
-- token count (OpenAI's o200k_base encoding, computed in the database by the statement that writes
-- the row, never taken from the client), and one call returns the newest history that fits a
-- token budget.


-- Token counts ------------------------------------------------------------------------------------------
-- A stored generated column: Postgres computes it from the content on every insert and on every
-- content edit, and refuses a value sent by a client (428C9). convo.count_tokens is IMMUTABLE
-- (the same text always has the same count in an encoding).
-- Every role that may write a message computes its count (the generated column runs as the writer),
-- anon included, so that anon's refused writes stay RLS's 401 rather than a missing privilege.
-- The columns: chat_messages.token_count (01_chat.sql), messages.token_count
-- (02_agent_sessions.sql), session_messages.token_count (04_mediation.sql).
grant execute on function convo.count_tokens(text, text) to anon, authenticated, service_role;


create function public.count_tokens(p_text text, p_encoding text default 'o200k_base')
returns integer
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  if p_text is null then
    raise exception 'p_text is required' using errcode = '22023';
  end if;
  if pg_catalog.char_length(p_text) > 200000 then
    raise exception 'p_text is too long' using errcode = '22023',
      hint = 'at most 200000 characters', detail = pg_catalog.format('%s characters', pg_catalog.char_length(p_text));
  end if;
  return convo.count_tokens(p_text, coalesce(p_encoding, 'o200k_base'));
end
$$;
comment on function public.count_tokens(text, text) is
  'Exact token count of p_text (at most 200000 characters) in OpenAI''s o200k_base (default) or cl100k_base encoding; another encoding → 22023 (HTTP 400). Callable with GET.';
revoke execute on function public.count_tokens(text, text) from public, anon;
grant execute on function public.count_tokens(text, text) to authenticated, service_role;


-- Context windows -----------------------------------------------------------------------------------------
-- Rust walks the rows newest first and says which fit (convo.fit_chat_turns, fit_memories,
-- fit_session_messages: their ids); SQL builds the JSON from exactly those ids.
grant execute on function convo.fit_chat_turns(uuid, integer, uuid) to authenticated, service_role;
grant execute on function convo.fit_memories(uuid, integer) to authenticated, service_role;
grant execute on function convo.fit_session_messages(uuid, integer, text) to service_role;

-- A budget argument: 22023 outside [p_min, 2000000], the value in DETAIL only.
create function convo.check_token_budget(p_name text, p_value integer, p_min integer, p_max integer default 2000000)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_value is null or p_value < p_min or p_value > p_max then
    raise exception '% is out of range', p_name
      using errcode = '22023',
            hint = pg_catalog.format('between %s and %s tokens', p_min, p_max),
            detail = coalesce(p_value::text, 'null');
  end if;
  return p_value;
end
$$;
comment on function convo.check_token_budget(text, integer, integer, integer) is
  'Returns p_value when it is within [p_min, p_max]; 22023 (the name of the parameter in the message, its value in DETAIL) otherwise.';
revoke execute on function convo.check_token_budget(text, integer, integer, integer) from public;
grant execute on function convo.check_token_budget(text, integer, integer, integer) to authenticated, service_role;

-- Records that memories were read (access_count + 1, last_accessed), as get_memories does for the
-- rows it returns. SECURITY DEFINER: those columns are the server's (API roles cannot write them);
-- it only ever touches the acting user's own rows.
create function convo.record_memory_reads(p_user_id uuid, p_memory_ids uuid[])
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if p_user_id is distinct from convo.acting_user(p_user_id) then
    raise exception 'memories can only be read for the acting user' using errcode = '42501';
  end if;
  -- found by id only: `m.user_id = p_user_id` as a filter (`is true` keeps it out of any index),
  -- or a generic plan (after five calls) may read every memory of the user to find them
  update public.user_memories m
  set access_count = m.access_count + 1, last_accessed = now()
  where m.id = any (p_memory_ids) and (m.user_id = p_user_id) is true;
end
$$;
comment on function convo.record_memory_reads(uuid, uuid[]) is
  'Bumps access_count and last_accessed of the acting user''s memories p_memory_ids (a read for a prompt counts as an access).';
revoke execute on function convo.record_memory_reads(uuid, uuid[]) from public;
grant execute on function convo.record_memory_reads(uuid, uuid[]) to authenticated, service_role;

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
  -- by id, one primary-key lookup each, for the reason given at the messages below
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'memory_key', m.memory_key, 'memory_value', m.memory_value,
           'memory_category', m.memory_category, 'importance', m.importance, 'token_count', m.tokens)
           order by w.n), '[]'::jsonb),
         coalesce(sum(m.tokens), 0)
    into v_memories, v_memory_tokens
  from unnest(v_memory_ids) with ordinality as w(id, n)
  cross join lateral (
    select u.id, u.memory_key, u.memory_value, u.memory_category, u.importance,
           convo.count_tokens(u.memory_key || ': ' || u.memory_value) as tokens
    from public.user_memories u where u.id = w.id and u.user_id = v_user limit 1
  ) m;

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
  -- the replies by id and the messages they answer, one primary-key lookup each (lateral, so
  -- that no plan can do otherwise): a join with the table on `a.user_id = v_user` lets a generic
  -- plan (PL/pgSQL's, after five calls), which takes any user for an average one, read every
  -- index entry of the user to match them with the list (a bitmap or a hash of their history)
  from unnest(v_reply_ids) as w(id)
  cross join lateral (
    select m.id, m.reply_to, m."timestamp", m.token_count, m.message_text, m.session_id, m.parent_id
    from public.chat_messages m where m.id = w.id and m.user_id = v_user limit 1
  ) a
  cross join lateral (
    select m.id, m.previous_id, m."timestamp", m.token_count, m.message_text, m.session_id, m.parent_id
    from public.chat_messages m where m.id = a.reply_to limit 1
  ) u
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
  ) as x(at, id, reply, tokens, message);

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

create function public.load_conversation_context(
  p_session_id uuid,
  p_max_tokens integer,
  p_region text default null
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_max integer := convo.check_token_budget('p_max_tokens', p_max_tokens, 1);
  v_ids uuid[];
  v_messages jsonb;
  v_tokens bigint;
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  if p_region is not null and pg_catalog.char_length(p_region) > 100 then
    raise exception 'p_region is too long' using errcode = '22023', hint = 'at most 100 characters';
  end if;
  v_ids := convo.fit_session_messages(p_session_id, v_max, p_region);
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'role', m.role, 'content', m.content, 'region', m.region,
           'created_at', m.created_at, 'token_count', m.token_count)
           order by m.created_at, m.id), '[]'::jsonb),
         coalesce(sum(m.token_count), 0)
    into v_messages, v_tokens
  -- by id, one primary-key lookup each, for the reason given in get_chat_context
  from unnest(v_ids) as w(id)
  cross join lateral (
    select m.id, m.role, m.content, m.region, m.created_at, m.token_count
    from public.messages m where m.id = w.id and m.session_id = p_session_id limit 1
  ) m;
  return jsonb_build_object('messages', v_messages, 'total_tokens', v_tokens, 'max_tokens', v_max);
end
$$;
comment on function public.load_conversation_context(uuid, integer, text) is
  'For the SMS backend (service role): the newest messages of agent session p_session_id (optionally only region p_region) that fit p_max_tokens (1-2000000), oldest first: {messages: [{id, role, content, region, created_at, token_count}], total_tokens, max_tokens}. Stops at the first message that does not fit. An unknown session gives no messages. STABLE: callable with GET.';
revoke execute on function public.load_conversation_context(uuid, integer, text) from public, anon, authenticated;
grant execute on function public.load_conversation_context(uuid, integer, text) to service_role;


-- Usage accounting and daily quotas --------------------------------------------------------------------
-- What the model reported for each call (prompt and completion tokens) is added to per-day totals
-- of who used it: a chat user, an assistant client (by its plan), an SMS phone session. Days are
-- UTC days. The totals are exact under concurrency: every addition is one upsert of the day's
-- row, so concurrent writers queue on that row's lock.
--
-- Quotas: a daily token limit per chat user (user_token_limits; no row = no limit) and per
-- assistant plan (plan_token_limits, by clients.plan). The writing call checks the limit after
-- adding its usage, under that same row lock: a call that would take the day's total over the
-- limit is refused with PT429 (HTTP 429) and nothing of it is written. So concurrent writers can
-- never overshoot the limit at all (the overshoot bound is zero calls); the last call that would
-- cross it is the one refused. Calls that report no usage are not metered.

create table public.token_usage_daily (
  subject_kind text not null,
  subject_id uuid not null,
  usage_date date not null,
  prompt_tokens bigint not null default 0,
  completion_tokens bigint not null default 0,
  total_tokens bigint generated always as (prompt_tokens + completion_tokens) stored,
  calls integer not null default 0,
  updated_at timestamptz not null default now(),
  constraint token_usage_daily_pkey primary key (subject_kind, subject_id, usage_date),
  constraint token_usage_daily_subject_kind_check check (subject_kind in ('user', 'client', 'phone_session')),
  constraint token_usage_daily_prompt_tokens_check check (prompt_tokens >= 0),
  constraint token_usage_daily_completion_tokens_check check (completion_tokens >= 0),
  constraint token_usage_daily_calls_check check (calls >= 0)
);
comment on table public.token_usage_daily is
  'Tokens used per UTC day by a chat user (subject_kind user), an assistant client (client) or an SMS phone session (phone_session), as the model reported them. Written by the database only; a user reads their own rows (or calls get_my_usage).';

create table public.user_token_limits (
  user_id uuid not null,
  daily_token_limit bigint not null,
  updated_at timestamptz not null default now(),
  constraint user_token_limits_pkey primary key (user_id),
  constraint user_token_limits_user_id_fkey foreign key (user_id) references public.profiles (id) on delete cascade,
  constraint user_token_limits_daily_token_limit_check check (daily_token_limit >= 0)
);
comment on table public.user_token_limits is
  'A chat user''s daily token limit (no row: no limit). Set by the backend (service role); a user reads their own.';

create table public.plan_token_limits (
  plan text not null,
  daily_token_limit bigint not null,
  constraint plan_token_limits_pkey primary key (plan),
  constraint plan_token_limits_plan_check check (plan in ('basic', 'premium')),
  constraint plan_token_limits_daily_token_limit_check check (daily_token_limit >= 0)
);
comment on table public.plan_token_limits is
  'Daily token limit of each assistant plan (clients.plan). Service role only.';
-- The plans' limits are reference data the schema needs (not a backfill): the service role changes them.
insert into public.plan_token_limits (plan, daily_token_limit) values ('basic', 200000), ('premium', 2000000);

alter table public.token_usage_daily enable row level security;
alter table public.user_token_limits enable row level security;
alter table public.plan_token_limits enable row level security;

revoke all on public.token_usage_daily, public.user_token_limits, public.plan_token_limits from anon, authenticated;
grant select on public.token_usage_daily, public.user_token_limits to authenticated;
grant all on public.token_usage_daily, public.user_token_limits, public.plan_token_limits to service_role;

-- A user reads their own usage (the primary key leads with (subject_kind, subject_id)).
create policy "Users can view their own token usage" on public.token_usage_daily
  for select to authenticated
  using (subject_kind = 'user' and subject_id = (select auth.uid()));
-- A user reads their own limit.
create policy "Users can view their own token limit" on public.user_token_limits
  for select to authenticated
  using (user_id = (select auth.uid()));

select convo.install_fill_column_defaults('public.token_usage_daily');
select convo.install_fill_column_defaults('public.user_token_limits');

-- Adds one call's usage to a subject's day and enforces its limit (see above). SECURITY DEFINER:
-- the totals are the server's; a signed-in user can only ever be metered as themselves.
create function convo.add_token_usage(
  p_subject_kind text,
  p_subject_id uuid,
  p_prompt_tokens bigint,
  p_completion_tokens bigint,
  p_calls integer,
  p_daily_token_limit bigint
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_total bigint;
begin
  if current_setting('role') in ('anon', 'authenticated')
     and (p_subject_kind <> 'user' or p_subject_id is distinct from auth.uid()) then
    raise exception 'usage can only be recorded for the acting user' using errcode = '42501';
  end if;
  insert into public.token_usage_daily as u
    (subject_kind, subject_id, usage_date, prompt_tokens, completion_tokens, calls)
  values (p_subject_kind, p_subject_id, (now() at time zone 'UTC')::date,
          p_prompt_tokens, p_completion_tokens, p_calls)
  on conflict (subject_kind, subject_id, usage_date) do update set
    prompt_tokens = u.prompt_tokens + excluded.prompt_tokens,
    completion_tokens = u.completion_tokens + excluded.completion_tokens,
    calls = u.calls + excluded.calls,
    updated_at = now()
  returning u.prompt_tokens + u.completion_tokens into v_total;
  if p_daily_token_limit is not null and v_total > p_daily_token_limit then
    raise exception 'daily token limit reached'
      using errcode = 'PT429',
            hint = 'The limit resets at 00:00 UTC; get_my_usage shows what is used.';
  end if;
  return v_total;
end
$$;
comment on function convo.add_token_usage(text, uuid, bigint, bigint, integer, bigint) is
  'Adds one call''s reported usage to the subject''s UTC day (one upsert: exact under concurrency) and refuses with PT429 (HTTP 429) when it would take the day over p_daily_token_limit (nothing is written then: the caller''s transaction fails).';
revoke execute on function convo.add_token_usage(text, uuid, bigint, bigint, integer, bigint) from public;
grant execute on function convo.add_token_usage(text, uuid, bigint, bigint, integer, bigint) to authenticated, service_role;

-- A reported usage: both counts present and sane, or none at all.
create function convo.check_usage(p_model text, p_prompt_tokens integer, p_completion_tokens integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_prompt_tokens is null and p_completion_tokens is null then
    if p_model is not null then
      raise exception 'p_model needs p_prompt_tokens and p_completion_tokens' using errcode = '22023';
    end if;
    return false;
  end if;
  if p_prompt_tokens is null or p_completion_tokens is null then
    raise exception 'p_prompt_tokens and p_completion_tokens go together' using errcode = '22023';
  end if;
  if p_prompt_tokens < 0 or p_completion_tokens < 0
     or p_prompt_tokens > 10000000 or p_completion_tokens > 10000000 then
    raise exception 'token counts must be between 0 and 10000000' using errcode = '22023';
  end if;
  if p_model is not null and (pg_catalog.btrim(p_model) = '' or pg_catalog.char_length(p_model) > 200) then
    raise exception 'p_model must be a model name of 1 to 200 characters' using errcode = '22023';
  end if;
  return true;
end
$$;
comment on function convo.check_usage(text, integer, integer) is
  'Validates a reported usage (22023 otherwise); true when there is usage to record.';
revoke execute on function convo.check_usage(text, integer, integer) from public;
grant execute on function convo.check_usage(text, integer, integer) to authenticated, service_role;


-- The usage columns of messages (model, prompt_tokens, completion_tokens) are in
-- 02_agent_sessions.sql; store_chat_pair meters a chat user's usage (01_chat.sql).
-- AFTER INSERT FOR EACH STATEMENT on messages: adds the statement's reported usage to each phone
-- session's and each client's day, grouped and in (kind, id) order (so concurrent bulk inserts
-- lock the usage rows in one order), enforcing each client's plan limit.
create function convo.messages_add_usage()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform convo.add_token_usage(t.kind, t.subject, t.prompt, t.completion, t.calls, t.daily_limit)
  from (
    select 'phone_session' as kind, n.session_id as subject,
           sum(n.prompt_tokens) as prompt, sum(n.completion_tokens) as completion,
           count(*)::integer as calls, null::bigint as daily_limit
    from new_messages n
    where n.session_id is not null and n.prompt_tokens is not null
    group by n.session_id
    union all
    select 'client', c.id, sum(n.prompt_tokens), sum(n.completion_tokens), count(*)::integer,
           (select l.daily_token_limit from public.plan_token_limits l where l.plan = c.plan)
    from new_messages n
    join public.conversations v on v.id = n.conversation_id
    join public.clients c on c.id = v.client_id
    where n.prompt_tokens is not null
    group by c.id, c.plan
    order by 1, 2
  ) t;
  return null;
end
$$;
comment on function convo.messages_add_usage() is
  'AFTER INSERT FOR EACH STATEMENT on public.messages: adds reported usage to the phone session''s and the client''s day (client plan limit enforced: PT429).';
revoke execute on function convo.messages_add_usage() from public;

create trigger messages_add_usage
  after insert on public.messages
  referencing new table as new_messages
  for each statement execute function convo.messages_add_usage();

create function public.get_my_usage(
  p_from date default null,
  p_to date default null,
  p_user_id uuid default null
)
returns table (
  usage_date date,
  prompt_tokens bigint,
  completion_tokens bigint,
  total_tokens bigint,
  calls integer,
  daily_token_limit bigint
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_to date := coalesce(p_to, (now() at time zone 'UTC')::date);
  v_from date := coalesce(p_from, coalesce(p_to, (now() at time zone 'UTC')::date) - 29);
begin
  if v_from > v_to or v_to - v_from > 366 then
    raise exception 'p_from must not be after p_to, and the range at most 366 days'
      using errcode = '22023';
  end if;
  return query
    select u.usage_date, u.prompt_tokens, u.completion_tokens, u.total_tokens, u.calls,
           (select l.daily_token_limit from public.user_token_limits l where l.user_id = v_user)
    from public.token_usage_daily u
    where u.subject_kind = 'user' and u.subject_id = v_user
      and u.usage_date between v_from and v_to
    order by u.usage_date;
end
$$;
comment on function public.get_my_usage(date, date, uuid) is
  'The acting user''s token usage per UTC day from p_from to p_to (default: the last 30 days; at most 366), with their daily limit (null: none). A signed-in user reads their own; the service role names the user (p_user_id). STABLE: callable with GET.';
revoke execute on function public.get_my_usage(date, date, uuid) from public, anon;
grant execute on function public.get_my_usage(date, date, uuid) to authenticated, service_role;
