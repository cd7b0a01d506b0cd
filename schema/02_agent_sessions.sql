-- Agent sessions (domain 02): the database behind two server-side AI-chat backends. The schema as
-- it stands; the steps to it are the migrations of domain number 02 and the messages parts of
-- the tokens migration.
--
--   * The SMS agent (seed 002, Twilio-Aldea): user_sessions keyed by phone number, soul_memories
--     (survive a session rollover), process_memories, mental_process_state and
--     working_memory_snapshots (ephemeral: cleared on rollover), and its messages.
--   * The web assistant (seed 003): clients, conversations, reservations, orders, and its messages.
--
-- Both backends talk to PostgREST with the service_role key; their end users have no Supabase
-- login. So every table here is a service-role table: RLS is enabled with NO policy for anon or
-- authenticated, and their table grants are revoked as well (defense in depth: even a policy
-- added by mistake later would not open a table to them). service_role keeps Supabase's default
-- grants (re-granted explicitly below) and bypasses RLS (BYPASSRLS).
--
-- Column names are exactly the ones the seeds' code reads and writes, and every `onConflict` the
-- seeds pass to an upsert has a plain UNIQUE constraint on exactly those columns, so PostgREST's
-- `on_conflict=...` + `Prefer: resolution=merge-duplicates` works unchanged.
--
-- Every text / jsonb column the backends write (much of it text their own end users sent by SMS
-- or chat) has a CHECK named <table>_<column>_length_check: characters for text (char_length),
-- bytes of the JSON text for jsonb (octet_length), so an oversized value is a 400 (23514).
-- Enumerated or pattern-checked columns (role, status, plan, phone_number) are bounded by their
-- checks already; they get a length check too, so every written column has one under the same name.
--
-- Server-maintained columns (created_at, updated_at, first_contact_at, last_active_at,
-- total_messages) get convo.keep_server_columns: it applies to anon / authenticated only, which
-- cannot write these tables; it keeps the columns server-owned should a policy ever open a table
-- to them. The service role keeps writing them, as the seed does.
--
-- The RPCs (the seeds' own SQL functions, and load_or_create_session: the seed's
-- loadOrCreateSession in one race-free call, in Rust) are at the end of this file. Their error
-- messages carry no caller-supplied value (it goes to DETAIL): PostgREST 12 writes a PTxyz
-- error's message into the HTTP status line.


-- ============================================================================================
-- user_sessions: one row per phone number (the SMS agent's "user").
-- ============================================================================================
create table public.user_sessions (
  id uuid primary key default gen_random_uuid(),
  phone_number text not null,
  assigned_persona text not null,
  first_contact_at timestamptz not null default now(),
  last_active_at timestamptz not null default now(),
  total_messages integer not null default 0,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_sessions_phone_number_key unique (phone_number),
  constraint user_sessions_phone_number_check check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  constraint user_sessions_total_messages_check check (total_messages >= 0),
  constraint user_sessions_metadata_check check (jsonb_typeof(metadata) = 'object'),
  constraint user_sessions_phone_number_length_check check (char_length(phone_number) <= 16),
  constraint user_sessions_assigned_persona_length_check check (char_length(assigned_persona) <= 100),
  constraint user_sessions_metadata_length_check check (octet_length(metadata::text) <= 65536)
);

comment on table public.user_sessions is
  'SMS agent sessions, one per phone number (E.164). Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked; only the backend (service_role key) reads and writes it.';
comment on column public.user_sessions.phone_number is 'E.164, e.g. +15551234567. Unique.';
comment on column public.user_sessions.metadata is
  'JSON object; holds session_number (1, 2, ...: incremented when a session times out) and last_session_started_at.';
comment on column public.user_sessions.total_messages is
  'Messages counted by increment_session_messages(session_id).';

create trigger user_sessions_touch_updated_at
  before update on public.user_sessions
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- soul_memories: long-lived key/value memory of a session (survives rollover).
-- The seed upserts with onConflict 'session_id,key'. The unique index leads with session_id, so
-- it also serves the seed's idx_soul_memories_session lookups (not duplicated).
-- ============================================================================================
create table public.soul_memories (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null,
  key text not null,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  constraint soul_memories_session_id_fkey foreign key (session_id)
    references public.user_sessions (id) on delete cascade,
  constraint soul_memories_session_id_key_key unique (session_id, key),
  constraint soul_memories_key_length_check check (char_length(key) <= 200),
  -- what the agent remembers about a person across sessions: notes, not transcripts (64 KiB)
  constraint soul_memories_value_length_check check (octet_length(value::text) <= 65536)
);

comment on table public.soul_memories is
  'Soul memories of an SMS session (key -> JSON value), kept across session rollovers; upsert with on_conflict=session_id,key. Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';

create trigger soul_memories_touch_updated_at
  before update on public.soul_memories
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- process_memories: memory scoped to one mental process (ephemeral: cleared on rollover).
-- The seed upserts with onConflict 'session_id,process_name,key'. Its two indexes
-- idx_process_memories_session (session_id) and idx_process_memories_process
-- (session_id, process_name) are exact leading prefixes of this unique index, which serves both
-- lookups (and the cascade/rollover deletes) already: they are not created again.
-- ============================================================================================
create table public.process_memories (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null,
  process_name text not null,
  key text not null,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  constraint process_memories_session_id_fkey foreign key (session_id)
    references public.user_sessions (id) on delete cascade,
  constraint process_memories_session_id_process_name_key_key unique (session_id, process_name, key),
  constraint process_memories_process_name_length_check check (char_length(process_name) <= 100),
  constraint process_memories_key_length_check check (char_length(key) <= 200),
  constraint process_memories_value_length_check check (octet_length(value::text) <= 65536)
);

comment on table public.process_memories is
  'Per-process memories of an SMS session, cleared when the session rolls over; upsert with on_conflict=session_id,process_name,key. Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';

create trigger process_memories_touch_updated_at
  before update on public.process_memories
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- mental_process_state: the current mental process of a session (at most one row per session;
-- ephemeral: cleared on rollover). The seed upserts with onConflict 'session_id'.
-- ============================================================================================
create table public.mental_process_state (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null,
  process_name text not null default 'initial',
  params jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now(),
  constraint mental_process_state_session_id_fkey foreign key (session_id)
    references public.user_sessions (id) on delete cascade,
  constraint mental_process_state_session_id_key unique (session_id),
  constraint mental_process_state_params_check check (jsonb_typeof(params) = 'object'),
  constraint mental_process_state_process_name_length_check check (char_length(process_name) <= 100),
  constraint mental_process_state_params_length_check check (octet_length(params::text) <= 65536)
);

comment on table public.mental_process_state is
  'The current mental process (name + params) of an SMS session, one row per session, cleared when the session rolls over; upsert with on_conflict=session_id. Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';

create trigger mental_process_state_touch_updated_at
  before update on public.mental_process_state
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- working_memory_snapshots: snapshots of the agent's working memory (ephemeral: cleared on
-- rollover). `memories` is the snapshot (JSON, typically an array of memories); `region` names
-- the memory region it covers, NULL for the whole working memory. Newest first per session.
-- ============================================================================================
create table public.working_memory_snapshots (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null,
  memories jsonb not null,
  region text,
  created_at timestamptz not null default now(),
  constraint working_memory_snapshots_session_id_fkey foreign key (session_id)
    references public.user_sessions (id) on delete cascade,
  -- a whole working memory (the recent messages plus the agent's notes): 1 MiB
  constraint working_memory_snapshots_memories_length_check
    check (octet_length(memories::text) <= 1048576),
  constraint working_memory_snapshots_region_length_check check (char_length(region) <= 100)
);

create index working_memory_snapshots_session_id_created_at_idx
  on public.working_memory_snapshots (session_id, created_at desc);

comment on table public.working_memory_snapshots is
  'Working-memory snapshots of an SMS session (memories jsonb, optional region), cleared when the session rolls over. Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';


-- ============================================================================================
-- clients: the web assistant's customers. The seed upserts with onConflict 'email' (a plain
-- UNIQUE: NULL emails, i.e. phone-only clients, never collide). get_client_by_identifier matches
-- email case-insensitively (index on lower(email)) or phone (index on phone).
-- ============================================================================================
create table public.clients (
  id uuid primary key default gen_random_uuid(),
  name text,
  email text,
  phone text,
  preferred_language text not null default 'en',
  plan text not null default 'basic',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint clients_email_key unique (email),
  constraint clients_plan_check check (plan in ('basic', 'premium')),
  constraint clients_name_length_check check (char_length(name) <= 200),
  -- an address is at most 254 characters (RFC 5321 path limit)
  constraint clients_email_length_check check (char_length(email) <= 254),
  -- E.164 is 16 characters; room for separators as people type them
  constraint clients_phone_length_check check (char_length(phone) <= 32),
  -- a BCP 47 language tag (e.g. en, pt-BR, zh-Hant-TW)
  constraint clients_preferred_language_length_check check (char_length(preferred_language) <= 35),
  constraint clients_plan_length_check check (char_length(plan) <= 16)
);

create index clients_lower_email_idx on public.clients (lower(email));
create index clients_phone_idx on public.clients (phone);

comment on table public.clients is
  'Web assistant customers (email unique; plan basic|premium). Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';

create trigger clients_touch_updated_at
  before update on public.clients
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- conversations: one per web-assistant chat; id is the backend's conversation id (text).
-- client_id is NULLABLE: the seed links a conversation to a client when one is known, and a
-- nullable column lets a backend record a chat before the visitor has given an email/phone (then
-- attach it with an update) instead of losing its messages. ON DELETE CASCADE: deleting a client
-- erases that client's conversations and, through them, their messages (personal data).
-- ============================================================================================
create table public.conversations (
  id text primary key,
  client_id uuid,
  language text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint conversations_client_id_fkey foreign key (client_id)
    references public.clients (id) on delete cascade,
  constraint conversations_id_check check (id <> ''),
  constraint conversations_id_length_check check (char_length(id) <= 200),
  constraint conversations_language_length_check check (char_length(language) <= 35)
);

create index conversations_client_id_idx on public.conversations (client_id);

comment on table public.conversations is
  'Web assistant conversations; id is the backend''s conversation id; client_id optional (NULL until the visitor is identified). Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';

create trigger conversations_touch_updated_at
  before update on public.conversations
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- reservations: bookings taken by the web assistant. client_id optional (the row carries the
-- contact details itself); ON DELETE CASCADE because those details are the client's personal data.
-- guests is NULL when unknown, otherwise > 0.
-- ============================================================================================
create table public.reservations (
  id uuid primary key default gen_random_uuid(),
  client_id uuid,
  name text,
  email text,
  phone text,
  datetime timestamptz not null,
  guests integer,
  notes text,
  google_calendar_event_id text,
  created_at timestamptz not null default now(),
  constraint reservations_client_id_fkey foreign key (client_id)
    references public.clients (id) on delete cascade,
  constraint reservations_guests_check check (guests > 0),
  constraint reservations_name_length_check check (char_length(name) <= 200),
  constraint reservations_email_length_check check (char_length(email) <= 254),
  constraint reservations_phone_length_check check (char_length(phone) <= 32),
  constraint reservations_notes_length_check check (char_length(notes) <= 2000),
  -- Google Calendar event ids are 5 to 1024 characters
  constraint reservations_google_calendar_event_id_length_check
    check (char_length(google_calendar_event_id) <= 1024)
);

create index reservations_client_id_datetime_idx on public.reservations (client_id, datetime);

comment on table public.reservations is
  'Reservations taken by the web assistant (datetime, guests > 0, optional Google Calendar event id). Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';


-- ============================================================================================
-- orders: payments taken by the web assistant. order_id is the backend's order id (unique).
-- client_id optional; ON DELETE SET NULL, unlike the other tables: an order is a financial record
-- that must outlive the customer's profile (it holds no contact details of its own).
-- ============================================================================================
create table public.orders (
  id uuid primary key default gen_random_uuid(),
  client_id uuid,
  order_id text not null,
  payment_intent_id text,
  amount numeric(12, 2) not null,
  currency text not null default 'usd',
  status text not null default 'pending',
  items jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint orders_client_id_fkey foreign key (client_id)
    references public.clients (id) on delete set null,
  constraint orders_order_id_key unique (order_id),
  constraint orders_amount_check check (amount >= 0),
  constraint orders_status_check check (status in ('pending', 'paid', 'cancelled')),
  constraint orders_order_id_length_check check (char_length(order_id) <= 200),
  -- payment provider ids (Stripe: at most 255)
  constraint orders_payment_intent_id_length_check check (char_length(payment_intent_id) <= 255),
  -- an ISO 4217 code: three letters
  constraint orders_currency_length_check check (char_length(currency) <= 3),
  constraint orders_status_length_check check (char_length(status) <= 16),
  constraint orders_items_length_check check (octet_length(items::text) <= 65536)
);

create index orders_client_id_created_at_idx on public.orders (client_id, created_at desc);
create index orders_payment_intent_id_idx on public.orders (payment_intent_id);

comment on table public.orders is
  'Orders taken by the web assistant (order_id unique, amount >= 0, status pending|paid|cancelled, items jsonb). Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';

create trigger orders_touch_updated_at
  before update on public.orders
  for each row execute function convo.touch_updated_at();


-- ============================================================================================
-- messages: ONE table for both backends, each unchanged:
--   * SMS agent rows: session_id, role, content, region (default 'default'), message_sid, metadata;
--   * web assistant rows: conversation_id, role, content.
-- Exactly one parent is set. message_sid (the SMS provider's id) is a plain UNIQUE: NULLs never
-- collide, so it is "unique where present", and a retried webhook is an idempotent upsert
-- (on_conflict=message_sid) instead of a duplicate. An empty message_sid is refused: it would
-- make unrelated messages collide.
-- ============================================================================================
create table public.messages (
  id uuid primary key default gen_random_uuid(),
  session_id uuid,
  conversation_id text,
  role text not null,
  content text not null,
  region text not null default 'default',
  message_sid text,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  -- computed by the database from content (OpenAI o200k_base; never sent by clients)
  token_count integer generated always as (convo.count_tokens(content)) stored,
  -- the model's reported usage, on the assistant message the backend stores (with the tokens
  -- domain's messages_add_usage trigger: added to the phone session's and the client's day)
  model text,
  prompt_tokens integer,
  completion_tokens integer,
  constraint messages_session_id_fkey foreign key (session_id)
    references public.user_sessions (id) on delete cascade,
  constraint messages_conversation_id_fkey foreign key (conversation_id)
    references public.conversations (id) on delete cascade,
  constraint messages_one_parent_check check (num_nonnulls(session_id, conversation_id) = 1),
  constraint messages_role_check check (role in ('user', 'assistant', 'system')),
  constraint messages_message_sid_key unique (message_sid),
  constraint messages_message_sid_check check (message_sid <> ''),
  constraint messages_metadata_check check (jsonb_typeof(metadata) = 'object'),
  constraint messages_model_length_check check (char_length(model) <= 200),
  constraint messages_prompt_tokens_check check (prompt_tokens between 0 and 10000000),
  constraint messages_completion_tokens_check check (completion_tokens between 0 and 10000000),
  constraint messages_usage_both_or_none_check check ((prompt_tokens is null) = (completion_tokens is null)),
  -- a chat or SMS message, or an assistant's reply: the same bound as chat_messages
  constraint messages_content_length_check check (char_length(content) <= 20000),
  -- a conversations.id (bounded the same way; the foreign key admits nothing longer anyway)
  constraint messages_conversation_id_length_check check (char_length(conversation_id) <= 200),
  constraint messages_role_length_check check (char_length(role) <= 16),
  constraint messages_region_length_check check (char_length(region) <= 100),
  -- provider message ids (Twilio's MessageSid is 34 characters)
  constraint messages_message_sid_length_check check (char_length(message_sid) <= 128),
  constraint messages_metadata_length_check check (octet_length(metadata::text) <= 65536)
);

-- history of a session (also the FK index for session_id)
create index messages_session_id_created_at_idx on public.messages (session_id, created_at);
-- the newest user message of a session (the session-timeout check)
create index messages_session_id_role_created_at_idx on public.messages (session_id, role, created_at desc);
-- history of a session's memory region
create index messages_session_id_region_created_at_idx on public.messages (session_id, region, created_at);
-- history of a web conversation (also the FK index for conversation_id)
create index messages_conversation_id_created_at_idx on public.messages (conversation_id, created_at);

comment on table public.messages is
  'Chat messages of both backends: SMS rows have session_id (+ region, message_sid, metadata), web rows have conversation_id; exactly one is set. message_sid is unique where present (on_conflict=message_sid). Service-role table: RLS is enabled with no policy for anon/authenticated and their grants are revoked.';
comment on column public.messages.message_sid is
  'The SMS provider''s message id (e.g. Twilio MessageSid); unique where present, so a retried webhook can upsert with on_conflict=message_sid.';
comment on column public.messages.region is 'Memory region: default, core, summary, ...';
comment on column public.messages.token_count is
  'Tokens of content in OpenAI''s o200k_base encoding, computed by the database.';
comment on column public.messages.model is 'The model that produced this message (with prompt_tokens and completion_tokens: its reported usage).';
comment on column public.messages.prompt_tokens is 'Prompt tokens the model reported for this message; added to the day''s usage of the phone session or client.';
comment on column public.messages.completion_tokens is 'Completion tokens the model reported for this message.';


-- ============================================================================================
-- Access: RLS on, no policy for anon/authenticated, their grants revoked; service_role keeps
-- (and is explicitly given) the DML it needs.
-- ============================================================================================
do $access$
declare
  t text;
begin
  foreach t in array array['user_sessions', 'soul_memories', 'process_memories',
                           'mental_process_state', 'working_memory_snapshots', 'clients',
                           'conversations', 'reservations', 'orders', 'messages']
  loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on table public.%I from anon, authenticated', t);
    execute format('grant select, insert, update, delete on table public.%I to service_role', t);
  end loop;
end
$access$;

-- Server-maintained columns (see the top of this file), and explicit nulls take the defaults.
select convo.install_keep_server_columns('public.user_sessions',
  array['first_contact_at', 'last_active_at', 'total_messages', 'created_at', 'updated_at']);
select convo.install_keep_server_columns(t::regclass, array['updated_at'])
from unnest(array['public.soul_memories', 'public.process_memories', 'public.mental_process_state']) t;
select convo.install_keep_server_columns(t::regclass, array['created_at'])
from unnest(array['public.working_memory_snapshots', 'public.reservations', 'public.messages']) t;
select convo.install_keep_server_columns(t::regclass, array['created_at', 'updated_at'])
from unnest(array['public.clients', 'public.conversations', 'public.orders']) t;
select convo.install_fill_column_defaults(t::regclass)
from unnest(array['public.user_sessions', 'public.soul_memories', 'public.process_memories',
                  'public.mental_process_state', 'public.working_memory_snapshots', 'public.clients',
                  'public.conversations', 'public.reservations', 'public.orders', 'public.messages']) t;


-- ============================================================================================
-- RPCs. All SECURITY INVOKER (they run as service_role, which owns the right grants), with an
-- empty search_path and fully qualified names; EXECUTE only for service_role.
-- ============================================================================================

-- increment_session_messages(session_id): the seed's exact name and parameter
-- (`supabase.rpc('increment_session_messages', { session_id })`). One UPDATE, so concurrent calls
-- serialise on the row lock and every increment counts exactly once.
create function public.increment_session_messages(session_id uuid)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_total integer;
begin
  if increment_session_messages.session_id is null then
    raise exception 'session_id is required' using errcode = '22023';
  end if;

  update public.user_sessions as s
     set total_messages = s.total_messages + 1,
         last_active_at = now()
   where s.id = increment_session_messages.session_id
  returning s.total_messages into v_total;

  if not found then
    raise exception 'user session not found'
      using errcode = 'PT404',
            detail = format('session_id was %s', increment_session_messages.session_id);
  end if;

  return v_total;
end
$$;

comment on function public.increment_session_messages(uuid) is
  'Adds 1 to user_sessions.total_messages (and sets last_active_at = now()) atomically; returns the new total. Unknown session_id: 404 (PT404); null: 400 (22023). service_role only.';
revoke execute on function public.increment_session_messages(uuid) from public, anon, authenticated;
grant execute on function public.increment_session_messages(uuid) to service_role;


-- delete_old_messages(p_session_id, p_older_than_days): the seed's deleteOldMessages cleanup,
-- one case of retention (the sms_messages kind of convo.expire_rows, in schema/10_user_data.sql:
-- batches that skip rows another transaction holds); returns how many messages were deleted.
create function public.delete_old_messages(p_session_id uuid, p_older_than_days integer)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  if p_older_than_days is null or p_older_than_days < 0 then
    raise exception 'p_older_than_days must be a number of days >= 0'
      using errcode = '22023',
            detail = format('p_older_than_days was %s', coalesce(p_older_than_days::text, 'null'));
  end if;
  return convo.expire_rows('sms_messages', now() - make_interval(days => p_older_than_days),
                           p_session_id => p_session_id);
end
$$;
comment on function public.delete_old_messages(uuid, integer) is
  'Deletes the messages of session p_session_id created more than p_older_than_days days ago; returns how many (the sms_messages case of retention, for one session). p_older_than_days null or < 0 (or p_session_id null): 400 (22023). service_role only.';
revoke execute on function public.delete_old_messages(uuid, integer) from public, anon, authenticated;
grant execute on function public.delete_old_messages(uuid, integer) to service_role;


-- get_client_by_identifier(p_identifier, p_type): the seed's getClientByIdentifier. SETOF, so
-- PostgREST returns an array, and with `.single()` (Accept: application/vnd.pgrst.object+json)
-- "no such client" is PGRST116 / 406, as for a table read.
create function public.get_client_by_identifier(p_identifier text, p_type text)
returns setof public.clients
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_identifier text := btrim(p_identifier);
begin
  if v_identifier is null or v_identifier = '' then
    raise exception 'p_identifier must not be blank' using errcode = '22023';
  end if;

  if p_type = 'email' then
    return query
      select c.* from public.clients as c
       where lower(c.email) = lower(v_identifier)
       order by c.created_at, c.id;
  elsif p_type = 'phone' then
    return query
      select c.* from public.clients as c
       where c.phone = v_identifier
       order by c.created_at, c.id;
  else
    -- the caller's p_type goes to DETAIL as a JSON string (control characters escaped), cut to
    -- 100 characters: enough to recognise it, never a megabyte echoed back
    raise exception 'p_type must be ''email'' or ''phone'''
      using errcode = '22023',
            detail = format('p_type was %s', coalesce(to_jsonb(left(p_type, 100))::text, 'null'));
  end if;
end
$$;

comment on function public.get_client_by_identifier(text, text) is
  'The clients whose email (p_type = ''email'', case-insensitive) or phone (p_type = ''phone'') equals p_identifier (trimmed). Blank identifier or another type: 400 (22023). service_role only.';
revoke execute on function public.get_client_by_identifier(text, text) from public, anon, authenticated;
grant execute on function public.get_client_by_identifier(text, text) to service_role;


-- get_client_plan(p_client_id): the seed's getClientPlan ('basic' | 'premium').
create function public.get_client_plan(p_client_id uuid)
returns text
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_plan text;
begin
  if p_client_id is null then
    raise exception 'p_client_id is required' using errcode = '22023';
  end if;

  select c.plan into v_plan from public.clients as c where c.id = p_client_id;
  if not found then
    raise exception 'client not found'
      using errcode = 'PT404', detail = format('p_client_id was %s', p_client_id);
  end if;

  return v_plan;
end
$$;

comment on function public.get_client_plan(uuid) is
  'The plan (''basic'' or ''premium'') of client p_client_id. Unknown client: 404 (PT404); null: 400 (22023). service_role only.';
revoke execute on function public.get_client_plan(uuid) from public, anon, authenticated;
grant execute on function public.get_client_plan(uuid) to service_role;


-- load_or_create_session (Rust: src/agent_sessions.rs) --------------------------------------------
-- What the call returns: the session row plus two flags (PostgREST shows it as one JSON object).
create type public.loaded_session as (
  id uuid,
  phone_number text,
  assigned_persona text,
  first_contact_at timestamptz,
  last_active_at timestamptz,
  total_messages integer,
  metadata jsonb,
  created_at timestamptz,
  updated_at timestamptz,
  is_new_session boolean,
  rolled_over boolean
);
comment on type public.loaded_session is
  'A user_sessions row plus is_new_session (created by this call) and rolled_over (this call started a new session after the timeout).';

grant execute on function convo.load_or_create_session(text, interval, text) to service_role;

create function public.load_or_create_session(
  p_phone_number text,
  p_timeout interval default '1 hour',
  p_persona text default null
)
returns public.loaded_session
language plpgsql  -- keeps its plan between calls (a SQL function would re-plan every call)
volatile
security invoker
set search_path = ''
as $$
begin
  return pg_catalog.jsonb_populate_record(
    null::public.loaded_session,
    convo.load_or_create_session(p_phone_number, p_timeout, p_persona));
end
$$;

comment on function public.load_or_create_session(text, interval, text) is
  'Finds the SMS session of a phone number or creates it (session_number 1, p_persona or ''default''), in one transaction and race-free: concurrent calls for one phone create one session. When the newest user message of the current session is older than p_timeout, the session rolls over: session_number + 1, last_session_started_at = now(), process_memories / mental_process_state / working_memory_snapshots cleared (soul_memories kept). Sets last_active_at. Phone numbers are normalised to E.164; a malformed one is refused with 22023 (HTTP 400). Service role only.';

revoke execute on function public.load_or_create_session(text, interval, text) from public, anon, authenticated;
grant execute on function public.load_or_create_session(text, interval, text) to service_role;
