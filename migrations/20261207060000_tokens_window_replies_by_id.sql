-- Tokens (domain 06): get_chat_context reads its window's replies by id under any plan.
--
-- The statement that turns the window's reply ids into messages said `a.id = any (v_reply_ids)
-- and a.user_id = v_user`. After five calls PL/pgSQL may keep a generic plan for it, which
-- estimates a user's rows as the table's average; with many light users that plan intersected the
-- id list with a bitmap of every index entry of the user (the (user_id, message_tsv) GIN index):
-- for the bench's user of 100,000 messages, 100,000 entries and ~5 ms per call instead of ~1
-- (BENCHMARKS.md, "get_chat_context(4000) vs the newest-50 read"); written as a join from the id
-- list, a generic plan hashed the user's rows instead. Each reply, and the message it answers,
-- is now read by a lateral primary-key lookup of its own; the memories the window takes too (the
-- same pattern on user_memories). Nothing else in the function changes
-- (pgrx-tests/62_tokens_window_generic_plans.sql).
--
-- And the memories' order gets an index: get_memories and the window's walk over a user's
-- memories (convo.fit_memories) sorted every memory of the user on every call, the walk counting
-- each one's tokens before the sort (2,000 memories: 4,000 index entries read for a window of 41).
-- Recording those reads (convo.record_memory_reads) finds the memories by id only, for the same
-- reason as the messages, and so does an SMS session's window (load_conversation_context: 5,000
-- index entries read for a window of 121 messages of a long session among short ones).

create index idx_user_memories_by_importance on public.user_memories
  (user_id, (case importance when 'high' then 0 when 'medium' then 1 else 2 end), updated_at desc, id);

create or replace function public.get_chat_context(
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

create or replace function convo.record_memory_reads(p_user_id uuid, p_memory_ids uuid[])
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

create or replace function public.load_conversation_context(
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
