-- Agent sessions, hardened (issue 11): bounded values, server-maintained columns, and RPC errors
-- that never repeat what the caller sent.
--
-- These are service-role tables: anon and authenticated hold no privilege on them (and no policy),
-- so the only writer is the backend holding the service-role key, which is the server here (the
-- SMS backend sets last_active_at and updated_at itself, and load_or_create_session and
-- increment_session_messages run as the service role). What changes:
--
--   1. Bounds: every text / jsonb column the backends write (much of it text their own end users
--      sent by SMS or chat) has a CHECK named <table>_<column>_length_check, so an oversized value
--      is a 400 (23514) instead of hundreds of megabytes in the database and in PostgREST.
--   2. Server-maintained columns (created_at, updated_at, first_contact_at, last_active_at,
--      total_messages) get convo.keep_server_columns: it applies to anon / authenticated only,
--      which cannot write these tables today; it keeps the columns server-owned should a policy
--      ever open a table to them. The service role keeps writing them, as the seed does.
--   3. The RPCs' error messages carry no caller-supplied value (it goes to DETAIL): PostgREST 12
--      writes a PTxyz error's message into the HTTP status line.
--
-- Existence oracles: the RPCs are executable by the service role only, which may read every row
-- anyway; anon and authenticated are refused (42501) before the function runs, whatever the id.


-- 1. Bounds -----------------------------------------------------------------------------------------------
-- Characters for text (char_length), bytes of the JSON text for jsonb (octet_length). Enumerated or
-- pattern-checked columns (role, status, plan, phone_number) are bounded by their checks already;
-- they get a length check too, so every written column has one under the same name.
alter table public.user_sessions
  add constraint user_sessions_phone_number_length_check check (char_length(phone_number) <= 16),
  add constraint user_sessions_assigned_persona_length_check check (char_length(assigned_persona) <= 100),
  add constraint user_sessions_metadata_length_check check (octet_length(metadata::text) <= 65536);

alter table public.soul_memories
  add constraint soul_memories_key_length_check check (char_length(key) <= 200),
  -- what the agent remembers about a person across sessions: notes, not transcripts (64 KiB)
  add constraint soul_memories_value_length_check check (octet_length(value::text) <= 65536);

alter table public.process_memories
  add constraint process_memories_process_name_length_check check (char_length(process_name) <= 100),
  add constraint process_memories_key_length_check check (char_length(key) <= 200),
  add constraint process_memories_value_length_check check (octet_length(value::text) <= 65536);

alter table public.mental_process_state
  add constraint mental_process_state_process_name_length_check check (char_length(process_name) <= 100),
  add constraint mental_process_state_params_length_check check (octet_length(params::text) <= 65536);

alter table public.working_memory_snapshots
  -- a whole working memory (the recent messages plus the agent's notes): 1 MiB
  add constraint working_memory_snapshots_memories_length_check
    check (octet_length(memories::text) <= 1048576),
  add constraint working_memory_snapshots_region_length_check check (char_length(region) <= 100);

alter table public.clients
  add constraint clients_name_length_check check (char_length(name) <= 200),
  -- an address is at most 254 characters (RFC 5321 path limit)
  add constraint clients_email_length_check check (char_length(email) <= 254),
  -- E.164 is 16 characters; room for separators as people type them
  add constraint clients_phone_length_check check (char_length(phone) <= 32),
  -- a BCP 47 language tag (e.g. en, pt-BR, zh-Hant-TW)
  add constraint clients_preferred_language_length_check check (char_length(preferred_language) <= 35),
  add constraint clients_plan_length_check check (char_length(plan) <= 16);

alter table public.conversations
  add constraint conversations_id_length_check check (char_length(id) <= 200),
  add constraint conversations_language_length_check check (char_length(language) <= 35);

alter table public.reservations
  add constraint reservations_name_length_check check (char_length(name) <= 200),
  add constraint reservations_email_length_check check (char_length(email) <= 254),
  add constraint reservations_phone_length_check check (char_length(phone) <= 32),
  add constraint reservations_notes_length_check check (char_length(notes) <= 2000),
  -- Google Calendar event ids are 5 to 1024 characters
  add constraint reservations_google_calendar_event_id_length_check
    check (char_length(google_calendar_event_id) <= 1024);

alter table public.orders
  add constraint orders_order_id_length_check check (char_length(order_id) <= 200),
  -- payment provider ids (Stripe: at most 255)
  add constraint orders_payment_intent_id_length_check check (char_length(payment_intent_id) <= 255),
  -- an ISO 4217 code: three letters
  add constraint orders_currency_length_check check (char_length(currency) <= 3),
  add constraint orders_status_length_check check (char_length(status) <= 16),
  add constraint orders_items_length_check check (octet_length(items::text) <= 65536);

alter table public.messages
  -- a chat or SMS message, or an assistant's reply: the same bound as chat_messages
  add constraint messages_content_length_check check (char_length(content) <= 20000),
  -- a conversations.id (bounded the same way; the foreign key admits nothing longer anyway)
  add constraint messages_conversation_id_length_check check (char_length(conversation_id) <= 200),
  add constraint messages_role_length_check check (char_length(role) <= 16),
  add constraint messages_region_length_check check (char_length(region) <= 100),
  -- provider message ids (Twilio's MessageSid is 34 characters)
  add constraint messages_message_sid_length_check check (char_length(message_sid) <= 128),
  add constraint messages_metadata_length_check check (octet_length(metadata::text) <= 65536);


-- 2. Server-maintained columns ------------------------------------------------------------------------------
select convo.install_keep_server_columns('public.user_sessions',
  array['first_contact_at', 'last_active_at', 'total_messages', 'created_at', 'updated_at']);
select convo.install_keep_server_columns(t::regclass, array['updated_at'])
from unnest(array['public.soul_memories', 'public.process_memories', 'public.mental_process_state']) t;
select convo.install_keep_server_columns(t::regclass, array['created_at'])
from unnest(array['public.working_memory_snapshots', 'public.reservations', 'public.messages']) t;
select convo.install_keep_server_columns(t::regclass, array['created_at', 'updated_at'])
from unnest(array['public.clients', 'public.conversations', 'public.orders']) t;


-- 3. RPC errors without caller text -------------------------------------------------------------------------
-- Same signatures, same behaviour; only the messages change (the values move to DETAIL).

create or replace function public.increment_session_messages(session_id uuid)
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

create or replace function public.delete_old_messages(p_session_id uuid, p_older_than_days integer)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_deleted integer;
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  if p_older_than_days is null or p_older_than_days < 0 then
    raise exception 'p_older_than_days must be a number of days >= 0'
      using errcode = '22023',
            detail = format('p_older_than_days was %s', coalesce(p_older_than_days::text, 'null'));
  end if;

  delete from public.messages as m
   where m.session_id = p_session_id
     and m.created_at < now() - make_interval(days => p_older_than_days);
  get diagnostics v_deleted = row_count;

  return v_deleted;
end
$$;

create or replace function public.get_client_by_identifier(p_identifier text, p_type text)
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

create or replace function public.get_client_plan(p_client_id uuid)
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
