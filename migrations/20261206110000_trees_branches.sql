-- Conversation trees (domain 11), part 1: branches. Regenerate a reply, edit and resend a message,
-- flip between the versions; get_chat_history and get_chat_context follow the branch the user is on.
--
-- The tree lives in chat_messages itself:
--   * an AI reply's parent is the user message it answers (reply_to, as before, now no longer
--     unique: a regenerated reply is a second child of the same user message);
--   * any other message's parent is previous_id: the message before it on its branch (null for the
--     first message of a session, and for messages outside a session, which have no branches);
--   * parent_id = coalesce(reply_to, previous_id), for clients.
-- A session's current leaf (convo.chat_session_tip) is its newest leaf, unless the user picked
-- another branch (switch_branch) after that message was written: chat_sessions.selected_leaf_id.
-- So writing a message costs no pointer update: whatever is written last is current, which is
-- what regenerate and edit need, and a linear session is a tree without siblings.
--
-- Existing data becomes one branch per session: each message that is not a reply follows the
-- message before it in its session ("timestamp", id).

-- the tree's columns ----------------------------------------------------------------------------
alter table public.chat_messages drop constraint chat_messages_reply_to_key;
alter table public.chat_messages
  add column previous_id uuid,
  add constraint chat_messages_previous_id_fkey foreign key (previous_id)
    references public.chat_messages (id) on delete set null,
  add constraint chat_messages_one_parent_check check (reply_to is null or previous_id is null);

-- one branch per session, in the order the history was read so far
update public.chat_messages m
set previous_id = o.previous_id
from (select c.id, c.reply_to,
             lag(c.id) over (partition by c.session_id order by c."timestamp", c.id) as previous_id
      from public.chat_messages c
      where c.session_id is not null) o
where m.id = o.id and o.reply_to is null and o.previous_id is not null;

alter table public.chat_messages
  add column parent_id uuid generated always as (coalesce(reply_to, previous_id)) stored;

comment on column public.chat_messages.reply_to is
  'For sender_type = ''ai'': the user message this reply answers (its parent). Several replies to one message are its regenerations; null for user messages.';
comment on column public.chat_messages.previous_id is
  'For a message that is not a reply: the message before it on its branch (its parent); null for the first message of a chat session and outside sessions. Filled in by the server when omitted (the session''s current leaf).';
comment on column public.chat_messages.parent_id is
  'The message before this one in the conversation tree: reply_to for an AI reply, previous_id otherwise. Computed by the database.';
comment on table public.chat_messages is
  'Chat history: user messages and AI replies, a tree per chat session (parent_id). An AI reply''s reply_to is the user message it answers; regenerations are further replies to it, edits are siblings of the edited message.';

-- The walks: children of a message, oldest first (sibling positions, the newest leaf under a
-- message), and a session's roots. Each also serves its foreign key (on delete of a message).
create index idx_chat_messages_reply_to on public.chat_messages (reply_to, "timestamp", id)
  where reply_to is not null;
create index idx_chat_messages_previous on public.chat_messages (previous_id, "timestamp", id)
  where previous_id is not null;
create index idx_chat_messages_session_roots on public.chat_messages (session_id, "timestamp", id)
  where reply_to is null and previous_id is null;
comment on index public.idx_chat_messages_reply_to is
  'An AI reply''s parent (reply_to): the replies to a message in order (regenerations), and its foreign key.';
comment on index public.idx_chat_messages_previous is
  'A message''s parent when it is not a reply (previous_id): the messages that follow one in order (edits are siblings), and its foreign key.';
comment on index public.idx_chat_messages_session_roots is
  'The first messages of each chat session (an edited first message is a second root).';

-- The newest message of a session, in the history's exact order: the current leaf. With only
-- (session_id, "timestamp"), rows sharing a timestamp (one statement wrote them) were all read
-- and sorted by id for each new message.
drop index public.idx_chat_messages_session;
create index idx_chat_messages_session on public.chat_messages (session_id, "timestamp", id);

-- a session's picked branch -----------------------------------------------------------------------
alter table public.chat_sessions
  add column selected_leaf_id uuid,
  add column selected_at timestamptz;
comment on column public.chat_sessions.selected_leaf_id is
  'The leaf the user switched to (switch_branch), current until a newer message is written in the session. Server-maintained.';
comment on column public.chat_sessions.selected_at is 'When switch_branch picked selected_leaf_id. Server-maintained.';
select convo.install_keep_server_columns('public.chat_sessions',
  array['created_at', 'last_message_at', 'selected_leaf_id', 'selected_at']);
analyze public.chat_messages;

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
  v_id uuid;
  v_at timestamptz;
  v_tip uuid;
  v_tip_at timestamptz;
  v_selected uuid;
begin
  -- a signed-in user asks only about their own sessions (this reads without RLS)
  if current_setting('role') in ('anon', 'authenticated')
     and not exists (select from public.chat_sessions s
                     where s.id = p_session_id and s.user_id = auth.uid()) then
    return null;
  end if;
  -- the newest leaf (a message nothing follows): the newest message (one index probe, however
  -- long the session; `limit 1`, so that the plan is that probe even before the table's statistics
  -- are gathered) ...
  select m.id, m."timestamp" into v_tip, v_tip_at
  from public.chat_messages m
  where m.session_id = p_session_id
  order by m."timestamp" desc, m.id desc
  limit 1;
  if v_tip is null then
    return null;
  end if;
  -- ... unless an older message was written into the session later (a backfill: it hangs below
  -- the leaf it followed): then the newest that nothing follows
  if exists (select from public.chat_messages c where c.reply_to = v_tip)
     or exists (select from public.chat_messages c where c.previous_id = v_tip) then
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
  select s.selected_leaf_id into v_selected
  from public.chat_sessions s
  join public.chat_messages m on m.id = s.selected_leaf_id and m.session_id = s.id
  where s.id = p_session_id and s.selected_at >= v_tip_at;
  return coalesce(v_selected, v_tip);
end
$$;
comment on function convo.chat_session_tip(uuid) is
  'The current leaf of chat session p_session_id: its newest leaf (a message nothing follows), or the leaf picked by switch_branch if nothing was written since. Null for an empty session.';
revoke execute on function convo.chat_session_tip(uuid) from public;
grant execute on function convo.chat_session_tip(uuid) to authenticated, service_role;

-- Locks a chat session's row for a write that extends a branch: two writers of one session then
-- chain one after the other instead of both following the same leaf. (Writers reach this after
-- convo.claim_chat_session, so the session is the caller's.)
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

-- A session is locked by whoever writes into it: claim_chat_session's lookup of its owner (which
-- every message written into a session goes through) takes the row lock too.
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
  -- Called directly (not through the trigger or store_chat_pair), a signed-in user may only
  -- claim for themselves and anon not at all; the service role names any user.
  if current_setting('role') = 'anon'
     or (current_setting('role') = 'authenticated' and auth.uid() is distinct from p_user_id) then
    raise exception 'a chat session can only be used by its own user'
      using errcode = '42501';
  end if;
  if p_session_id is null or p_user_id is null then
    return;
  end if;

  -- the common case, a session that exists: one index lookup, which also locks the session row
  -- to the end of the transaction, so that two writers of one session link their messages into
  -- its tree one after the other (chat_messages_claim_session reads the current leaf next)
  select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id
  for no key update;
  if not found then
    insert into public.chat_sessions (id, user_id) values (p_session_id, p_user_id)
    on conflict (id) do nothing;
    if found then
      return;
    end if;
    -- another transaction created it first: whose is it?
    select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id;
  end if;
  if v_owner is distinct from p_user_id then
    raise exception 'this chat session cannot be used by this user'
      using errcode = '42501',
            hint = 'Use a session id of your own, or a new one (a random UUID) to start a new session.';
  end if;
end
$$;

-- Every message written into a session is linked into its tree, whichever way it was written:
-- one that is not a reply and names no previous_id follows the session's current leaf; one that
-- names a previous_id must name a message of the same session and user (23503 otherwise, the
-- same answer whether the message is someone else's or does not exist). previous_id = the
-- message's own id asks for a new first message (edit_user_message of a session's first message).
create or replace function convo.chat_messages_claim_session()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_setting('role') = 'anon'
     or (current_setting('role') = 'authenticated' and new.user_id is distinct from auth.uid()) then
    return new;
  end if;
  perform convo.claim_chat_session(new.session_id, new.user_id);
  if new.reply_to is null then
    if new.previous_id is null then
      -- (claim_chat_session has locked the session row: two writers follow one leaf after the
      -- other, not both the same one)
      new.previous_id := convo.chat_session_tip(new.session_id);
    elsif new.previous_id = new.id then
      new.previous_id := null;
    elsif not exists (select from public.chat_messages p
                      where p.id = new.previous_id and p.session_id = new.session_id
                        and p.user_id = new.user_id) then
      raise exception 'previous_id must be a message of the same chat session'
        using errcode = '23503';
    end if;
  end if;
  return new;
end
$$;
comment on function convo.chat_messages_claim_session() is
  'BEFORE INSERT on public.chat_messages: creates the message''s chat session on first use, refuses another user''s session (42501), and links the message into the session''s tree (previous_id: the current leaf unless given; a given one must be in the same session, else 23503).';

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
