-- Conversation trees (domain 11), part 5: store_chat_pair costs what it cost before the trees.
--
-- Writing a turn into a session had become ~13% slower (BENCHMARKS.md, "Conversation trees"):
-- the session was looked up seven times per turn (store_chat_pair's own check, the Rust insert's
-- check, the linking trigger's claim for each row, chat_session_tip's owner check, the Rust
-- insert's last_message_at update, the statement trigger), and the current leaf cost five
-- queries in a function call of its own. Now:
--   * store_chat_pair leaves the session to the insert's trigger (the Rust function checks the
--     content first, so bad content still gets 22023 whoever's the session: no existence oracle);
--   * the trigger reads the session once (owner, lock, picked branch) and the newest message with
--     "is it a leaf?" in one query; chat_session_tip runs only when that is not the answer (a
--     backfilled older message, or a branch picked with switch_branch since the last write);
--   * chat_session_tip itself is one query in the common case;
--   * messages outside sessions no longer enter the session indexes.

-- the current leaf: one query (owner check, newest message, is it a leaf, the picked branch) -----
create or replace function convo.chat_session_tip(p_session_id uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_tip uuid;
  v_tip_at timestamptz;
  v_is_leaf boolean;
  v_selected uuid;
  v_selected_at timestamptz;
  v_id uuid;
  v_at timestamptz;
begin
  -- the newest message (one index probe, however long the session; `limit 1`, so that the plan is
  -- that probe even before the table's statistics are gathered) and whether anything follows it;
  -- a signed-in user asks only about their own sessions (this reads without RLS). (Scalar
  -- subqueries, not NOT EXISTS: the planner may answer an EXISTS in a select list with a hashed
  -- subplan, i.e. a sequential scan of the whole table. Only a user message has replies: an AI
  -- reply needs one probe.)
  select t.id, t.at, t.is_leaf, s.selected_leaf_id, s.selected_at
    into v_tip, v_tip_at, v_is_leaf, v_selected, v_selected_at
  from public.chat_sessions s
  cross join lateral (
    select m.id, m."timestamp" as at,
           (select true from public.chat_messages c where c.previous_id = m.id limit 1) is null
           and (m.sender_type = 'ai'
                or (select true from public.chat_messages c where c.reply_to = m.id limit 1) is null)
             as is_leaf
    from public.chat_messages m
    where m.session_id = s.id
    order by m."timestamp" desc, m.id desc
    limit 1
  ) t
  where s.id = p_session_id
    and (current_setting('role') not in ('anon', 'authenticated') or s.user_id = auth.uid());
  if v_tip is null then
    return null;
  end if;
  -- an older message written into the session later (a backfill) hangs below the leaf it
  -- followed: then the newest message nothing follows
  if not v_is_leaf then
    v_tip := null;
    for v_id, v_at in
      select m.id, m."timestamp" from public.chat_messages m
      where m.session_id = p_session_id
      order by m."timestamp" desc, m.id desc
    loop
      if not exists (select from public.chat_messages c where c.reply_to = v_id)
         and not exists (select from public.chat_messages c where c.previous_id = v_id) then
        v_tip := v_id;
        v_tip_at := v_at;
        exit;
      end if;
    end loop;
  end if;
  -- the branch switch_branch picked, unless a message was written since
  if v_selected_at >= v_tip_at
     and exists (select from public.chat_messages m
                 where m.id = v_selected and m.session_id = p_session_id) then
    return v_selected;
  end if;
  return v_tip;
end
$$;

-- the linking trigger: one read of the session, one of its newest message -------------------------
-- SECURITY DEFINER now (it was a caller's-rights function calling two definer functions per row):
-- its reads are plain index lookups, and it checks the owner itself.
create or replace function convo.chat_messages_claim_session()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
  v_selected_at timestamptz;
  v_tip uuid;
  v_tip_at timestamptz;
  v_is_leaf boolean;
begin
  if current_setting('role') = 'anon'
     or (current_setting('role') = 'authenticated' and new.user_id is distinct from auth.uid()) then
    return new;
  end if;
  -- a session of the user's (the common case): this lookup also locks the session row to the end
  -- of the transaction, so that two writers of one session link their messages one after the other
  select s.user_id, s.selected_at into v_owner, v_selected_at
  from public.chat_sessions s where s.id = new.session_id
  for no key update;
  if v_owner is distinct from new.user_id then
    -- a new session (created for the user), or another user's (42501)
    perform convo.claim_chat_session(new.session_id, new.user_id);
  end if;
  if new.reply_to is not null then
    -- (a signed-in user's replies do not get here: chat_messages_server_timestamp checks them the
    -- same way) a reply answers a user message of its user in its session: so only user
    -- messages have replies, which the leaf checks below and in chat_session_tip rely on
    if not exists (select from public.chat_messages u
                   where u.id = new.reply_to and u.user_id = new.user_id and u.sender_type = 'user'
                     and u.session_id = new.session_id) then
      raise exception 'reply_to must be a user message of the same user, in the same chat session'
        using errcode = '23503';
    end if;
    return new;
  end if;
  if new.previous_id is null then
    -- the current leaf is the newest message when nothing follows it and no branch was picked
    -- after it was written; anything else is chat_session_tip's to work out
    select m.id, m."timestamp",
           (select true from public.chat_messages c where c.previous_id = m.id limit 1) is null
           and (m.sender_type = 'ai'
                or (select true from public.chat_messages c where c.reply_to = m.id limit 1) is null)
      into v_tip, v_tip_at, v_is_leaf
    from public.chat_messages m
    where m.session_id = new.session_id
    order by m."timestamp" desc, m.id desc
    limit 1;
    if not v_is_leaf or v_selected_at >= v_tip_at then
      v_tip := convo.chat_session_tip(new.session_id);
    end if;
    new.previous_id := v_tip;
  elsif new.previous_id = new.id then
    new.previous_id := null;
  elsif not exists (select from public.chat_messages p
                    where p.id = new.previous_id and p.session_id = new.session_id
                      and p.user_id = new.user_id) then
    raise exception 'previous_id must be a message of the same chat session'
      using errcode = '23503';
  end if;
  return new;
end
$$;

-- A reply a signed-in user writes is no longer claimed: chat_messages_server_timestamp already
-- looks up the message it answers (the user's own user message), now in the same session too, and
-- that message's session was claimed when it was written. (Other writers, such as the service
-- role, are still claimed.)
drop trigger chat_messages_claim_session on public.chat_messages;
create trigger chat_messages_claim_session
  before insert on public.chat_messages
  for each row when (new.session_id is not null
                     and (new.reply_to is null or current_user not in ('anon', 'authenticated')))
  execute function convo.chat_messages_claim_session();

create or replace function convo.chat_messages_server_timestamp()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_answered timestamptz;
begin
  new."timestamp" := clock_timestamp();
  if new.reply_to is not null then
    select u."timestamp" into v_answered
    from public.chat_messages u
    where u.id = new.reply_to and u.user_id = new.user_id and u.sender_type = 'user'
      and u.session_id is not distinct from new.session_id;
    if not found then
      raise exception 'reply_to must be one of your own user messages, in the same chat session'
        using errcode = '23503';
    end if;
    new."timestamp" := greatest(new."timestamp", v_answered + interval '1 microsecond');
  end if;
  return new;
end
$$;
comment on function convo.chat_messages_server_timestamp() is
  'BEFORE INSERT on public.chat_messages for anon/authenticated: "timestamp" is the server clock (a reply at least 1 µs after the message it answers, which must be the user''s own user message in the same chat session).';

-- a race lost while creating a session: its winner's row is locked too, as in the common case
create or replace function convo.claim_chat_session(p_session_id uuid, p_user_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
begin
  -- Called directly (not through the trigger), a signed-in user may only claim for themselves and
  -- anon not at all; the service role names any user.
  if current_setting('role') = 'anon'
     or (current_setting('role') = 'authenticated' and auth.uid() is distinct from p_user_id) then
    raise exception 'a chat session can only be used by its own user'
      using errcode = '42501';
  end if;
  if p_session_id is null or p_user_id is null then
    return;
  end if;

  -- a session that exists: one index lookup, which also locks the session row to the end of the
  -- transaction (writers of one session link their messages one after the other)
  select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id
  for no key update;
  if not found then
    insert into public.chat_sessions (id, user_id) values (p_session_id, p_user_id)
    on conflict (id) do nothing;
    if found then
      return;
    end if;
    -- another transaction created it first (and has committed): whose is it?
    select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id
    for no key update;
  end if;
  if v_owner is distinct from p_user_id then
    raise exception 'this chat session cannot be used by this user'
      using errcode = '42501',
            hint = 'Use a session id of your own, or a new one (a random UUID) to start a new session.';
  end if;
end
$$;

-- store_chat_pair: the session is the insert trigger's (above) ------------------------------------
create or replace function public.store_chat_pair(
  p_user_id uuid default null,
  p_user_message text default null,
  p_ai_response text default null,
  p_session_id uuid default null,
  p_mood text default null,
  p_sentiment numeric default null,
  p_model text default null,
  p_prompt_tokens integer default null,
  p_completion_tokens integer default null
)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_reply uuid;
begin
  if convo.check_usage(p_model, p_prompt_tokens, p_completion_tokens) then
    perform convo.add_token_usage('user', v_user, p_prompt_tokens, p_completion_tokens, 1,
      (select l.daily_token_limit from public.user_token_limits l where l.user_id = v_user));
  end if;
  -- p_session_id: the Rust function checks the content, then its insert's trigger
  -- (chat_messages_claim_session) creates a new session for the user, refuses another user's
  -- (42501), and links the turn to the session's current leaf
  v_reply := convo.store_chat_pair(v_user, p_user_message, p_ai_response, p_session_id,
                                   p_mood, p_sentiment::double precision);
  if p_model is not null then
    perform convo.set_reply_model(v_user, v_reply, p_model);
  end if;
  return v_reply;
end
$$;

-- last_message_at: one UPDATE ... FROM the statement's newest message per session. (It locked the
-- sessions in id order first, so that bulk inserts touching the same sessions in different orders
-- could not deadlock here; but the linking trigger above locks each session at its first message,
-- in the statement's order, so that order bought nothing any more, and cost a fifth of a turn's
-- session bookkeeping.)
create or replace function convo.chat_messages_touch_sessions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.chat_sessions s
  set last_message_at = n.at
  from (select i.session_id, max(i."timestamp") as at
        from inserted i
        where i.session_id is not null
        group by i.session_id) n
  where s.id = n.session_id
    and (s.last_message_at is null or s.last_message_at < n.at);
  return null;
end
$$;

-- messages outside sessions stay out of the session indexes ---------------------------------------
-- (every lookup by session_id names one, so the partial index serves them all, its foreign key too)
drop index public.idx_chat_messages_session;
create index idx_chat_messages_session on public.chat_messages (session_id, "timestamp", id)
  where session_id is not null;
drop index public.idx_chat_messages_session_roots;
create index idx_chat_messages_session_roots on public.chat_messages (session_id, "timestamp", id)
  where session_id is not null and reply_to is null and previous_id is null;
comment on index public.idx_chat_messages_session_roots is
  'The first messages of each chat session (an edited first message is a second root).';

-- convo.check_chat_pair wrote convo.check_chat_text's checks out "because it runs on every
-- store_chat_pair"; it no longer does (edit_user_message only), so it calls them (the same
-- messages, hints and details).
create or replace function convo.check_chat_pair(p_user_message text, p_ai_response text, p_mood text, p_sentiment numeric)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform convo.check_chat_text('p_user_message', p_user_message, 5000);
  perform convo.check_chat_text('p_ai_response', p_ai_response, 20000);
  if p_mood is not null then
    perform convo.check_chat_text('p_mood', p_mood, 64);
  end if;
  if p_sentiment is not null and not (p_sentiment >= 0 and p_sentiment <= 1) then
    raise exception 'p_sentiment must be between 0 and 1'
      using errcode = '22023', hint = 'sentiment_score is a probability-like score in [0, 1]',
            detail = p_sentiment::text;
  end if;
end
$$;
