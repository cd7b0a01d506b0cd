-- Companion chat, for real clients (issues 10 and 11): the Bondhu backend's own session ids,
-- server backends acting for a user, server-maintained columns, bounded values, and error
-- messages that never repeat what the caller sent.
--
--   1. A chat session id that does not exist yet is created for the message's user on first use
--      (a direct chat_messages insert and store_chat_pair alike); someone else's session is
--      refused with 42501, and the error says nothing about that session.
--   2. get_chat_history / get_memories take p_user_id (convo.acting_user's rule): a signed-in user
--      reads their own rows, the service role names the user. A read by the service role records
--      the access (access_count, last_accessed) exactly as the user's own read does.
--   3. Server-maintained columns (created_at, updated_at, timestamp, last_message_at,
--      last_accessed, access_count) keep the server's value whatever anon / authenticated send.
--   4. Every text / jsonb column a client writes has a CHECK named <table>_<column>_length_check.
--   5. Error messages carry no caller-supplied value; such values go to DETAIL.
--
-- An explicit null for importance (supabase-py sends `None` as null) already takes the default
-- 'medium': the foundation migration installed user_memories_fill_column_defaults.


-- 1. Chat sessions created on first use --------------------------------------------------------------
-- The seed's backend generates a session UUID per conversation and writes messages with it; it
-- never inserts into chat_sessions. So the first message that names an unknown session id creates
-- the session for that message's user.
--
-- convo.claim_chat_session(session, user): the session exists afterwards and belongs to user, or
-- the call fails with 42501. SECURITY DEFINER: it must see (and refuse) a session the caller
-- cannot see, and create one through RLS-free code. It is called by
--   * the BEFORE INSERT trigger on chat_messages (direct inserts: the seed's backend, or a user),
--   * public.store_chat_pair, before the Rust convo.store_chat_pair, which only writes into a
--     session that already exists and belongs to the user.
-- The refusal names neither the session nor its owner: whoever asks learns only that this id is
-- not theirs to use (a random UUID that is taken), never whose it is or what is in it.
-- `insert … on conflict (id) do nothing` creates it exactly once even when two first messages race
-- (the loser then reads the winner's owner).
create function convo.claim_chat_session(p_session_id uuid, p_user_id uuid)
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

  -- the common case, a session that exists: one index lookup
  select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id;
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
comment on function convo.claim_chat_session(uuid, uuid) is
  'Makes sure chat session p_session_id exists and belongs to p_user_id: creates it on first use; another user''s session → 42501 (the error reveals nothing about it).';
revoke execute on function convo.claim_chat_session(uuid, uuid) from public;
grant execute on function convo.claim_chat_session(uuid, uuid) to authenticated, service_role;

-- The trigger: claims the session of every inserted message that names one. A row a signed-in
-- user writes for someone else, or any row anon writes, is left alone: RLS refuses that row
-- right after (42501), the same answer whether or not the session exists.
create function convo.chat_messages_claim_session()
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
  return new;
end
$$;
comment on function convo.chat_messages_claim_session() is
  'BEFORE INSERT on public.chat_messages: creates the message''s chat session on first use, refuses another user''s session (42501).';
revoke execute on function convo.chat_messages_claim_session() from public;

create trigger chat_messages_claim_session
  before insert on public.chat_messages
  for each row when (new.session_id is not null)
  execute function convo.chat_messages_claim_session();

-- The insert policy checked the session's owner with a subquery. That subquery cannot see a
-- session the trigger above created in the same statement (a statement sees only rows that
-- existed when it started), so a first message would be refused. The owner check now lives in
-- the trigger, for every role; the policy keeps the user check.
drop policy "Users can create their own chat messages" on public.chat_messages;
-- A user writes their own messages (the session, if any, is checked by chat_messages_claim_session).
create policy "Users can create their own chat messages" on public.chat_messages
  for insert to authenticated
  with check (user_id = (select auth.uid()));


-- store_chat_pair: the same signature (the seed's parameter names; p_user_id stays required, as the
-- seed sends it), now following convo.acting_user: a user stores for themselves (another id →
-- 42501), the service role for the user it names. The session is claimed first, so the Rust
-- function finds it.
create or replace function public.store_chat_pair(
  p_user_id uuid,
  p_user_message text,
  p_ai_response text,
  p_session_id uuid default null,
  p_mood text default null,
  p_sentiment numeric default null
)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  if p_session_id is not null then
    perform convo.claim_chat_session(p_session_id, v_user);
  end if;
  return convo.store_chat_pair(v_user, p_user_message, p_ai_response, p_session_id,
                               p_mood, p_sentiment::double precision);
end
$$;

comment on function public.store_chat_pair(uuid, text, text, uuid, text, numeric) is
  'Stores one conversation turn atomically: the user message (with optional p_mood, p_sentiment in [0,1]) and the AI reply, which sorts strictly after it and points at it (reply_to). Returns the AI message id. A signed-in user stores only for themselves (p_user_id null or their own id; another → 42501); the service role for the existing user p_user_id (required). A p_session_id that does not exist yet is created for that user; another user''s session → 42501. Refused with 22023 (HTTP 400): blank messages, a user message over 5000 characters, a reply over 20000, sentiment outside 0..1. Unknown user: 23503 (HTTP 409). Nothing is written when refused.';


-- 2. Acting for a user: get_chat_history, get_memories ---------------------------------------------------
-- New signatures (p_user_id added last): dropped and created again, so no second overload is left
-- for PostgREST to choose between.

drop function public.get_chat_history(integer, integer, uuid);

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
  ai_timestamp timestamptz
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
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200'
      using errcode = '22023', detail = format('p_limit was %s', coalesce(p_limit::text, 'null'));
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception 'p_offset must be 0 or more'
      using errcode = '22023', detail = format('p_offset was %s', coalesce(p_offset::text, 'null'));
  end if;

  return query
    select u.id, u.message_text, u.mood_detected, u.sentiment_score, u.session_id, u."timestamp",
           a.id, a.message_text, a."timestamp"
    from public.chat_messages u
    left join public.chat_messages a on a.reply_to = u.id and a.user_id = u.user_id
    where u.user_id = v_user
      and u.sender_type = 'user'
      and (p_session_id is null or u.session_id = p_session_id)
    order by u."timestamp" desc, u.id desc
    limit p_limit offset p_offset;
end
$$;

comment on function public.get_chat_history(integer, integer, uuid, uuid) is
  'A user''s conversation as (user message, AI reply) pairs, newest first: p_limit pairs (1-200, default 50) after skipping p_offset, optionally only session p_session_id. A user message without a reply yet has null ai_* fields. A signed-in user reads their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). STABLE: callable with GET.';

revoke execute on function public.get_chat_history(integer, integer, uuid, uuid) from public, anon;
grant execute on function public.get_chat_history(integer, integer, uuid, uuid) to authenticated, service_role;


-- convo.read_memories(user, limit, category): picks a user's memories and records the read
-- (access_count + 1, last_accessed = now()) in one statement. SECURITY DEFINER because
-- access_count and last_accessed are server-maintained (section 3): a user's own UPDATE cannot
-- change them, this function (running as its owner) can. It bypasses RLS, so it decides whom it
-- reads for with convo.acting_user itself (a user only for themselves). updated_at stays as it
-- was: user_memories_touch_updated_at skips updates that change access_count.
create function convo.read_memories(p_user_id uuid, p_limit integer, p_category text)
returns setof public.user_memories
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  return query
    with picked as (
      select m.id
      from public.user_memories m
      where m.user_id = v_user
        and (p_category is null or m.memory_category = p_category)
      order by case m.importance when 'high' then 0 when 'medium' then 1 else 2 end,
               m.updated_at desc, m.id
      limit p_limit
    ),
    touched as (
      update public.user_memories m
      set access_count = m.access_count + 1,
          last_accessed = now()
      from picked
      where m.id = picked.id
      returning m.*
    )
    select t.*
    from touched t
    order by case t.importance when 'high' then 0 when 'medium' then 1 else 2 end,
             t.updated_at desc, t.id;
end
$$;
comment on function convo.read_memories(uuid, integer, text) is
  'get_memories'' body: the acting user''s memories (at most p_limit, optionally one category), most important then most recently updated first, each read recorded (access_count + 1, last_accessed).';
revoke execute on function convo.read_memories(uuid, integer, text) from public;
grant execute on function convo.read_memories(uuid, integer, text) to authenticated, service_role;

drop function public.get_memories(integer, text);

create function public.get_memories(
  p_limit integer default 20,
  p_category text default null,
  p_user_id uuid default null
)
returns setof public.user_memories
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200'
      using errcode = '22023', detail = format('p_limit was %s', coalesce(p_limit::text, 'null'));
  end if;
  return query select * from convo.read_memories(v_user, p_limit, p_category);
end
$$;

comment on function public.get_memories(integer, text, uuid) is
  'A user''s memories, most important (high, medium, low) then most recently updated first, at most p_limit (1-200, default 20), optionally only category p_category. Records the read: access_count + 1 and last_accessed = now() on exactly the rows returned, whether a user or the service role reads. A signed-in user reads their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). VOLATILE: call with POST.';

revoke execute on function public.get_memories(integer, text, uuid) from public, anon;
grant execute on function public.get_memories(integer, text, uuid) to authenticated, service_role;


-- 3. Server-maintained columns --------------------------------------------------------------------------
-- Trigger form (convo.keep_server_columns) rather than column privileges: the seed's own upsert of
-- agent_analyses sends created_at and updated_at, and clients that write back a row they read send
-- every column; those values are ignored rather than refused. The service role (the backend) and
-- pg_convo's SECURITY DEFINER code still write them.
select convo.install_keep_server_columns('public.chat_sessions', array['created_at', 'last_message_at']);
select convo.install_keep_server_columns('public.user_memories',
  array['created_at', 'updated_at', 'last_accessed', 'access_count']);
select convo.install_keep_server_columns('public.agent_analyses', array['created_at', 'updated_at']);

-- chat_messages."timestamp" orders the history, so for anon / authenticated it is the server's
-- clock, not the column default: store_chat_pair (running as the user) writes a pair in one
-- statement, where now() is the same for both rows, and needs its reply to sort strictly after the
-- user message. So: clock_timestamp(), and a reply never earlier than 1 µs after the message it
-- answers. That lookup runs as the caller (RLS), so it also makes sure a user's reply_to names one
-- of their own user messages: another user's message, or none, is 23503 as for a bad foreign key.
create function convo.chat_messages_server_timestamp()
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
    where u.id = new.reply_to and u.user_id = new.user_id and u.sender_type = 'user';
    if not found then
      raise exception 'reply_to must be one of your own user messages'
        using errcode = '23503';
    end if;
    new."timestamp" := greatest(new."timestamp", v_answered + interval '1 microsecond');
  end if;
  return new;
end
$$;
comment on function convo.chat_messages_server_timestamp() is
  'BEFORE INSERT on public.chat_messages for anon/authenticated: "timestamp" is the server clock (a reply at least 1 µs after the message it answers, which must be the user''s own).';
revoke execute on function convo.chat_messages_server_timestamp() from public;

create trigger chat_messages_server_timestamp
  before insert on public.chat_messages
  for each row when (current_user in ('anon', 'authenticated'))
  execute function convo.chat_messages_server_timestamp();

-- chat_sessions.last_message_at follows the session's newest message, whichever way it was
-- written (store_chat_pair, or the seed's backend inserting messages itself). One pass per
-- statement over the inserted rows; sessions are locked in id order, so two bulk inserts that
-- touch the same sessions in different orders cannot deadlock here.
create function convo.chat_messages_touch_sessions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  with newest as (
    select n.session_id, max(n."timestamp") as at
    from inserted n
    where n.session_id is not null
    group by n.session_id
  ),
  locked as (
    select s.id, newest.at
    from public.chat_sessions s
    join newest on newest.session_id = s.id
    order by s.id
    for no key update of s
  )
  update public.chat_sessions s
  set last_message_at = locked.at
  from locked
  where s.id = locked.id
    and s.last_message_at is distinct from greatest(s.last_message_at, locked.at);
  return null;
end
$$;
comment on function convo.chat_messages_touch_sessions() is
  'AFTER INSERT (per statement) on public.chat_messages: moves each touched session''s last_message_at forward to its newest inserted message.';
revoke execute on function convo.chat_messages_touch_sessions() from public;

create trigger chat_messages_touch_sessions
  after insert on public.chat_messages
  referencing new table as inserted
  for each statement
  execute function convo.chat_messages_touch_sessions();


-- 4. Bounds -----------------------------------------------------------------------------------------------
-- Characters for text (char_length), bytes of the JSON text for jsonb (octet_length). A write over
-- a bound is 23514 (HTTP 400), whatever path it takes. Enumerated columns are bounded by their
-- value check already; they get a length check too, so that every client-written column has one
-- under the same name.
alter table public.chat_sessions
  add constraint chat_sessions_title_length_check check (char_length(title) <= 200);

alter table public.chat_messages
  -- the Rust limits: a user message <= 5000, an AI reply <= 20000 characters; the column admits both
  add constraint chat_messages_message_text_length_check check (char_length(message_text) <= 20000),
  add constraint chat_messages_sender_type_length_check check (char_length(sender_type) <= 16),
  -- a mood is a label (store_chat_pair's own limit is 64)
  add constraint chat_messages_mood_detected_length_check check (char_length(mood_detected) <= 64);

alter table public.user_memories
  add constraint user_memories_memory_key_length_check check (char_length(memory_key) <= 200),
  -- a remembered fact: a sentence or a paragraph, not a document
  add constraint user_memories_memory_value_length_check check (char_length(memory_value) <= 10000),
  add constraint user_memories_memory_category_length_check check (char_length(memory_category) <= 100),
  add constraint user_memories_importance_length_check check (char_length(importance) <= 16);

alter table public.agent_analyses
  add constraint agent_analyses_agent_type_length_check check (char_length(agent_type) <= 100),
  -- an agent's structured analysis of one user: generous, but a bounded document (256 KiB)
  add constraint agent_analyses_analysis_data_length_check
    check (octet_length(analysis_data::text) <= 262144);
