-- Companion chat (domain 01): profiles, chat sessions and messages, memories, agent analyses, the
-- personality_profiles view, and the RPCs store_chat_pair, get_chat_history and get_memories.
-- The schema as it stands; the steps to it are the migrations of domain number 01 and the chat
-- parts of other domains' migrations (tokens, memory search, mediation's profile upsert).
--
-- Sources: the seed apps Bondhu AI (chat, memories, analyses) and Understand.me (profile fields).
--
-- Access model, for every table here: RLS on, policies `to authenticated` only, each comparing the
-- row's owner with `(select auth.uid())` (evaluated once per statement, as an initPlan), one
-- policy per action. anon keeps Supabase's default table grants but matches no policy, so it
-- sees and changes nothing. service_role has BYPASSRLS: it needs no policy.

-- pg_trgm: the GIN index that serves the seed's `.ilike('message_text', '%x%')` search.
create extension if not exists pg_trgm with schema extensions;
-- btree_gin: an equality operator class for uuid in GIN, so one index serves "this user's messages
-- containing these words" (idx_chat_messages_user_tsv, used by search_chat_history).
create extension if not exists btree_gin with schema extensions;


-- profiles ---------------------------------------------------------------------------------------
-- One row per auth user, for both apps (Bondhu AI's personality fields, Understand.me's
-- email / communication style). Created by the auth.users trigger below, never by the user.
--   select: a user reads their own profile
--   update: a user updates their own profile (cannot move it to another id; email is managed
--           by auth.users, see profiles_guard_email)
--   insert: a user creates their own (Understand.me's `from('profiles').upsert({id, full_name,
--           avatar_url, updated_at})`; the row usually exists already, created at sign-up by
--           convo.handle_new_user, so the upsert mostly takes its UPDATE branch)
--   delete: nobody through the API (deleting the auth user cascades)

create table public.profiles (
  -- defaults to the caller, so a user's upsert may leave it out; an explicit null takes it too
  id uuid not null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  full_name text,
  avatar_url text,
  email text,
  preferred_communication_style jsonb,
  onboarding_completed boolean not null default false,
  personality_openness integer not null default 50,
  personality_conscientiousness integer not null default 50,
  personality_extraversion integer not null default 50,
  personality_agreeableness integer not null default 50,
  personality_neuroticism integer not null default 50,
  personality_llm_context jsonb,
  personality_completed_at timestamptz,
  has_completed_personality_assessment boolean
    generated always as (personality_completed_at is not null) stored,
  profile_completion_percentage numeric not null default 0,
  constraint profiles_pkey primary key (id),
  constraint profiles_id_fkey foreign key (id) references auth.users (id) on delete cascade,
  constraint profiles_email_key unique (email),
  constraint profiles_personality_openness_check check (personality_openness between 0 and 100),
  constraint profiles_personality_conscientiousness_check check (personality_conscientiousness between 0 and 100),
  constraint profiles_personality_extraversion_check check (personality_extraversion between 0 and 100),
  constraint profiles_personality_agreeableness_check check (personality_agreeableness between 0 and 100),
  constraint profiles_personality_neuroticism_check check (personality_neuroticism between 0 and 100),
  constraint profiles_profile_completion_percentage_check check (profile_completion_percentage between 0 and 100),
  -- email is auth.users' copy (not writable by users): 320 characters is the longest valid address
  -- (RFC 5321)
  constraint profiles_email_length_check check (char_length(email) <= 320),
  constraint profiles_full_name_length_check check (char_length(full_name) <= 200),
  constraint profiles_avatar_url_length_check check (char_length(avatar_url) <= 2048),
  constraint profiles_preferred_communication_style_length_check
    check (octet_length(preferred_communication_style::text) <= 16384),
  constraint profiles_personality_llm_context_length_check
    check (octet_length(personality_llm_context::text) <= 65536)
);

comment on table public.profiles is
  'One profile per auth user, created automatically when the user signs up. A user reads and updates only their own row; email mirrors auth.users.email.';
comment on column public.profiles.email is 'Mirrors auth.users.email (set on sign-up, updated when it changes); not writable through the API.';
comment on column public.profiles.has_completed_personality_assessment is 'Generated: personality_completed_at is not null.';

create index idx_profiles_personality on public.profiles (
  personality_openness,
  personality_conscientiousness,
  personality_extraversion,
  personality_agreeableness,
  personality_neuroticism
);
-- Email invitations find the invitee by address, case-insensitively (see convo.attach_session_invitation).
create index idx_profiles_email_lower on public.profiles (lower(email));

create trigger profiles_touch_updated_at
  before update on public.profiles
  for each row execute function convo.touch_updated_at();

-- The API roles may not rewrite profiles.email: it is auth.users' copy, and a user who set it to
-- someone else's address would make that user's real email change fail on the unique constraint.
create function convo.profiles_guard_email()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') then
    raise exception 'profiles.email is managed by auth.users and cannot be changed here'
      using errcode = '42501', hint = 'Change the account email through the auth API.';
  end if;
  return new;
end
$$;
comment on function convo.profiles_guard_email() is
  'BEFORE UPDATE OF email on public.profiles: refuses (42501) an email change made as anon or authenticated.';
revoke execute on function convo.profiles_guard_email() from public;

create trigger profiles_guard_email
  before update of email on public.profiles
  for each row when (old.email is distinct from new.email)
  execute function convo.profiles_guard_email();

alter table public.profiles enable row level security;

-- A user reads their own profile.
create policy "Users can view their own profile" on public.profiles
  for select to authenticated
  using (id = (select auth.uid()));
-- A user updates their own profile and cannot move it to another id.
create policy "Users can update their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- A user creates their own profile (the upsert's INSERT needs a policy).
create policy "Users can create their own profile" on public.profiles
  for insert to authenticated
  with check (id = (select auth.uid()));

-- PostgREST turns `.upsert(row)` into INSERT ... ON CONFLICT (id) DO UPDATE SET <every sent column>:
-- it needs the INSERT policy, INSERT and UPDATE privileges on the sent columns (id included: the
-- UPDATE policy's WITH CHECK keeps id = the caller, so the row can never move), and the SELECT
-- policy for the returned row.
-- Column privileges: every column a user may write, and nothing else. Not email (auth.users owns
-- it: a user who wrote someone else's address would block that person's real email change on the
-- unique key), not the generated has_completed_personality_assessment. created_at and updated_at
-- are granted only so that a payload carrying them (the seed's upsert sends updated_at) is
-- accepted: the trigger below replaces whatever was sent with the server's value.
-- (Supabase's default grants gave authenticated every column. anon matches no policy here, so
-- its default grants change nothing; they are left to the schema-wide anon clean-up.)
revoke insert, update on public.profiles from authenticated;
grant insert (id, created_at, updated_at, full_name, avatar_url, preferred_communication_style,
              onboarding_completed, personality_openness, personality_conscientiousness,
              personality_extraversion, personality_agreeableness, personality_neuroticism,
              personality_llm_context, personality_completed_at, profile_completion_percentage)
  on public.profiles to authenticated;
grant update (id, created_at, updated_at, full_name, avatar_url, preferred_communication_style,
              onboarding_completed, personality_openness, personality_conscientiousness,
              personality_extraversion, personality_agreeableness, personality_neuroticism,
              personality_llm_context, personality_completed_at, profile_completion_percentage)
  on public.profiles to authenticated;

-- created_at keeps the server's value; updated_at too, and profiles_touch_updated_at (which fires
-- after this trigger: triggers fire in name order) then moves it to now() on every update.
select convo.install_keep_server_columns('public.profiles', array['created_at', 'updated_at']);
-- An explicit `id: null` takes the new default (the caller), like the other defaulted columns.
select convo.install_fill_column_defaults('public.profiles');


-- auth.users → profiles ----------------------------------------------------------------------------
-- SECURITY DEFINER (owned by postgres, which bypasses RLS) because sign-up inserts into auth.users
-- as the auth server's role. In convo, which PostgREST does not expose; search_path pinned empty.

create function convo.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, full_name, avatar_url, email)
  values (new.id,
          new.raw_user_meta_data ->> 'full_name',
          new.raw_user_meta_data ->> 'avatar_url',
          new.email)
  on conflict (id) do nothing;
  return new;
end
$$;
comment on function convo.handle_new_user() is
  'AFTER INSERT on auth.users: creates the user''s public.profiles row (full_name, avatar_url from raw_user_meta_data; email).';
revoke execute on function convo.handle_new_user() from public;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function convo.handle_new_user();

create function convo.sync_user_email()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles set email = new.email where id = new.id;
  return new;
end
$$;
comment on function convo.sync_user_email() is
  'AFTER UPDATE OF email on auth.users: copies the new email to public.profiles.email.';
revoke execute on function convo.sync_user_email() from public;

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function convo.sync_user_email();


-- chat_sessions ----------------------------------------------------------------------------------
-- A conversation thread; chat_messages.session_id points here so a session id can be validated.
-- The seed's backend generates a session UUID per conversation and writes messages with it; it
-- never inserts into chat_sessions. So the first message that names an unknown session id creates
-- the session for that message's user (convo.claim_chat_session, below).
--   select / insert / update / delete: a user, their own sessions only

create table public.chat_sessions (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  title text,
  created_at timestamptz not null default now(),
  last_message_at timestamptz,
  constraint chat_sessions_pkey primary key (id),
  constraint chat_sessions_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint chat_sessions_title_length_check check (char_length(title) <= 200)
);

comment on table public.chat_sessions is 'A chat conversation thread of one user. Deleting it deletes its messages.';

create index idx_chat_sessions_user_created on public.chat_sessions (user_id, created_at desc);

alter table public.chat_sessions enable row level security;

-- A user lists their own sessions.
create policy "Users can view their own chat sessions" on public.chat_sessions
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user creates sessions for themselves only.
create policy "Users can create their own chat sessions" on public.chat_sessions
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user renames their own sessions and cannot give them away.
create policy "Users can update their own chat sessions" on public.chat_sessions
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own sessions (and so their messages).
create policy "Users can delete their own chat sessions" on public.chat_sessions
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- Server-maintained columns: trigger form (convo.keep_server_columns) rather than column
-- privileges, so that clients writing back a row they read (every column) are not refused; the
-- service role and pg_convo's SECURITY DEFINER code still write them.
select convo.install_keep_server_columns('public.chat_sessions', array['created_at', 'last_message_at']);
select convo.install_fill_column_defaults('public.chat_sessions');


-- chat_messages ------------------------------------------------------------------------------------
-- The seed's table, plus reply_to: an AI message points at the user message it answers, at most
-- one reply per user message. Messages are immutable once written (no update policy).
-- That a reply answers a *user* message of the *same* user is store_chat_pair's job, not RLS's: a
-- policy on chat_messages cannot look into chat_messages (42P17), and a check through a helper
-- function would not see a user message written by the same statement as its reply (which is how
-- store_chat_pair writes a pair, as the caller, through this policy).
--   select: a user reads their own messages
--   insert: a user writes their own messages, into one of their own sessions (or none)
--   update: nobody through the API
--   delete: a user deletes their own messages (a user message's reply goes with it)

create table public.chat_messages (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  message_text text not null,
  sender_type text not null,
  mood_detected text,
  sentiment_score numeric,
  session_id uuid,
  "timestamp" timestamptz not null default now(),
  reply_to uuid,
  -- computed by the database (a client's value is refused, 428C9); convo.count_tokens is IMMUTABLE
  token_count integer generated always as (convo.count_tokens(message_text)) stored,
  message_tsv tsvector generated always as (to_tsvector('simple'::regconfig, message_text)) stored,
  -- Where pgvector is installed, `embedding vector(1536)` follows as the last column
  -- (convo.install_semantic_search, 07_memory_search.sql). A column added after it in the
  -- migrations goes after that call too (alter table … add column), or the column order differs.
  constraint chat_messages_pkey primary key (id),
  constraint chat_messages_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint chat_messages_session_id_fkey foreign key (session_id)
    references public.chat_sessions (id) on delete cascade,
  constraint chat_messages_reply_to_fkey foreign key (reply_to)
    references public.chat_messages (id) on delete cascade,
  constraint chat_messages_sender_type_check check (sender_type in ('user', 'ai')),
  constraint chat_messages_sentiment_score_check check (sentiment_score >= 0 and sentiment_score <= 1),
  constraint chat_messages_reply_to_ai_only_check check (reply_to is null or sender_type = 'ai'),
  -- the Rust limits: a user message <= 5000, an AI reply <= 20000 characters; the column admits both
  constraint chat_messages_message_text_length_check check (char_length(message_text) <= 20000),
  constraint chat_messages_sender_type_length_check check (char_length(sender_type) <= 16),
  -- a mood is a label (store_chat_pair's own limit is 64)
  constraint chat_messages_mood_detected_length_check check (char_length(mood_detected) <= 64)
);

comment on table public.chat_messages is
  'Chat history: user messages and AI replies, a tree per chat session (parent_id). An AI reply''s reply_to is the user message it answers; regenerations are further replies to it, edits are siblings of the edited message.';
comment on column public.chat_messages.reply_to is
  'For sender_type = ''ai'': the user message this reply answers (its parent). Several replies to one message are its regenerations; null for user messages.';
comment on column public.chat_messages.token_count is
  'Tokens of message_text in OpenAI''s o200k_base encoding, computed by the database (never sent by clients).';
comment on column public.chat_messages.message_tsv is
  'The words of message_text (text search configuration simple), computed by the database; search it with search_chat_history.';

-- The seed's indexes (the user_id and session_id ones also cover their foreign keys; reply_to's
-- is among the tree's, 11_conversation_trees.sql).
create index idx_chat_messages_user_timestamp on public.chat_messages (user_id, "timestamp" desc);
-- (with id: the newest message of a session in the history's exact order is its current leaf,
-- convo.chat_session_tip in 11_conversation_trees.sql)
-- (partial: messages outside sessions need no entry; every lookup names a session, its foreign
-- key's too)
create index idx_chat_messages_session on public.chat_messages (session_id, "timestamp", id)
  where session_id is not null;
create index idx_chat_messages_mood on public.chat_messages (user_id, mood_detected)
  where mood_detected is not null;
-- Serves case-insensitive substring search: message_text ilike '%x%' (PostgREST's ilike filter).
-- Note: under RLS (role authenticated) PostgreSQL does not use it for ILIKE: the ILIKE operator is
-- not LEAKPROOF, so it may not run before the policy's filter, i.e. not as an index condition; the
-- user's rows are then found through idx_chat_messages_user_timestamp and filtered. It serves the
-- roles that bypass RLS, such as the seed's backend with the service_role key.
create index chat_messages_message_text_trgm_idx on public.chat_messages
  using gin (message_text extensions.gin_trgm_ops);
-- The words of each message led by the owner: one GIN scan finds "this user's messages containing
-- these words" (convo.search_chat_history, in the memory-search domain, explains why it is the
-- only path that can use it for a signed-in user).
create index idx_chat_messages_user_tsv on public.chat_messages using gin (user_id, message_tsv);
-- The context window's walk (convo.fit_chat_turns) over a user's or a session's turns, newest
-- first, in its exact order `"timestamp" desc, id desc`: with only (user_id, "timestamp"), rows
-- sharing a timestamp (one statement wrote them: an import, a backfill) were sorted as a whole
-- group before the first came out (~1.2 s for 200,000 such messages, against ~3 ms for 1,000).
-- Only user messages start turns, so only they are in it.
create index idx_chat_messages_user_turns on public.chat_messages (user_id, "timestamp" desc, id desc)
  where sender_type = 'user';
create index idx_chat_messages_session_turns on public.chat_messages (session_id, "timestamp" desc, id desc)
  where sender_type = 'user';
comment on index public.idx_chat_messages_user_turns is
  'The context window''s walk over a user''s turns (convo.fit_chat_turns), newest first, in its exact order.';
comment on index public.idx_chat_messages_session_turns is
  'The context window''s walk over one chat session''s turns (convo.fit_chat_turns), newest first, in its exact order.';
-- A session's messages are its owner's, so session_id determines user_id: told so, the planner
-- expects a long session's thousands of rows instead of a hundred, and walks the session's index
-- rather than combining both indexes and sorting.
create statistics public.chat_messages_session_user (dependencies) on session_id, user_id
  from public.chat_messages;

alter table public.chat_messages enable row level security;

-- A user reads their own messages.
create policy "Users can view their own chat messages" on public.chat_messages
  for select to authenticated
  using (user_id = (select auth.uid()));
-- (The session's owner is not checked here: a policy's subquery cannot see a session that
-- chat_messages_claim_session created in the same statement, so a first message would be refused.)
-- A user writes their own messages (the session, if any, is checked by chat_messages_claim_session).
create policy "Users can create their own chat messages" on public.chat_messages
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user deletes their own messages.
create policy "Users can delete their own chat messages" on public.chat_messages
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- Sessions are created on first use -----------------------------------------------------------
-- convo.claim_chat_session(session, user): the session exists afterwards and belongs to user, or
-- the call fails with 42501. SECURITY DEFINER: it must see (and refuse) a session the caller
-- cannot see, and create one through RLS-free code. It is called by the BEFORE INSERT trigger on
-- chat_messages (below) when a message's session is not (yet) its user's: a first message into a
-- new session id, through store_chat_pair or a direct insert (the seed's backend, or a user).
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
comment on function convo.chat_messages_claim_session() is
  'BEFORE INSERT on public.chat_messages: creates the message''s chat session on first use, refuses another user''s session (42501), and links the message into the session''s tree (previous_id: the current leaf unless given; a given one must be in the same session, else 23503).';
revoke execute on function convo.chat_messages_claim_session() from public;

-- A reply a signed-in user writes is not claimed: chat_messages_server_timestamp (below) looks up
-- the message it answers, the user's own user message in the same session, whose session was
-- claimed when it was written. Other writers' replies (the service role's) are claimed.
create trigger chat_messages_claim_session
  before insert on public.chat_messages
  for each row when (new.session_id is not null
                     and (new.reply_to is null or current_user not in ('anon', 'authenticated')))
  execute function convo.chat_messages_claim_session();

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
revoke execute on function convo.chat_messages_server_timestamp() from public;

create trigger chat_messages_server_timestamp
  before insert on public.chat_messages
  for each row when (current_user in ('anon', 'authenticated'))
  execute function convo.chat_messages_server_timestamp();

-- chat_sessions.last_message_at follows the session's newest message, whichever way it was
-- written (store_chat_pair, or the seed's backend inserting messages itself): one UPDATE per
-- statement, from the newest inserted message of each session. (The linking trigger above has
-- locked each session at its first message already, in the statement's order: bulk inserts that
-- touch the same sessions in different orders can deadlock, docs/limits.md.)
create function convo.chat_messages_touch_sessions()
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
comment on function convo.chat_messages_touch_sessions() is
  'AFTER INSERT (per statement) on public.chat_messages: moves each touched session''s last_message_at forward to its newest inserted message.';
revoke execute on function convo.chat_messages_touch_sessions() from public;

create trigger chat_messages_touch_sessions
  after insert on public.chat_messages
  referencing new table as inserted
  for each statement
  execute function convo.chat_messages_touch_sessions();

select convo.install_fill_column_defaults('public.chat_messages');

-- Realtime: clients may subscribe to new messages (RLS still decides who receives which row).
-- Guarded: adding a table twice is an error, and a FOR ALL TABLES publication has it already.
do $realtime$
begin
  if exists (select from pg_publication where pubname = 'supabase_realtime' and not puballtables)
     and not exists (select from pg_publication_tables
                     where pubname = 'supabase_realtime' and schemaname = 'public'
                       and tablename = 'chat_messages') then
    alter publication supabase_realtime add table public.chat_messages;
  end if;
end
$realtime$;


-- user_memories ------------------------------------------------------------------------------------
-- Facts the assistant remembers about a user, one per (user_id, memory_key): the seed's upsert
-- (`on_conflict=user_id,memory_key`, Prefer: resolution=merge-duplicates) updates in place.
--   select / insert / update / delete: a user, their own memories only

create table public.user_memories (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  memory_key text not null,
  memory_value text not null,
  memory_category text,
  importance text not null default 'medium',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_accessed timestamptz,
  access_count integer not null default 0,
  constraint user_memories_pkey primary key (id),
  constraint user_memories_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint user_memories_user_id_memory_key_key unique (user_id, memory_key),
  constraint user_memories_importance_check check (importance in ('high', 'medium', 'low')),
  constraint user_memories_memory_key_length_check check (char_length(memory_key) <= 200),
  -- a remembered fact: a sentence or a paragraph, not a document
  constraint user_memories_memory_value_length_check check (char_length(memory_value) <= 10000),
  constraint user_memories_memory_category_length_check check (char_length(memory_category) <= 100),
  constraint user_memories_importance_length_check check (char_length(importance) <= 16)
);

comment on table public.user_memories is
  'What the assistant remembers about a user, one row per (user_id, memory_key). Upsert with on_conflict=user_id,memory_key. get_memories() reads them and records the access.';

-- The seed's indexes (idx_user_memories_user covers the foreign key).
create index idx_user_memories_user on public.user_memories (user_id);
create index idx_user_memories_category on public.user_memories (user_id, memory_category);
create index idx_user_memories_importance on public.user_memories (user_id, importance);
create index idx_user_memories_updated on public.user_memories (user_id, updated_at desc);
-- A user's memories in get_memories' order (most important, then most recently updated), for
-- get_memories and the context window's walk (convo.fit_memories): without it both sorted every
-- memory of the user on every call, and the walk counted the tokens of each before sorting.
create index idx_user_memories_by_importance on public.user_memories
  (user_id, (case importance when 'high' then 0 when 'medium' then 1 else 2 end), updated_at desc, id);

-- updated_at tracks edits of the memory. An update that records an access (get_memories bumps
-- access_count) is not an edit: it leaves updated_at, and so the "most recent first" order, alone.
create trigger user_memories_touch_updated_at
  before update on public.user_memories
  for each row when (old.access_count is not distinct from new.access_count)
  execute function convo.touch_updated_at();

-- The seed's `embedding vector(1536)` column needs pgvector: it is added as the last column, with
-- its HNSW index, by convo.install_semantic_search() where pgvector is installed
-- (07_memory_search.sql). A column added after it in the migrations goes after that call too
-- (alter table … add column), or the column order differs.

alter table public.user_memories enable row level security;

-- A user reads their own memories.
create policy "Users can view their own memories" on public.user_memories
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user adds memories for themselves only.
create policy "Users can create their own memories" on public.user_memories
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user edits their own memories and cannot give them away.
create policy "Users can update their own memories" on public.user_memories
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own memories.
create policy "Users can delete their own memories" on public.user_memories
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- access_count and last_accessed record reads (get_memories, convo.read_memories): the server's.
select convo.install_keep_server_columns('public.user_memories',
  array['created_at', 'updated_at', 'last_accessed', 'access_count']);
-- an explicit null for importance (supabase-py sends `None` as null) takes the default 'medium'
select convo.install_fill_column_defaults('public.user_memories');


-- agent_analyses -----------------------------------------------------------------------------------
-- The latest analysis of each agent about a user: one row per (user_id, agent_type).
-- The seed upserts it WITHOUT on_conflict (`.upsert({...})`), and PostgREST then resolves the
-- conflict on the PRIMARY KEY: so the primary key is (user_id, agent_type), which makes that call
-- idempotent as written. id stays a unique uuid handle for the row.
--   select / insert / update / delete: a user, their own analyses only

create table public.agent_analyses (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  agent_type text not null,
  analysis_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint agent_analyses_pkey primary key (user_id, agent_type),
  constraint agent_analyses_id_key unique (id),
  constraint agent_analyses_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint agent_analyses_agent_type_length_check check (char_length(agent_type) <= 100),
  -- an agent's structured analysis of one user: generous, but a bounded document (256 KiB)
  constraint agent_analyses_analysis_data_length_check
    check (octet_length(analysis_data::text) <= 262144)
);

comment on table public.agent_analyses is
  'Latest analysis per (user_id, agent_type); the primary key, so an upsert without on_conflict updates in place.';

create trigger agent_analyses_touch_updated_at
  before update on public.agent_analyses
  for each row execute function convo.touch_updated_at();

alter table public.agent_analyses enable row level security;

-- A user reads their own analyses.
create policy "Users can view their own agent analyses" on public.agent_analyses
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user stores analyses for themselves only.
create policy "Users can create their own agent analyses" on public.agent_analyses
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user updates their own analyses and cannot give them away.
create policy "Users can update their own agent analyses" on public.agent_analyses
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own analyses.
create policy "Users can delete their own agent analyses" on public.agent_analyses
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- the seed's own upsert sends created_at and updated_at: ignored, not refused
select convo.install_keep_server_columns('public.agent_analyses', array['created_at', 'updated_at']);
select convo.install_fill_column_defaults('public.agent_analyses');


-- personality_profiles view --------------------------------------------------------------------------
-- The seed's view, but security_invoker: the seed's version runs with its owner's rights
-- (bypassing RLS) and, granted to anon, serves every profile. This one applies the caller's RLS
-- on profiles: a user sees only their own row, service_role all rows, anon has no privilege.

create view public.personality_profiles
with (security_invoker = true)
as
select
  p.id,
  p.full_name,
  p.avatar_url,
  p.personality_openness,
  p.personality_conscientiousness,
  p.personality_extraversion,
  p.personality_agreeableness,
  p.personality_neuroticism,
  p.personality_llm_context,
  p.personality_completed_at,
  p.onboarding_completed,
  p.has_completed_personality_assessment,
  p.profile_completion_percentage,
  p.created_at,
  p.updated_at
from public.profiles p
where p.personality_completed_at is not null;

comment on view public.personality_profiles is
  'Profiles with a completed personality assessment. Runs with the caller''s rights: a user sees only their own row.';

-- Read-only, and not for anon (Supabase's default privileges granted it everything).
revoke all on public.personality_profiles from anon, authenticated, service_role;
grant select on public.personality_profiles to authenticated, service_role;


-- The RPCs ---------------------------------------------------------------------------------------------

-- store_chat_pair: the atomic chat-turn insert (Rust: src/chat.rs, convo.store_chat_pair). Clients
-- call it as the seed does: supabase.rpc('store_chat_pair', {p_user_id, p_user_message,
-- p_ai_response, p_session_id}), with optional extras for the user message (p_mood, p_sentiment)
-- and the model's reported usage (p_model, p_prompt_tokens, p_completion_tokens). p_user_id
-- follows convo.acting_user. Order of work, one transaction: meter the usage against the user's
-- daily limit (the tokens domain's convo.add_token_usage: PT429 refuses before anything is
-- written), then the Rust function checks the content and stores the turn (security invoker: the
-- insert goes through chat_messages' RLS, foreign keys and triggers, which claim the session).
grant execute on function convo.store_chat_pair(uuid, text, text, uuid, text, double precision)
  to authenticated, service_role;

create function public.store_chat_pair(
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

comment on function public.store_chat_pair(uuid, text, text, uuid, text, numeric, text, integer, integer) is
  'Stores one conversation turn atomically: the user message (with optional p_mood, p_sentiment in [0,1]) and the AI reply, which sorts strictly after it and points at it (reply_to). Returns the AI message id. In a session (p_session_id) the turn continues the current branch and becomes its leaf. Optionally the model''s reported usage (p_model, p_prompt_tokens, p_completion_tokens: both counts or none; p_model is kept on the reply), added to the user''s usage of the day; over the user''s daily token limit → PT429 (HTTP 429), nothing written. A signed-in user stores only for themselves (p_user_id omitted or their own id; another → 42501); the service role for the existing user p_user_id (required). A p_session_id that does not exist yet is created for that user; another user''s session → 42501. Refused with 22023 (HTTP 400): blank or missing messages, a user message over 5000 characters, a reply over 20000, sentiment outside 0..1, malformed usage. Unknown user: 23503 (HTTP 409). Nothing is written when refused.';

revoke execute on function public.store_chat_pair(uuid, text, text, uuid, text, numeric, text, integer, integer) from public, anon;
grant execute on function public.store_chat_pair(uuid, text, text, uuid, text, numeric, text, integer, integer) to authenticated, service_role;


-- get_chat_history ----------------------------------------------------------------------------------

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


-- get_memories --------------------------------------------------------------------------------------

-- convo.read_memories(user, limit, category): picks a user's memories and records the read
-- (access_count + 1, last_accessed = now()) in one statement. SECURITY DEFINER because
-- access_count and last_accessed are server-maintained: a user's own UPDATE cannot
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
