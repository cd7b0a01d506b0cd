-- Companion chat (issue 3): profiles, chat sessions and messages, memories, agent analyses, the
-- personality_profiles view, and the read RPCs get_chat_history / get_memories.
--
-- Sources: ../shared/seeds/001_* (Bondhu AI) and the profile fields of ../shared/seeds/000_*
-- (Understand.me). The atomic writer store_chat_pair (Rust) comes in a later migration.
--
-- Access model, for every table here: RLS on, policies `to authenticated` only, each comparing the
-- row's owner with `(select auth.uid())` (evaluated once per statement, as an initPlan), one
-- policy per action. anon keeps Supabase's default table grants but matches no policy, so it
-- sees and changes nothing. service_role has BYPASSRLS: it needs no policy.

-- pg_trgm: the GIN index that serves the seed's `.ilike('message_text', '%x%')` search.
create extension if not exists pg_trgm with schema extensions;


-- profiles ---------------------------------------------------------------------------------------
-- One row per auth user, for both apps (Bondhu AI's personality fields, Understand.me's
-- email / communication style). Created by the auth.users trigger below, never by the user.
--   select: a user reads their own profile
--   update: a user updates their own profile (cannot move it to another id; email is managed
--           by auth.users, see profiles_guard_email)
--   insert: nobody through the API (convo.handle_new_user creates it)
--   delete: nobody through the API (deleting the auth user cascades)

create table public.profiles (
  id uuid not null,
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
  constraint profiles_profile_completion_percentage_check check (profile_completion_percentage between 0 and 100)
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

-- Users that existed before this migration get their profile now.
insert into public.profiles (id, full_name, avatar_url, email)
select u.id, u.raw_user_meta_data ->> 'full_name', u.raw_user_meta_data ->> 'avatar_url', u.email
from auth.users u
where not exists (select from public.profiles p where p.id = u.id)
on conflict do nothing;


-- chat_sessions ----------------------------------------------------------------------------------
-- A conversation thread; chat_messages.session_id points here so a session id can be validated.
--   select / insert / update / delete: a user, their own sessions only

create table public.chat_sessions (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  title text,
  created_at timestamptz not null default now(),
  last_message_at timestamptz,
  constraint chat_sessions_pkey primary key (id),
  constraint chat_sessions_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade
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
  constraint chat_messages_pkey primary key (id),
  constraint chat_messages_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint chat_messages_session_id_fkey foreign key (session_id)
    references public.chat_sessions (id) on delete cascade,
  constraint chat_messages_reply_to_fkey foreign key (reply_to)
    references public.chat_messages (id) on delete cascade,
  constraint chat_messages_reply_to_key unique (reply_to),
  constraint chat_messages_sender_type_check check (sender_type in ('user', 'ai')),
  constraint chat_messages_sentiment_score_check check (sentiment_score >= 0 and sentiment_score <= 1),
  constraint chat_messages_reply_to_ai_only_check check (reply_to is null or sender_type = 'ai')
);

comment on table public.chat_messages is
  'Chat history: user messages and AI replies. An AI reply''s reply_to is the user message it answers (at most one reply each).';
comment on column public.chat_messages.reply_to is 'For sender_type = ''ai'': the user message this reply answers. Unique; null for user messages.';

-- The seed's indexes (the user_id and session_id ones also cover their foreign keys; the unique
-- constraint on reply_to covers that one).
create index idx_chat_messages_user_timestamp on public.chat_messages (user_id, "timestamp" desc);
create index idx_chat_messages_session on public.chat_messages (session_id, "timestamp");
create index idx_chat_messages_mood on public.chat_messages (user_id, mood_detected)
  where mood_detected is not null;
-- Serves case-insensitive substring search: message_text ilike '%x%' (PostgREST's ilike filter).
-- Note: under RLS (role authenticated) PostgreSQL does not use it for ILIKE: the ILIKE operator is
-- not LEAKPROOF, so it may not run before the policy's filter, i.e. not as an index condition; the
-- user's rows are then found through idx_chat_messages_user_timestamp and filtered. It serves the
-- roles that bypass RLS, such as the seed's backend with the service_role key.
create index chat_messages_message_text_trgm_idx on public.chat_messages
  using gin (message_text extensions.gin_trgm_ops);

alter table public.chat_messages enable row level security;

-- A user reads their own messages.
create policy "Users can view their own chat messages" on public.chat_messages
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user writes their own messages, only into their own session (or none).
create policy "Users can create their own chat messages" on public.chat_messages
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (session_id is null or exists (
      select from public.chat_sessions s
      where s.id = chat_messages.session_id and s.user_id = (select auth.uid())))
  );
-- A user deletes their own messages.
create policy "Users can delete their own chat messages" on public.chat_messages
  for delete to authenticated
  using (user_id = (select auth.uid()));

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
  constraint user_memories_importance_check check (importance in ('high', 'medium', 'low'))
);

comment on table public.user_memories is
  'What the assistant remembers about a user, one row per (user_id, memory_key). Upsert with on_conflict=user_id,memory_key. get_memories() reads them and records the access.';

-- The seed's indexes (idx_user_memories_user covers the foreign key).
create index idx_user_memories_user on public.user_memories (user_id);
create index idx_user_memories_category on public.user_memories (user_id, memory_category);
create index idx_user_memories_importance on public.user_memories (user_id, importance);
create index idx_user_memories_updated on public.user_memories (user_id, updated_at desc);

-- updated_at tracks edits of the memory. An update that records an access (get_memories bumps
-- access_count) is not an edit: it leaves updated_at, and so the "most recent first" order, alone.
create trigger user_memories_touch_updated_at
  before update on public.user_memories
  for each row when (old.access_count is not distinct from new.access_count)
  execute function convo.touch_updated_at();

-- The seed's `embedding vector(1536)` column (OpenAI embedding size) and its ivfflat index need
-- pgvector. Supabase has it; this machine does not (pgvector is not packaged for Debian 12 here).
-- So they are added only where the `vector` extension is available, in the schema pgvector is
-- (or gets) installed in. Nothing else in this migration depends on them.
do $vector$
declare
  vector_schema text;
begin
  if exists (select from pg_available_extensions where name = 'vector') then
    create extension if not exists vector with schema extensions;
    select n.nspname into vector_schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'vector';
    execute format('alter table public.user_memories add column if not exists embedding %I.vector(1536)',
                   vector_schema);
    execute format('create index if not exists idx_user_memories_embedding on public.user_memories '
                   'using ivfflat (embedding %I.vector_cosine_ops)', vector_schema);
  end if;
end
$vector$;

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
    references public.profiles (id) on delete cascade
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


-- get_chat_history ---------------------------------------------------------------------------------

create function public.get_chat_history(
  p_limit integer default 50,
  p_offset integer default 0,
  p_session_id uuid default null
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
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200 (got %)', coalesce(p_limit::text, 'null')
      using errcode = '22023';
  end if;
  if p_offset is null or p_offset < 0 then
    raise exception 'p_offset must be 0 or more (got %)', coalesce(p_offset::text, 'null')
      using errcode = '22023';
  end if;

  return query
    select u.id, u.message_text, u.mood_detected, u.sentiment_score, u.session_id, u."timestamp",
           a.id, a.message_text, a."timestamp"
    from public.chat_messages u
    left join public.chat_messages a on a.reply_to = u.id
    where u.user_id = (select auth.uid())
      and u.sender_type = 'user'
      and (p_session_id is null or u.session_id = p_session_id)
    order by u."timestamp" desc, u.id desc
    limit p_limit offset p_offset;
end
$$;

comment on function public.get_chat_history(integer, integer, uuid) is
  'The caller''s conversation as (user message, AI reply) pairs, newest first: p_limit pairs (1-200, default 50) after skipping p_offset, optionally only session p_session_id. A user message without a reply yet has null ai_* fields. STABLE: callable with GET.';

revoke execute on function public.get_chat_history(integer, integer, uuid) from public, anon;
grant execute on function public.get_chat_history(integer, integer, uuid) to authenticated, service_role;


-- get_memories -------------------------------------------------------------------------------------

create function public.get_memories(
  p_limit integer default 20,
  p_category text default null
)
returns setof public.user_memories
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200 (got %)', coalesce(p_limit::text, 'null')
      using errcode = '22023';
  end if;

  -- Pick, record the access of exactly the picked rows, and return them in order: one statement.
  return query
    with picked as (
      select m.id
      from public.user_memories m
      where m.user_id = (select auth.uid())
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

comment on function public.get_memories(integer, text) is
  'The caller''s memories, most important (high, medium, low) then most recently updated first, at most p_limit (1-200, default 20), optionally only category p_category. Records the read: access_count + 1 and last_accessed = now() on exactly the rows returned. VOLATILE: call with POST.';

revoke execute on function public.get_memories(integer, text) from public, anon;
grant execute on function public.get_memories(integer, text) to authenticated, service_role;
