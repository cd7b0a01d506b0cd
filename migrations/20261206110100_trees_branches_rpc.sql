-- Conversation trees (domain 11), part 2: the branch RPCs (regenerate_reply, edit_user_message,
-- switch_branch), get_chat_history along the current branch, the model of an AI reply, and
-- store_chat_pair's p_user_id made optional for a signed-in user as the acting-user rule says.

-- The model that wrote an AI reply (store_chat_pair's, regenerate_reply's, edit_user_message's
-- p_model): what message_feedback's daily aggregate groups by.
alter table public.chat_messages
  add column model text,
  add constraint chat_messages_model_length_check check (char_length(model) <= 200);
comment on column public.chat_messages.model is
  'For an AI reply: the model that wrote it, as reported with its usage (p_model); null when not reported.';

-- Records p_model on an AI reply store_chat_pair just wrote (its Rust insert does not take it).
-- SECURITY DEFINER: messages are immutable through the API; this touches only the acting user's
-- own reply.
create function convo.set_reply_model(p_user_id uuid, p_reply_id uuid, p_model text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.chat_messages m set model = p_model
  where m.id = p_reply_id and m.user_id = p_user_id and m.sender_type = 'ai';
end
$$;
comment on function convo.set_reply_model(uuid, uuid, text) is
  'Sets chat_messages.model of the AI reply p_reply_id of user p_user_id.';
revoke execute on function convo.set_reply_model(uuid, uuid, text) from public;
grant execute on function convo.set_reply_model(uuid, uuid, text) to authenticated, service_role;

-- Message content, as store_chat_pair checks it (src/chat.rs): not blank, at most p_max characters.
create function convo.check_chat_text(p_name text, p_text text, p_max integer)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_text is null or p_text !~ '\S' then
    raise exception '% must not be blank', p_name using errcode = '22023';
  end if;
  if pg_catalog.char_length(p_text) > p_max then
    raise exception '% is too long', p_name
      using errcode = '22023', hint = pg_catalog.format('at most %s characters', p_max),
            detail = pg_catalog.format('%s characters', pg_catalog.char_length(p_text));
  end if;
end
$$;
comment on function convo.check_chat_text(text, text, integer) is
  'Refuses (22023) blank text or text over p_max characters; the message names the parameter, never its value.';
revoke execute on function convo.check_chat_text(text, text, integer) from public;
grant execute on function convo.check_chat_text(text, text, integer) to authenticated, service_role;

-- A pair's content, checked as src/chat.rs's validate_pair does, before anything else: the RPCs
-- call it before they look at the session, so that a bad text gets the same answer whether or not
-- the session named is someone else's (no existence oracle).
create function convo.check_chat_pair(p_user_message text, p_ai_response text, p_mood text, p_sentiment numeric)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- (convo.check_chat_text's checks, written out: this runs on every store_chat_pair)
  if p_user_message is null or p_user_message !~ '\S' then
    raise exception 'p_user_message must not be blank' using errcode = '22023';
  end if;
  if pg_catalog.char_length(p_user_message) > 5000 then
    raise exception 'p_user_message is too long'
      using errcode = '22023', hint = 'at most 5000 characters',
            detail = pg_catalog.format('%s characters', pg_catalog.char_length(p_user_message));
  end if;
  if p_ai_response is null or p_ai_response !~ '\S' then
    raise exception 'p_ai_response must not be blank' using errcode = '22023';
  end if;
  if pg_catalog.char_length(p_ai_response) > 20000 then
    raise exception 'p_ai_response is too long'
      using errcode = '22023', hint = 'at most 20000 characters',
            detail = pg_catalog.format('%s characters', pg_catalog.char_length(p_ai_response));
  end if;
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
comment on function convo.check_chat_pair(text, text, text, numeric) is
  'Refuses (22023) a conversation turn''s bad content: blank or too long texts (5000 / 20000 / 64 characters for the message, the reply, the mood), sentiment outside 0..1.';
revoke execute on function convo.check_chat_pair(text, text, text, numeric) from public;
grant execute on function convo.check_chat_pair(text, text, text, numeric) to authenticated, service_role;

-- The message a branch RPC starts from: the acting user's, in a chat session. Another user's
-- message and a message that does not exist are the same answer (PT404).
create function convo.branch_message(p_user_id uuid, p_message_id uuid, p_name text)
returns public.chat_messages
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_message public.chat_messages;
begin
  if p_message_id is null then
    raise exception '% is required', p_name using errcode = '22023';
  end if;
  select m.* into v_message from public.chat_messages m where m.id = p_message_id and m.user_id = p_user_id;
  if not found then
    raise exception 'message not found' using errcode = 'PT404';
  end if;
  if v_message.session_id is null then
    raise exception 'this message is not in a chat session'
      using errcode = '22023', hint = 'Branches are kept per chat session: store messages with p_session_id.';
  end if;
  return v_message;
end
$$;
comment on function convo.branch_message(uuid, uuid, text) is
  'The chat message p_message_id of user p_user_id, which must be in a chat session (22023); another user''s or none: PT404 (HTTP 404).';
revoke execute on function convo.branch_message(uuid, uuid, text) from public;
grant execute on function convo.branch_message(uuid, uuid, text) to authenticated, service_role;

-- Meters a chat call's reported usage against the user's daily limit (PT429 over it).
create function convo.meter_chat_usage(p_user_id uuid, p_model text, p_prompt_tokens integer, p_completion_tokens integer)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if convo.check_usage(p_model, p_prompt_tokens, p_completion_tokens) then
    perform convo.add_token_usage('user', p_user_id, p_prompt_tokens, p_completion_tokens, 1,
      (select l.daily_token_limit from public.user_token_limits l where l.user_id = p_user_id));
  end if;
end
$$;
comment on function convo.meter_chat_usage(uuid, text, integer, integer) is
  'Validates a chat call''s reported usage and adds it to the user''s day (PT429 over the daily limit), as store_chat_pair does.';
revoke execute on function convo.meter_chat_usage(uuid, text, integer, integer) from public;
grant execute on function convo.meter_chat_usage(uuid, text, integer, integer) to authenticated, service_role;


-- store_chat_pair: p_user_id may be omitted by a signed-in user (the README's rule, a 404 before:
-- PGRST202, no function without it); the two texts get defaults only so that p_user_id can have
-- one (a missing text is refused as blank, 22023). Continues the session's current branch: the
-- session is locked first, so two pairs stored at once chain one after the other.
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
  -- A session that is not yet the user's (a new one, or someone else's): the content is checked
  -- first, so that bad content gets the same answer either way (no existence oracle), then the
  -- session is claimed. A session of theirs is locked and linked by the insert's trigger.
  if p_session_id is not null
     and not exists (select from public.chat_sessions s where s.id = p_session_id and s.user_id = v_user) then
    perform convo.check_chat_pair(p_user_message, p_ai_response, p_mood, p_sentiment);
    perform convo.claim_chat_session(p_session_id, v_user);
  end if;
  v_reply := convo.store_chat_pair(v_user, p_user_message, p_ai_response, p_session_id,
                                   p_mood, p_sentiment::double precision);
  if p_model is not null then
    perform convo.set_reply_model(v_user, v_reply, p_model);
  end if;
  return v_reply;
end
$$;

comment on function public.store_chat_pair(uuid, text, text, uuid, text, numeric, text, integer, integer) is
  'Stores one conversation turn atomically: the user message (with optional p_mood, p_sentiment in [0,1]) and the AI reply, which sorts strictly after it and points at it (reply_to). Returns the AI message id. In a session (p_session_id) the turn continues the current branch and becomes its leaf. Optionally the model''s reported usage (p_model, p_prompt_tokens, p_completion_tokens: both counts or none; p_model is kept on the reply), added to the user''s usage of the day; over the user''s daily token limit → PT429 (HTTP 429), nothing written. A signed-in user stores only for themselves (p_user_id omitted or their own id; another → 42501); the service role for the existing user p_user_id (required). A p_session_id that does not exist yet is created for that user; another user''s session → 42501. Refused with 22023 (HTTP 400): blank or missing messages, a user message over 5000 characters, a reply over 20000, sentiment outside 0..1, malformed usage. Unknown user: 23503 (HTTP 409). Nothing is written when refused.';


-- regenerate_reply ------------------------------------------------------------------------------
create function public.regenerate_reply(
  p_user_message_id uuid,
  p_ai_response text,
  p_model text default null,
  p_prompt_tokens integer default null,
  p_completion_tokens integer default null,
  p_user_id uuid default null
)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_message public.chat_messages;
  v_reply uuid;
begin
  perform convo.check_chat_text('p_ai_response', p_ai_response, 20000);
  v_message := convo.branch_message(v_user, p_user_message_id, 'p_user_message_id');
  if v_message.sender_type <> 'user' then
    raise exception 'p_user_message_id must be a user message'
      using errcode = '22023', hint = 'Pass the user message whose reply is regenerated (the reply''s reply_to).';
  end if;
  perform convo.meter_chat_usage(v_user, p_model, p_prompt_tokens, p_completion_tokens);
  perform convo.lock_chat_session(v_message.session_id);
  insert into public.chat_messages (user_id, message_text, sender_type, session_id, reply_to, model, "timestamp")
  values (v_user, p_ai_response, 'ai', v_message.session_id, v_message.id, p_model, clock_timestamp())
  returning id into v_reply;
  return v_reply;
end
$$;
comment on function public.regenerate_reply(uuid, text, text, integer, integer, uuid) is
  'Regenerate ("try again"): stores p_ai_response as a new AI reply to the user message p_user_message_id, beside the earlier replies (its siblings), and makes it the current branch of the session. Returns the new reply''s id. Usage (p_model, p_prompt_tokens, p_completion_tokens) is metered as in store_chat_pair (PT429 over the daily limit). Another user''s message or none → PT404 (HTTP 404); an AI message, a message outside a chat session, a blank or too long reply (20000 characters) → 22023 (HTTP 400). A signed-in user acts for themselves (p_user_id omitted or their own id); the service role names the user in p_user_id.';
revoke execute on function public.regenerate_reply(uuid, text, text, integer, integer, uuid) from public, anon;
grant execute on function public.regenerate_reply(uuid, text, text, integer, integer, uuid) to authenticated, service_role;


-- edit_user_message -----------------------------------------------------------------------------
create function public.edit_user_message(
  p_message_id uuid,
  p_user_message text,
  p_ai_response text,
  p_mood text default null,
  p_sentiment numeric default null,
  p_model text default null,
  p_prompt_tokens integer default null,
  p_completion_tokens integer default null,
  p_user_id uuid default null
)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_edited public.chat_messages;
  v_message uuid := gen_random_uuid();
  v_reply uuid;
begin
  perform convo.check_chat_pair(p_user_message, p_ai_response, p_mood, p_sentiment);
  v_edited := convo.branch_message(v_user, p_message_id, 'p_message_id');
  if v_edited.sender_type <> 'user' then
    raise exception 'p_message_id must be a user message'
      using errcode = '22023', hint = 'To replace an AI reply, use regenerate_reply.';
  end if;
  perform convo.meter_chat_usage(v_user, p_model, p_prompt_tokens, p_completion_tokens);
  perform convo.lock_chat_session(v_edited.session_id);
  -- a sibling of the edited message: the same previous message, or (previous_id = its own id)
  -- a new first message of the session
  insert into public.chat_messages (id, user_id, message_text, sender_type, mood_detected, sentiment_score,
                                    session_id, previous_id, "timestamp")
  values (v_message, v_user, p_user_message, 'user', p_mood, p_sentiment, v_edited.session_id,
          coalesce(v_edited.previous_id, v_message), clock_timestamp());
  insert into public.chat_messages (user_id, message_text, sender_type, session_id, reply_to, model, "timestamp")
  values (v_user, p_ai_response, 'ai', v_edited.session_id, v_message, p_model, clock_timestamp())
  returning id into v_reply;
  return v_reply;
end
$$;
comment on function public.edit_user_message(uuid, text, text, text, numeric, text, integer, integer, uuid) is
  'Edit and resend: stores p_user_message as a new version of the user message p_message_id (a sibling: it follows the same message) with its reply p_ai_response, and makes them the current branch of the session; the old version and everything after it stay, reachable with switch_branch. Returns the new AI reply''s id. p_mood, p_sentiment and the usage (p_model, p_prompt_tokens, p_completion_tokens) as in store_chat_pair (PT429 over the daily limit). Another user''s message or none → PT404 (HTTP 404); an AI message, a message outside a chat session, blank or too long texts (5000 / 20000 characters), sentiment outside 0..1 → 22023 (HTTP 400). A signed-in user acts for themselves (p_user_id omitted or their own id); the service role names the user in p_user_id.';
revoke execute on function public.edit_user_message(uuid, text, text, text, numeric, text, integer, integer, uuid) from public, anon;
grant execute on function public.edit_user_message(uuid, text, text, text, numeric, text, integer, integer, uuid) to authenticated, service_role;


-- switch_branch ---------------------------------------------------------------------------------
-- Records the picked leaf. SECURITY DEFINER: selected_leaf_id and selected_at are the server's
-- (not writable through the API); only the acting user's own session is touched.
create function convo.select_chat_leaf(p_user_id uuid, p_session_id uuid, p_leaf_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.chat_sessions s set selected_leaf_id = p_leaf_id, selected_at = clock_timestamp()
  where s.id = p_session_id and s.user_id = p_user_id;
end
$$;
comment on function convo.select_chat_leaf(uuid, uuid, uuid) is
  'Makes p_leaf_id the current leaf of chat session p_session_id of user p_user_id (switch_branch).';
revoke execute on function convo.select_chat_leaf(uuid, uuid, uuid) from public;
grant execute on function convo.select_chat_leaf(uuid, uuid, uuid) to authenticated, service_role;

create function public.switch_branch(p_message_id uuid, p_user_id uuid default null)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_message public.chat_messages;
  v_leaf uuid;
begin
  v_message := convo.branch_message(v_user, p_message_id, 'p_message_id');
  perform convo.lock_chat_session(v_message.session_id);
  -- the newest message under it is a leaf: a message is always older than its children
  with recursive subtree(id, at) as (
    select v_message.id, v_message."timestamp"
    union all
    select c.id, c."timestamp"
    from subtree t
    join public.chat_messages c on (c.reply_to = t.id or c.previous_id = t.id)
    where c.session_id = v_message.session_id and c.user_id = v_user
  )
  select t.id into v_leaf from subtree t order by t.at desc, t.id desc limit 1;
  perform convo.select_chat_leaf(v_user, v_message.session_id, v_leaf);
  return v_leaf;
end
$$;
comment on function public.switch_branch(uuid, uuid) is
  'Flips to another version ("< 2 / 3 >"): makes the newest leaf under message p_message_id (usually a sibling of a message on the current branch) the current leaf of its session, and returns that leaf''s id. It stays current until a message is written in the session. Another user''s message or none → PT404 (HTTP 404); a message outside a chat session → 22023. A signed-in user acts for themselves (p_user_id omitted or their own id); the service role names the user in p_user_id.';
revoke execute on function public.switch_branch(uuid, uuid) from public, anon;
grant execute on function public.switch_branch(uuid, uuid) to authenticated, service_role;


-- get_chat_history: the current branch of a session ------------------------------------------------
-- Two more columns pairs each (the user message's and the reply's siblings), so the return type
-- changes: drop and create.
drop function public.get_chat_history(integer, integer, uuid, uuid);

create function public.get_chat_history(
  p_limit integer default 50,
  p_offset integer default 0,
  p_session_id uuid default null,
  p_user_id uuid default null
)
returns table (
  user_message_id uuid,
  user_message text,
  mood_detected text,
  sentiment_score numeric,
  session_id uuid,
  user_timestamp timestamptz,
  ai_message_id uuid,
  ai_response text,
  ai_timestamp timestamptz,
  user_sibling_index integer,
  user_sibling_count integer,
  ai_sibling_index integer,
  ai_sibling_count integer
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
#variable_conflict use_column
declare
  -- Security invoker: a user's read still goes through RLS; the service role (BYPASSRLS) is
  -- limited to the acting user by the filters below.
  v_user uuid := convo.acting_user(p_user_id);
  v_tip uuid;
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200'
      using errcode = '22023', detail = format('p_limit was %s', coalesce(p_limit::text, 'null'));
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception 'p_offset must be 0 or more'
      using errcode = '22023', detail = format('p_offset was %s', coalesce(p_offset::text, 'null'));
  end if;

  if p_session_id is null then
    -- every turn of the user, in every session and branch; each user message with its newest reply
    return query
      select u.id, u.message_text, u.mood_detected, u.sentiment_score, u.session_id, u."timestamp",
             a.id, a.message_text, a."timestamp",
             us.sibling_index, us.sibling_count, s.sibling_index, s.sibling_count
      from public.chat_messages u
      left join lateral (
        select r.id, r.message_text, r."timestamp" from public.chat_messages r
        where r.reply_to = u.id and r.user_id = u.user_id
        order by r."timestamp" desc, r.id desc limit 1
      ) a on true
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
      left join lateral (
        -- the reply's position among the replies to its message (its regenerations)
        select greatest(count(*) filter (where (x.at, x.id) <= (a."timestamp", a.id)), 1)::integer as sibling_index,
               greatest(count(*), 1)::integer as sibling_count
        from (select c."timestamp", c.id from public.chat_messages c where c.reply_to = u.id
              union all
              select c."timestamp", c.id from public.chat_messages c where c.previous_id = u.id) x(at, id)
      ) s on a.id is not null
      where u.user_id = v_user
        and u.sender_type = 'user'
      order by u."timestamp" desc, u.id desc
      limit p_limit offset p_offset;
    return;
  end if;

  -- one session: its current branch, from the leaf back, newest first
  if not exists (select from public.chat_sessions s where s.id = p_session_id and s.user_id = v_user) then
    return;
  end if;
  v_tip := convo.chat_session_tip(p_session_id);
  return query
    with recursive branch(id, parent_id, below, users) as (
      select m.id, m.parent_id, null::uuid, (m.sender_type = 'user')::integer
      from public.chat_messages m
      where m.id = v_tip and m.user_id = v_user and m.session_id = p_session_id
      union all
      select p.id, p.parent_id, b.id, b.users + (p.sender_type = 'user')::integer
      from branch b
      join public.chat_messages p on p.id = b.parent_id
      where p.user_id = v_user and p.session_id = p_session_id
        and b.users < p_offset + p_limit
    )
    select u.id, u.message_text, u.mood_detected, u.sentiment_score, u.session_id, u."timestamp",
           a.id, a.message_text, a."timestamp",
           us.sibling_index, us.sibling_count, s.sibling_index, s.sibling_count
    from branch b
    join public.chat_messages u on u.id = b.id and u.sender_type = 'user'
    left join public.chat_messages a on a.id = b.below and a.reply_to = u.id
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
    left join lateral (
      -- the reply's position among the replies to its message (its regenerations)
      select greatest(count(*) filter (where (x.at, x.id) <= (a."timestamp", a.id)), 1)::integer as sibling_index,
             greatest(count(*), 1)::integer as sibling_count
      from (select c."timestamp", c.id from public.chat_messages c where c.reply_to = u.id
            union all
            select c."timestamp", c.id from public.chat_messages c where c.previous_id = u.id) x(at, id)
    ) s on a.id is not null
    order by b.users
    limit p_limit offset p_offset;
end
$$;

comment on function public.get_chat_history(integer, integer, uuid, uuid) is
  'A user''s conversation as (user message, AI reply) pairs, newest first: p_limit pairs (1-200, default 50) after skipping p_offset. With p_session_id: that session''s current branch (regenerated replies and edited messages that are not on it are left out); without: every turn of the user, each user message with its newest reply. user_sibling_index/count and ai_sibling_index/count place each message among its versions (1-based, oldest first: "< 2 / 3 >"; switch_branch flips). A user message without a reply yet has null ai_* fields. A signed-in user reads their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). STABLE: callable with GET.';

revoke execute on function public.get_chat_history(integer, integer, uuid, uuid) from public, anon;
grant execute on function public.get_chat_history(integer, integer, uuid, uuid) to authenticated, service_role;
