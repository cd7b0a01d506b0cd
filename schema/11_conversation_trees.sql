-- Conversation trees (domain 11): branches (regenerate, edit and resend, switch between
-- versions), feedback on AI replies, and rolling summaries for the context window. The schema as
-- it stands; the steps to it are the migrations of domain number 11. The RPCs that read along a
-- branch live with their domains: get_chat_history and store_chat_pair (01_chat.sql),
-- get_chat_context (06_tokens.sql); the trigger that links a new message into its session's tree
-- is chat_messages_claim_session (01_chat.sql).
--
-- The tree lives in chat_messages itself:
--   * an AI reply's parent is the user message it answers (reply_to, not unique: a regenerated
--     reply is a second child of the same user message);
--   * any other message's parent is previous_id: the message before it on its branch (null for the
--     first message of a session, and for messages outside a session, which have no branches);
--   * parent_id = coalesce(reply_to, previous_id), for clients.
-- A session's current leaf (convo.chat_session_tip) is its newest leaf, unless the user picked
-- another branch (switch_branch) after that message was written: chat_sessions.selected_leaf_id.
-- So writing a message costs no pointer update: whatever is written last is current, which is
-- what regenerate and edit need, and a linear session is a tree without siblings.
--
-- Columns come after the embedding column of 07_memory_search.sql, as in the migrations.


-- ============================================================================================
-- Branches
-- ============================================================================================
-- the tree's columns ----------------------------------------------------------------------------
alter table public.chat_messages
  add column previous_id uuid,
  add constraint chat_messages_previous_id_fkey foreign key (previous_id)
    references public.chat_messages (id) on delete set null,
  add constraint chat_messages_one_parent_check check (reply_to is null or previous_id is null);

alter table public.chat_messages
  add column parent_id uuid generated always as (coalesce(reply_to, previous_id)) stored;

comment on column public.chat_messages.previous_id is
  'For a message that is not a reply: the message before it on its branch (its parent); null for the first message of a chat session and outside sessions. Filled in by the server when omitted (the session''s current leaf).';
comment on column public.chat_messages.parent_id is
  'The message before this one in the conversation tree: reply_to for an AI reply, previous_id otherwise. Computed by the database.';

-- The walks: children of a message, oldest first (sibling positions, the newest leaf under a
-- message), and a session's roots. Each also serves its foreign key (on delete of a message).
create index idx_chat_messages_reply_to on public.chat_messages (reply_to, "timestamp", id)
  where reply_to is not null;
create index idx_chat_messages_previous on public.chat_messages (previous_id, "timestamp", id)
  where previous_id is not null;
create index idx_chat_messages_session_roots on public.chat_messages (session_id, "timestamp", id)
  where session_id is not null and reply_to is null and previous_id is null;
comment on index public.idx_chat_messages_reply_to is
  'An AI reply''s parent (reply_to): the replies to a message in order (regenerations), and its foreign key.';
comment on index public.idx_chat_messages_previous is
  'A message''s parent when it is not a reply (previous_id): the messages that follow one in order (edits are siblings), and its foreign key.';
comment on index public.idx_chat_messages_session_roots is
  'The first messages of each chat session (an edited first message is a second root).';

-- a session's picked branch -----------------------------------------------------------------------
alter table public.chat_sessions
  add column selected_leaf_id uuid,
  add column selected_at timestamptz;
comment on column public.chat_sessions.selected_leaf_id is
  'The leaf the user switched to (switch_branch), current until a newer message is written in the session. Server-maintained.';
comment on column public.chat_sessions.selected_at is 'When switch_branch picked selected_leaf_id. Server-maintained.';
select convo.install_keep_server_columns('public.chat_sessions',
  array['created_at', 'last_message_at', 'selected_leaf_id', 'selected_at']);

-- the current leaf --------------------------------------------------------------------------------
-- SECURITY DEFINER, so that its lookups are plain index scans (under RLS, with statistics not yet
-- gathered, the planner combined the owner's whole index into each of them: 280 ms for a session
-- of 1,000 messages); a signed-in user gets an answer only for a session of their own.
-- STABLE: it reads with its caller's snapshot, so a branch walk reads the same rows as the leaf
-- it starts from (called by the linking trigger, whose statements each take a new snapshot, it
-- sees the messages a multi-row insert wrote before: the rows become one chain).
create function convo.chat_session_tip(p_session_id uuid)
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
comment on function convo.chat_session_tip(uuid) is
  'The current leaf of chat session p_session_id: its newest leaf (a message nothing follows), or the leaf picked by switch_branch if nothing was written since. Null for an empty session.';
revoke execute on function convo.chat_session_tip(uuid) from public;
grant execute on function convo.chat_session_tip(uuid) to authenticated, service_role;

-- Locks a chat session's row for a write that extends a branch: two writers of one session then
-- chain one after the other instead of both following the same leaf. (Writers reach this after
-- convo.branch_message, so the session is the caller's. regenerate_reply needs it: a signed-in
-- user's reply does not go through the linking trigger, which takes the same lock.)
create function convo.lock_chat_session(p_session_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform from public.chat_sessions s where s.id = p_session_id for no key update;
end
$$;
comment on function convo.lock_chat_session(uuid) is
  'Row-locks chat session p_session_id (FOR NO KEY UPDATE) until the end of the transaction: writes that extend its branch one after another.';
revoke execute on function convo.lock_chat_session(uuid) from public;
grant execute on function convo.lock_chat_session(uuid) to authenticated, service_role;

-- A message outside a session has no branch: previous_id only within sessions.
create function convo.chat_messages_no_branch_outside_sessions()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'previous_id needs a chat session'
    using errcode = '22023', hint = 'Branches are kept per chat session: pass session_id.';
end
$$;
comment on function convo.chat_messages_no_branch_outside_sessions() is
  'BEFORE INSERT on public.chat_messages: refuses previous_id on a message without session_id (22023).';
revoke execute on function convo.chat_messages_no_branch_outside_sessions() from public;
create trigger chat_messages_no_branch_outside_sessions
  before insert on public.chat_messages
  for each row when (new.session_id is null and new.previous_id is not null)
  execute function convo.chat_messages_no_branch_outside_sessions();

-- The current leaf, as a column of chat_sessions for PostgREST (a computed field:
-- `from('chat_sessions').select('id, title, current_leaf_id')`).
create function public.current_leaf_id(public.chat_sessions)
returns uuid
language sql
stable
security invoker
set search_path = ''
as $$
  select convo.chat_session_tip(s.id)
  from public.chat_sessions s
  where s.id = $1.id and s.user_id = $1.user_id
$$;
comment on function public.current_leaf_id(public.chat_sessions) is
  'Computed column of chat_sessions: the session''s current leaf (the message its current branch ends with), as get_chat_history and get_chat_context follow it. Select it by name: select=id,current_leaf_id.';
revoke execute on function public.current_leaf_id(public.chat_sessions) from public, anon;
grant execute on function public.current_leaf_id(public.chat_sessions) to authenticated, service_role;


-- ============================================================================================
-- Branch RPCs
-- ============================================================================================
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

-- A pair's content, checked as src/chat.rs's validate_pair does, before anything else:
-- edit_user_message calls it before it looks at the message, so that bad content gets the same
-- answer whatever message is named (store_chat_pair's Rust function checks first by itself).
create function convo.check_chat_pair(p_user_message text, p_ai_response text, p_mood text, p_sentiment numeric)
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


-- ============================================================================================
-- Feedback
-- ============================================================================================
create table public.message_feedback (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  message_id uuid not null,
  rating smallint not null,
  reason text,
  comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint message_feedback_pkey primary key (id),
  constraint message_feedback_user_message_key unique (user_id, message_id),
  constraint message_feedback_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint message_feedback_message_id_fkey foreign key (message_id)
    references public.chat_messages (id) on delete cascade,
  constraint message_feedback_rating_check check (rating in (-1, 1)),
  -- the reasons chat products ask for after a thumbs down (and up)
  constraint message_feedback_reason_check check (reason in (
    'inaccurate', 'unhelpful', 'did_not_follow_instructions', 'refused', 'unsafe', 'too_long',
    'too_short', 'style', 'helpful', 'accurate', 'creative', 'other')),
  constraint message_feedback_comment_length_check check (char_length(comment) <= 1000)
);
comment on table public.message_feedback is
  'A user''s rating of an AI reply in their own chat history: rating +1 / -1, optional reason (closed set) and comment (at most 1000 characters). One per user and reply: change it with an upsert on (user_id, message_id), remove it with a delete.';
comment on column public.message_feedback.reason is
  'One of: inaccurate, unhelpful, did_not_follow_instructions, refused, unsafe, too_long, too_short, style, helpful, accurate, creative, other.';

-- the unique key leads with user_id (the policies' column); message_id's foreign key has its own
create index idx_message_feedback_message on public.message_feedback (message_id);

-- The rated message must be an AI reply of the rating's user: another user's message and none are
-- the same answer (23503, as a bad foreign key); the user's own non-AI message is 22023.
-- Security invoker: a signed-in user sees only their own messages; the service role all.
create function convo.message_feedback_check_message()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_sender text;
begin
  select m.sender_type into v_sender
  from public.chat_messages m where m.id = new.message_id and m.user_id = new.user_id;
  if not found then
    raise exception 'message_id must be one of your own AI replies' using errcode = '23503';
  end if;
  if v_sender <> 'ai' then
    raise exception 'only AI replies can be rated' using errcode = '22023';
  end if;
  return new;
end
$$;
comment on function convo.message_feedback_check_message() is
  'BEFORE INSERT OR UPDATE OF user_id, message_id on public.message_feedback: the message must be an AI reply of the same user (23503 otherwise; the user''s own non-AI message: 22023).';
revoke execute on function convo.message_feedback_check_message() from public;

create trigger message_feedback_check_message
  before insert or update of user_id, message_id on public.message_feedback
  for each row execute function convo.message_feedback_check_message();

create trigger message_feedback_touch_updated_at
  before update on public.message_feedback
  for each row execute function convo.touch_updated_at();

alter table public.message_feedback enable row level security;

-- A user reads their own ratings.
create policy "Users can view their own feedback" on public.message_feedback
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user rates for themselves only (which reply: the trigger above).
create policy "Users can create their own feedback" on public.message_feedback
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user changes their own rating and cannot give it away.
create policy "Users can update their own feedback" on public.message_feedback
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user removes their own rating.
create policy "Users can delete their own feedback" on public.message_feedback
  for delete to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.message_feedback from anon;
revoke truncate, trigger, references on public.message_feedback from authenticated;
select convo.install_keep_server_columns('public.message_feedback', array['created_at', 'updated_at']);
select convo.install_fill_column_defaults('public.message_feedback');

-- The daily aggregate: per model (of the rated reply) and UTC day (of the rating's last change).
create view public.message_feedback_daily
with (security_invoker = true)
as
select g.model, g.day, g.up, g.down,
       coalesce(r.up_reasons, '{}'::jsonb) as up_reasons,
       coalesce(r.down_reasons, '{}'::jsonb) as down_reasons
from (
  select m.model,
         (f.updated_at at time zone 'UTC')::date as day,
         count(*) filter (where f.rating = 1) as up,
         count(*) filter (where f.rating = -1) as down,
         array_agg(f.rating::text || ':' || f.reason) filter (where f.reason is not null) as reasons
  from public.message_feedback f
  join public.chat_messages m on m.id = f.message_id
  group by m.model, (f.updated_at at time zone 'UTC')::date
) g
left join lateral (
  select jsonb_object_agg(split_part(x.reason, ':', 2), x.n) filter (where split_part(x.reason, ':', 1) = '1') as up_reasons,
         jsonb_object_agg(split_part(x.reason, ':', 2), x.n) filter (where split_part(x.reason, ':', 1) = '-1') as down_reasons
  from (select r.reason, count(*) as n from unnest(g.reasons) r(reason) group by r.reason) x
) r on true;
comment on view public.message_feedback_daily is
  'Feedback on AI replies per model (chat_messages.model of the rated reply; null when not reported) and UTC day (of the rating''s last change): up, down, and {reason: count} for each. For the app''s backend (service role); runs with the caller''s rights.';
revoke all on public.message_feedback_daily from anon, authenticated, service_role;
grant select on public.message_feedback_daily to service_role;

-- PostgREST answers a write to a view that is not automatically updatable (this one aggregates)
-- with the rewriter's 55000, an HTTP 500, before any privilege is checked. With an INSTEAD OF
-- trigger the write reaches the privilege check: no role may write it (42501, 401 / 403).
create function convo.refuse_view_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'this view is read-only' using errcode = '42501';
end
$$;
comment on function convo.refuse_view_write() is
  'INSTEAD OF trigger of read-only aggregate views: refuses any write (42501).';
revoke execute on function convo.refuse_view_write() from public;
create trigger message_feedback_daily_read_only
  instead of insert or update or delete on public.message_feedback_daily
  for each row execute function convo.refuse_view_write();


-- ============================================================================================
-- Rolling summaries
-- ============================================================================================
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
