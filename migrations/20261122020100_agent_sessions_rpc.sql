-- Agent sessions: load_or_create_session, the seed's loadOrCreateSession in one race-free call
-- (Rust: src/agent_sessions.rs). For the SMS backend, which uses the service_role key.

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
