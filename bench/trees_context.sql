-- Branched vs linear context window (scripts/bench.sh, "trees"): two chat sessions of 100,000
-- messages each, texts from bench.chat_samples (bench/chat_samples.sql), one turn a minute.
--
--   * linear (bench.user_id(300002), session bench.trees_context_session(2)): 50,000 turns, a
--     user message and its reply each;
--   * branched (bench.user_id(300001), session bench.trees_context_session(1)): 46,512 turns of
--     which 10% were redone: every 20th turn regenerated (regenerate_reply: a second AI reply to
--     the same user message), every 20th edited (edit_user_message: a sibling user message, with
--     the same previous message, and its own reply), the next turn continuing from the newest
--     version, as the RPCs leave it (the newest message is the session's current leaf). That is
--     46,512 × 2 + 2,326 regenerations + 2,325 × 2 edits = 100,000 messages, of which 93,024 are
--     on the current branch.
--
-- Texts are numbered from the newest turn back, so both windows hold the same texts: the versions
-- on the current branch carry the sample texts, the abandoned ones ("first tries") a variant. So
-- the two windows are the same size and only the tree differs.
--
-- Written set-based as postgres, with explicit ids, previous_id, reply_to and timestamps, through
-- the table's triggers (convo.chat_messages_claim_session checks every explicit previous_id). The
-- shape is checked against the RPCs themselves at the end: a short session written by
-- store_chat_pair / regenerate_reply / edit_user_message as the signed-in user must come out as
-- the same tree as the generator's for the same turns (else this file fails).
insert into auth.users (id, email, raw_user_meta_data)
select bench.user_id(n), 'trees' || n || '@example.test', '{"full_name": "Trees User"}'
from generate_series(300001, 300003) n
on conflict (id) do nothing;

create or replace function bench.trees_context_session(k int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-9100-' || lpad(k::text, 12, '0'))::uuid
$$;
-- message slot of a turn: 0 its user message, 1 its reply, 2 the regenerated reply or the edited
-- user message, 3 the edited message's reply; p_tag tells sessions apart (4 hex digits)
create or replace function bench.trees_message_id(p_tag text, p_turn int, p_slot int) returns uuid
language sql immutable as $$
  select ('00000000-0000-4000-' || p_tag || '-' || lpad((p_turn * 4 + p_slot)::text, 12, '0'))::uuid
$$;
-- what happened to turn p_turn of p_turns, counted from the newest (so every window sees the same)
create or replace function bench.trees_turn_kind(p_turns int, p_turn int, p_branched boolean) returns text
language sql immutable as $$
  select case when not p_branched then 'plain'
              when (p_turns - p_turn) % 20 = 3 then 'regenerated'
              when (p_turns - p_turn) % 20 = 13 then 'edited'
              else 'plain' end
$$;
-- the version of a turn's reply the next turn follows: the newest
create or replace function bench.trees_branch_reply(p_tag text, p_turns int, p_turn int, p_branched boolean) returns uuid
language sql immutable as $$
  select bench.trees_message_id(p_tag, p_turn,
    case bench.trees_turn_kind(p_turns, p_turn, p_branched) when 'regenerated' then 2 when 'edited' then 3 else 1 end)
$$;
-- the first tries that were redone (off the current branch)
create or replace function bench.trees_first_try_user(t text) returns text language sql immutable as $$
  select 'Hm, ' || t $$;
create or replace function bench.trees_first_try_reply(t text) returns text language sql immutable as $$
  select 'Let me think. ' || t $$;
grant execute on function bench.trees_context_session(int), bench.trees_message_id(text, int, int),
  bench.trees_turn_kind(int, int, boolean), bench.trees_branch_reply(text, int, int, boolean),
  bench.trees_first_try_user(text), bench.trees_first_try_reply(text) to authenticated;

-- One session of p_turns turns, in one statement, in timestamp order (each row's trigger sees the
-- rows before it). previous_id = the row's own id asks for a first message, as edit_user_message
-- does for an edited first message.
create or replace function bench.trees_generate(p_user uuid, p_session uuid, p_tag text, p_turns int,
                                                p_branched boolean, p_from int default 1, p_to int default null)
returns bigint
language sql
as $$
  insert into public.chat_sessions (id, user_id) values (p_session, p_user) on conflict (id) do nothing;
  with turns as (
    select i, bench.trees_turn_kind(p_turns, i, p_branched) as kind,
           now() - (p_turns + 1 - i) * interval '1 minute' as at, s.user_text, s.ai_text,
           case when i > 1 then bench.trees_branch_reply(p_tag, p_turns, i - 1, p_branched) end as previous_id
    from generate_series(p_from, coalesce(p_to, p_turns)) i
    join bench.chat_samples s on s.id = 1 + (p_turns - i) % (select count(*) from bench.chat_samples)
  ), rows(at, id, sender_type, message_text, previous_id, reply_to) as (
    select t.at, bench.trees_message_id(p_tag, t.i, 0), 'user',
           case when t.kind = 'edited' then bench.trees_first_try_user(t.user_text) else t.user_text end,
           coalesce(t.previous_id, bench.trees_message_id(p_tag, t.i, 0)), null::uuid
    from turns t
    union all
    select t.at + interval '20 seconds', bench.trees_message_id(p_tag, t.i, 1), 'ai',
           case when t.kind = 'regenerated' then bench.trees_first_try_reply(t.ai_text) else t.ai_text end,
           null, bench.trees_message_id(p_tag, t.i, 0)
    from turns t
    union all  -- regenerate_reply: another reply to the same user message
    select t.at + interval '40 seconds', bench.trees_message_id(p_tag, t.i, 2), 'ai', t.ai_text,
           null, bench.trees_message_id(p_tag, t.i, 0)
    from turns t where t.kind = 'regenerated'
    union all  -- edit_user_message: a sibling of the user message (same previous), and its reply
    select t.at + interval '30 seconds', bench.trees_message_id(p_tag, t.i, 2), 'user', t.user_text,
           coalesce(t.previous_id, bench.trees_message_id(p_tag, t.i, 2)), null
    from turns t where t.kind = 'edited'
    union all
    select t.at + interval '40 seconds', bench.trees_message_id(p_tag, t.i, 3), 'ai', t.ai_text,
           null, bench.trees_message_id(p_tag, t.i, 2)
    from turns t where t.kind = 'edited'
  ), inserted as (
    insert into public.chat_messages (id, user_id, message_text, sender_type, session_id, "timestamp",
                                      previous_id, reply_to)
    select r.id, p_user, r.message_text, r.sender_type, p_session, r.at, r.previous_id, r.reply_to
    from rows r
    order by r.at, r.id
    returning 1
  )
  select count(*) from inserted
$$;

-- In two steps: the table's statistics still say it is empty (the migrations analyzed it so), so
-- the triggers' lookups are planned as sequential scans, which is quadratic over one statement's
-- rows (each row scans those before it); after a first 100 turns and an ANALYZE they use indexes.
select bench.trees_generate(bench.user_id(300001), bench.trees_context_session(1), 'c001', 46512, true, 1, 50)
     + bench.trees_generate(bench.user_id(300002), bench.trees_context_session(2), 'c002', 50000, false, 1, 50) \g /dev/null
analyze public.chat_messages;
select bench.trees_generate(bench.user_id(300001), bench.trees_context_session(1), 'c001', 46512, true, 51) \g /dev/null
select bench.trees_generate(bench.user_id(300002), bench.trees_context_session(2), 'c002', 50000, false, 51) \g /dev/null

-- The shape check: 34 turns (two regenerated, two edited, one of them the first message) written
-- by the RPCs as the signed-in user, and by the generator; numbered in timestamp order, both
-- must be the same tree (each message's sender, text and parent's number) with the same leaf.
select bench.trees_generate(bench.user_id(300003), bench.trees_context_session(4), 'c004', 34, true) \g /dev/null
begin;
select set_config('role', 'authenticated', true),
       set_config('request.jwt.claims', format('{"role":"authenticated","sub":"%s"}', bench.user_id(300003)), true) \g /dev/null
do $$
declare
  v_turns constant int := 34;
  v_session constant uuid := bench.trees_context_session(3);
  v_kind text;
  v_sample bench.chat_samples;
  v_reply uuid;
  v_message uuid;
begin
  for i in 1 .. v_turns loop
    select * into v_sample from bench.chat_samples s
    where s.id = 1 + (v_turns - i) % (select count(*) from bench.chat_samples);
    v_kind := bench.trees_turn_kind(v_turns, i, true);
    v_reply := public.store_chat_pair(auth.uid(),
      case when v_kind = 'edited' then bench.trees_first_try_user(v_sample.user_text) else v_sample.user_text end,
      case when v_kind = 'regenerated' then bench.trees_first_try_reply(v_sample.ai_text) else v_sample.ai_text end,
      v_session);
    select m.reply_to into v_message from public.chat_messages m where m.id = v_reply;
    if v_kind = 'regenerated' then
      perform public.regenerate_reply(v_message, v_sample.ai_text);
    elsif v_kind = 'edited' then
      perform public.edit_user_message(v_message, v_sample.user_text, v_sample.ai_text);
    end if;
  end loop;
end
$$;
commit;
do $$
declare
  v_differences bigint;
  v_tips text;
begin
  with numbered as (
    select m.id, m.session_id, m.sender_type, m.message_text, m.parent_id,
           row_number() over (partition by m.session_id order by m."timestamp", m.id) as n
    from public.chat_messages m
    where m.session_id in (bench.trees_context_session(3), bench.trees_context_session(4))
  ), shape as (
    select m.session_id, m.n, m.sender_type, m.message_text, p.n as parent_n
    from numbered m left join numbered p on p.id = m.parent_id
  ), rpc as (
    select n, sender_type, message_text, parent_n from shape where session_id = bench.trees_context_session(3)
  ), generated as (
    select n, sender_type, message_text, parent_n from shape where session_id = bench.trees_context_session(4)
  )
  select (select count(*) from (table rpc except all table generated) d)
       + (select count(*) from (table generated except all table rpc) d)
    into v_differences;
  select string_agg(n::text, ' / ' order by s) into v_tips
  from (select k as s, (select count(*) from public.chat_messages m
                        join public.chat_messages t on t.id = convo.chat_session_tip(bench.trees_context_session(k))
                        where m.session_id = t.session_id
                          and (m."timestamp", m.id) <= (t."timestamp", t.id)) as n
        from generate_series(3, 4) k) x;
  if v_differences <> 0 or split_part(v_tips, ' / ', 1) <> split_part(v_tips, ' / ', 2) then
    raise exception 'the generated tree differs from the one the RPCs write: % rows differ, leaves at % (RPCs / generator)',
      v_differences, v_tips;
  end if;
end
$$;

-- The window's walk exactly as public.get_chat_context runs it for a session (a copy of its
-- recursive CTE, migrations/…_trees_summaries.sql; scripts/bench.sh checks that both return the
-- same window): the current leaf, then one primary-key lookup per step up the branch. Returns the
-- AI reply ids of the turns that fit, newest first. As the caller, under RLS.
create or replace function bench.trees_branch_walk(p_user uuid, p_budget integer, p_session_id uuid)
returns uuid[]
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := p_user;
  v_turn_budget integer := p_budget;
  v_tip uuid;
  v_reply_ids uuid[];
  v_oldest uuid;
begin
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
  return v_reply_ids;
end
$$;
grant execute on function bench.trees_branch_walk(uuid, integer, uuid) to authenticated;

-- What the signed-in owner of session p_session gets from get_chat_context(p_budget, p_session),
-- and whether it is a full window: the next older turn on the branch would not fit. Also how long
-- the current branch is, that the copy of the walk above returns the same turns, and (p_rust)
-- that the Rust index walk (convo.fit_chat_turns, by timestamp: right for a linear session only)
-- does too.
create or replace function bench.trees_window_report(p_budget integer, p_session uuid, p_rust boolean)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_context jsonb := public.get_chat_context(p_budget, p_session);
  v_window uuid[];
  v_oldest uuid;
  v_next bigint;
  v_walk uuid[] := bench.trees_branch_walk(v_user, p_budget, p_session);
  v_walk_users uuid[];
  v_tip uuid := convo.chat_session_tip(p_session);
  v_branch bigint;
  v_total bigint;
  v_rust text := '';
begin
  -- the window's replies, newest first (as the walk returns them), and its oldest message
  select array_agg((e ->> 'id')::uuid order by n desc) filter (where e ->> 'role' = 'assistant'),
         (array_agg((e ->> 'id')::uuid order by n))[1]
    into v_window, v_oldest
  from jsonb_array_elements(v_context -> 'messages') with ordinality x(e, n);
  -- the turn before it on the branch: the reply the oldest user message follows, and its question
  select r.token_count + u.token_count into v_next
  from public.chat_messages o
  join public.chat_messages r on r.id = o.previous_id
  join public.chat_messages u on u.id = r.reply_to
  where o.id = v_oldest;
  with recursive branch(id, parent_id) as (
    select m.id, m.parent_id from public.chat_messages m where m.id = v_tip
    union all
    select p.id, p.parent_id from branch b join public.chat_messages p on p.id = b.parent_id
  )
  select count(*) into v_branch from branch;
  select count(*) into v_total from public.chat_messages m where m.session_id = p_session;
  if p_rust then
    select array_agg(m.reply_to order by n) into v_walk_users
    from unnest(v_walk) with ordinality w(id, n) join public.chat_messages m on m.id = w.id;
    v_rust := format('; fit_chat_turns (Rust) = the same turns: %s',
                     case when convo.fit_chat_turns(v_user, p_budget, p_session) = v_walk_users then 'yes' else 'NO' end);
  end if;
  return format('%s messages, %s tokens, full: %s (the turn before it, %s tokens, would make %s); '
                'current branch %s of the session''s %s messages; walk = window: %s%s',
                jsonb_array_length(v_context -> 'messages'), v_context ->> 'message_tokens',
                case when (v_context ->> 'message_tokens')::bigint + v_next > p_budget then 'yes' else 'NO' end,
                v_next, (v_context ->> 'message_tokens')::bigint + v_next,
                v_branch, v_total, case when v_walk = v_window then 'yes' else 'NO' end, v_rust);
end
$$;
grant execute on function bench.trees_window_report(integer, uuid, boolean) to authenticated;

vacuum analyze public.chat_messages;
vacuum analyze public.chat_sessions;
