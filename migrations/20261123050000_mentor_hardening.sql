-- Mentor video sessions, hardened (issues 10 and 11). Builds on 20261122050000_mentor and on the
-- shared rules of 20261123000000_foundation_0_2_0 (convo.acting_user,
-- convo.install_keep_server_columns; explicit nulls already take their defaults there).
--
--   1. Who the RPCs act for. The app's backend (its edge functions) holds the service-role key,
--      not the user's token. get_mentor_context, start_mentor_session and end_mentor_session take
--      `p_user_id uuid default null` and act for convo.acting_user(p_user_id): a signed-in user
--      for themselves (another id → 42501), the service role for the user it names (required →
--      22023). Each is dropped and re-created: PostgREST picks an overload by argument names, so
--      the old signature must not stay behind. The public wrappers settle the acting user, and
--      the SECURITY DEFINER bodies in convo settle it again (they can be called on their own).
--   2. No error message contains caller-supplied text. PostgREST 12 writes the message of a
--      PTxyz error into the HTTP status line: a provider id "x\r\nX-Injected: yes" injected a
--      response header, and a 5 KB one made the gateway answer 502. Messages are now fixed
--      sentences; a value that helps debugging goes into DETAIL (a JSON field of the body, never
--      a header). The RPCs' text arguments and the webhook payload are bounded (22023).
--   3. No existence oracle. For a caller without access, "not yours" and "does not exist" are
--      the same answer:
--        * end_mentor_session: someone else's conversation and an unknown id are both
--          PT404 "mentor conversation not found" (it used to be 42501 vs PT404);
--        * start_mentor_session: a provider conversation id is unique per user, not globally, so
--          recording an id someone else recorded succeeds exactly like recording a fresh one
--          (it used to be 409 "already exists", which told a stranger the id was in use). The
--          stranger gets a conversation of their own and learns nothing. The provider's webhook
--          applies to the FIRST conversation recorded under an id: the backend records a
--          conversation right after the provider created it, before anyone else can know its
--          id, so a later copy never receives the owner's transcript or ends the owner's call;
--        * a persona that is someone else's and one that does not exist: the same 23503.
--   4. Columns the server maintains are not writable by API roles. mentor_conversations,
--      daily_sessions and mentor_avatars already have no write privilege for anon/authenticated
--      (their start/end times, durations, status and timestamps are written only by the RPCs
--      and the service role). In the five tables users write themselves, created_at and
--      updated_at keep the server's value through convo.install_keep_server_columns (the trigger
--      form, not a missing column privilege: a client that upserts a row it read back sends
--      those columns, and that must keep working).
--   5. Every text / jsonb / array column of the mentor tables (also those only the RPCs and the
--      service role write) has a bound that fits its domain, as a CHECK named
--      <table>_<column>_length_check (23514 → 400 whatever path the write takes); the status
--      columns are bounded by their closed set of values already.


-- 2. Messages without caller text -------------------------------------------------------------------
-- The time zone check (a BEFORE trigger on ritual_preferences) named the rejected zone in its
-- message; the zone now goes into DETAIL (at most 64 characters are shown).
create or replace function convo.ritual_preferences_check_timezone()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform now() at time zone new.timezone;
  return new;
exception when invalid_parameter_value then
  raise exception 'unknown time zone'
    using errcode = '22023',
          detail = pg_catalog.format('timezone: %s', pg_catalog.left(new.timezone, 64)),
          hint = 'Use an IANA time zone name such as Europe/Berlin.';
end
$$;


-- 5. Bounds -------------------------------------------------------------------------------------------
-- Characters for text (char_length), serialized bytes for jsonb (octet_length(x::text)), elements
-- for arrays. The status columns need none: their CHECK already allows a closed set of values.
-- URLs: 2048 (what browsers and CDNs reliably accept). Provider ids: 200 (providers' ids are
-- short tokens; 200 leaves room for any of them). Transcripts: 1 MiB (an hour of conversation is
-- on the order of 100 KB of JSON).

alter table public.mentor_avatars
  add constraint mentor_avatars_name_length_check check (char_length(name) <= 100),
  add constraint mentor_avatars_description_length_check check (char_length(description) <= 2000),
  add constraint mentor_avatars_provider_replica_id_length_check check (char_length(provider_replica_id) <= 200),
  add constraint mentor_avatars_provider_persona_id_length_check check (char_length(provider_persona_id) <= 200),
  add constraint mentor_avatars_image_url_length_check check (char_length(image_url) <= 2048),
  add constraint mentor_avatars_preview_video_url_length_check check (char_length(preview_video_url) <= 2048),
  add constraint mentor_avatars_metadata_length_check check (octet_length(metadata::text) <= 65536);

alter table public.user_personas
  add constraint user_personas_name_length_check check (char_length(name) <= 100),
  add constraint user_personas_communication_style_length_check check (char_length(communication_style) <= 500),
  -- the user's own prompt for their mentor: a few pages at most
  add constraint user_personas_custom_instructions_length_check check (char_length(custom_instructions) <= 10000);

alter table public.onboarding_profiles
  -- disc_type_check's pattern allows at most 2 letters already; a pattern is not a closed set of
  -- values, so the bound is spelled out too
  add constraint onboarding_profiles_disc_type_length_check check (char_length(disc_type) <= 2),
  add constraint onboarding_profiles_disc_scores_length_check check (octet_length(disc_scores::text) <= 4096),
  -- a short list of short labels: at most 20 areas, 2000 characters in all
  add constraint onboarding_profiles_focus_areas_length_check check (
    cardinality(focus_areas) <= 20 and char_length(array_to_string(focus_areas, '')) <= 2000),
  add constraint onboarding_profiles_personality_insights_length_check check (
    octet_length(personality_insights::text) <= 65536);

alter table public.ritual_preferences
  -- the longest IANA name is 32 characters
  add constraint ritual_preferences_timezone_length_check check (char_length(timezone) <= 64),
  -- the existing check only limits the values (1-7); this one also stops [1, 1, 1, …]
  add constraint ritual_preferences_session_days_length_check check (cardinality(session_days) <= 7),
  add constraint ritual_preferences_preferences_length_check check (octet_length(preferences::text) <= 16384);

alter table public.user_emotional_categories
  add constraint user_emotional_categories_category_length_check check (char_length(category) <= 100),
  add constraint user_emotional_categories_description_length_check check (char_length(description) <= 2000);

alter table public.user_goals
  add constraint user_goals_title_length_check check (char_length(title) <= 200),
  add constraint user_goals_description_length_check check (char_length(description) <= 5000),
  add constraint user_goals_category_length_check check (char_length(category) <= 100);

alter table public.mentor_conversations
  add constraint mentor_conversations_provider_conversation_id_length_check check (char_length(provider_conversation_id) <= 200),
  add constraint mentor_conversations_recording_url_length_check check (char_length(recording_url) <= 2048),
  add constraint mentor_conversations_transcript_length_check check (octet_length(transcript::text) <= 1048576),
  -- webhook_events keeps the last payload of each of the three events without its transcript
  -- (each at most 64 KiB, see record_mentor_webhook), plus room for the backend's own keys
  add constraint mentor_conversations_metadata_length_check check (octet_length(metadata::text) <= 262144);

alter table public.daily_sessions
  add constraint daily_sessions_transcript_data_length_check check (octet_length(transcript_data::text) <= 1048576),
  -- recording_url and summary from the webhooks (a summary is part of a ≤ 64 KiB event)
  add constraint daily_sessions_summary_data_length_check check (octet_length(summary_data::text) <= 131072);


-- 3. A provider conversation id is unique per user ---------------------------------------------------
-- (see 3. above). The index also serves the webhook's lookup by provider id.
alter table public.mentor_conversations
  drop constraint mentor_conversations_provider_conversation_id_key,
  add constraint mentor_conversations_provider_conversation_id_user_id_key
    unique (provider_conversation_id, user_id);

comment on column public.mentor_conversations.provider_conversation_id is
  'The video provider''s conversation id (Tavus conversation_id), at most 200 characters. Unique per user; webhooks apply to the first conversation recorded under it.';


-- 4. Server-maintained columns of the user-written tables ---------------------------------------------
-- created_at / updated_at: on insert the default (now()), on update the old value, whatever an
-- API role sends; <table>_touch_updated_at still moves updated_at forward on every update.
-- Not listed on purpose: onboarding_profiles.completed_at (the app marks onboarding finished)
-- and user_goals.achieved_at (the user may say when; the trigger fills it in otherwise).
select convo.install_keep_server_columns(t, array['created_at', 'updated_at'])
from unnest(array['public.user_personas', 'public.onboarding_profiles', 'public.ritual_preferences',
                  'public.user_emotional_categories', 'public.user_goals']::regclass[]) t;


-- 1 + 3. get_mentor_context ----------------------------------------------------------------------------
-- PL/pgSQL rather than SQL so that convo.acting_user runs first and always (in a SQL function the
-- planner may skip a CTE whose join finds no rows, and with it the refusal).
drop function public.get_mentor_context();

create function public.get_mentor_context(p_user_id uuid default null)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := convo.acting_user(p_user_id);
begin
  -- Security invoker: a user reads through their RLS, the service role bypasses it; both filter
  -- by the acting user explicitly (one index lookup per piece).
  return jsonb_build_object(
    'profile',
      (select to_jsonb(p) from public.profiles p where p.id = v_uid),
    'onboarding_profile',
      (select to_jsonb(o) from public.onboarding_profiles o where o.user_id = v_uid),
    'ritual_preferences',
      (select to_jsonb(r) from public.ritual_preferences r where r.user_id = v_uid),
    'emotional_categories',
      coalesce((select jsonb_agg(to_jsonb(c) order by c.priority, c.category)
                from public.user_emotional_categories c where c.user_id = v_uid), '[]'::jsonb),
    'active_goals',
      coalesce((select jsonb_agg(to_jsonb(g) order by g.target_date nulls last, g.created_at, g.id)
                from public.user_goals g where g.user_id = v_uid and g.status = 'active'), '[]'::jsonb));
end
$$;

comment on function public.get_mentor_context(uuid) is
  'The mentor context of the acting user in one document: {"profile", "onboarding_profile", "ritual_preferences": a row object or null, "emotional_categories": array by priority (1 first), "active_goals": array of active goals by target date (none last)}. Missing pieces are null / [], never an error. Acting user: a signed-in user for themselves (p_user_id omitted or their own id, another → 42501); the service role for p_user_id (required → 22023). STABLE: callable with GET.';

revoke execute on function public.get_mentor_context(uuid) from public, anon;
grant execute on function public.get_mentor_context(uuid) to authenticated, service_role;


-- 1 + 2 + 3. start_mentor_session ----------------------------------------------------------------------
-- SECURITY DEFINER: users may not insert into mentor_conversations / daily_sessions themselves.
-- In convo (not exposed), search_path empty; it acts only for convo.acting_user(p_user_id).
drop function public.start_mentor_session(text, uuid);
drop function convo.start_mentor_session(text, uuid);

create function convo.start_mentor_session(
  p_provider_conversation_id text,
  p_persona_id uuid default null,
  p_user_id uuid default null
)
returns public.mentor_conversations
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := convo.acting_user(p_user_id);
  v_persona uuid;
  v_timezone text;
  v_conv public.mentor_conversations;
begin
  if p_provider_conversation_id is null or btrim(p_provider_conversation_id) = '' then
    raise exception 'p_provider_conversation_id is required'
      using errcode = '22023';
  end if;
  if char_length(p_provider_conversation_id) > 200 then
    raise exception 'p_provider_conversation_id is too long'
      using errcode = '22023', hint = 'At most 200 characters.';
  end if;
  if not exists (select from public.profiles p where p.id = v_uid) then
    raise exception 'the acting user has no profile'
      using errcode = '23503';
  end if;

  -- Someone else's persona and an unknown one get the same answer.
  if p_persona_id is not null then
    select p.id into v_persona
    from public.user_personas p
    where p.id = p_persona_id and p.user_id = v_uid;
    if not found then
      raise exception 'persona not found'
        using errcode = '23503', hint = 'Pass one of your own user_personas ids, or none for your default persona.';
    end if;
  else
    select p.id into v_persona
    from public.user_personas p
    where p.user_id = v_uid and p.is_default;
  end if;

  -- Unique per user: only the acting user's own earlier record of this id can conflict.
  insert into public.mentor_conversations (user_id, persona_id, provider_conversation_id, status)
  values (v_uid, v_persona, p_provider_conversation_id, 'active')
  on conflict (provider_conversation_id, user_id) do nothing
  returning * into v_conv;
  if not found then
    raise exception 'this user already recorded a mentor conversation with this provider id'
      using errcode = '23505';
  end if;

  select r.timezone into v_timezone from public.ritual_preferences r where r.user_id = v_uid;

  insert into public.daily_sessions (user_id, mentor_conversation_id, session_date, status)
  values (v_uid, v_conv.id, (v_conv.start_time at time zone coalesce(v_timezone, 'UTC'))::date, 'active');

  return v_conv;
end
$$;

comment on function convo.start_mentor_session(text, uuid, uuid) is
  'SECURITY DEFINER body of public.start_mentor_session: inserts the acting user''s mentor_conversations and daily_sessions rows together.';

revoke execute on function convo.start_mentor_session(text, uuid, uuid) from public;
grant execute on function convo.start_mentor_session(text, uuid, uuid) to authenticated, service_role;

create function public.start_mentor_session(
  p_provider_conversation_id text,
  p_persona_id uuid default null,
  p_user_id uuid default null
)
returns public.mentor_conversations
language sql
volatile
security invoker
set search_path = ''
as $$
  -- Whom it acts for is settled here; the definer body settles it again from this answer (the
  -- same user: acting_user of its own result is that result), as it can be called on its own.
  select * from convo.start_mentor_session(p_provider_conversation_id, p_persona_id, convo.acting_user(p_user_id))
$$;

comment on function public.start_mentor_session(text, uuid, uuid) is
  'Records a new video session of the acting user, atomically: a mentor_conversations row (status active, start_time now) for the provider''s conversation id, and its daily_sessions row (dated in the user''s ritual_preferences.timezone, UTC without one). p_persona_id: one of the user''s personas; without it, their default persona, if any. Returns the conversation row (a JSON object). Acting user: a signed-in user for themselves (p_user_id omitted or their own id, another → 42501); the service role for p_user_id (required → 22023). A provider id is unique per user: an id another user recorded is accepted like a fresh one (no existence oracle); webhooks go to the first conversation recorded under an id. Refused: blank or over 200 characters 22023 (400); an id this user already recorded 23505 (409); a persona that is not the user''s (or does not exist) 23503 (409); a user without a profile 23503 (409).';

revoke execute on function public.start_mentor_session(text, uuid, uuid) from public, anon;
grant execute on function public.start_mentor_session(text, uuid, uuid) to authenticated, service_role;


-- 1 + 2 + 3. end_mentor_session ------------------------------------------------------------------------
drop function public.end_mentor_session(uuid);
drop function convo.end_mentor_session(uuid);

create function convo.end_mentor_session(p_conversation_id uuid, p_user_id uuid default null)
returns public.mentor_conversations
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := convo.acting_user(p_user_id);
  v_conv public.mentor_conversations;
begin
  if p_conversation_id is null then
    raise exception 'p_conversation_id is required'
      using errcode = '22023';
  end if;

  -- Only the acting user's own row is looked at (and locked): someone else's conversation and an
  -- unknown id are the same PT404. The row lock serialises concurrent enders (and the
  -- conversation_ended webhook).
  select * into v_conv
  from public.mentor_conversations m
  where m.id = p_conversation_id and m.user_id = v_uid
  for update;
  if not found then
    raise exception 'mentor conversation not found'
      using errcode = 'PT404', hint = 'Pass the id of one of your own mentor conversations.';
  end if;

  if convo.complete_mentor_conversation(v_conv.id) then
    select * into v_conv from public.mentor_conversations m where m.id = p_conversation_id;
  end if;
  return v_conv;
end
$$;

comment on function convo.end_mentor_session(uuid, uuid) is
  'SECURITY DEFINER body of public.end_mentor_session: the acting user''s row only, locked, then convo.complete_mentor_conversation.';

revoke execute on function convo.end_mentor_session(uuid, uuid) from public;
grant execute on function convo.end_mentor_session(uuid, uuid) to authenticated, service_role;

create function public.end_mentor_session(p_conversation_id uuid, p_user_id uuid default null)
returns public.mentor_conversations
language sql
volatile
security invoker
set search_path = ''
as $$
  -- As in start_mentor_session: settled here, and again in the definer body.
  select * from convo.end_mentor_session(p_conversation_id, convo.acting_user(p_user_id))
$$;

comment on function public.end_mentor_session(uuid, uuid) is
  'Ends a mentor conversation of the acting user: end_time = now, duration_seconds = whole seconds since start_time, status completed, on the conversation and its daily session in one transaction. Idempotent: ending an ended conversation changes nothing and returns the same end_time and duration. Returns the conversation row (a JSON object). Acting user: a signed-in user for themselves (p_user_id omitted or their own id, another → 42501); the service role for p_user_id (required → 22023). Refused: null id 22023 (400); an id that is not a conversation of the acting user, whether it belongs to someone else or does not exist, PT404 (404) with one message.';

revoke execute on function public.end_mentor_session(uuid, uuid) from public, anon;
grant execute on function public.end_mentor_session(uuid, uuid) to authenticated, service_role;


-- 2 + 3. record_mentor_webhook -------------------------------------------------------------------------
-- Same signature (service role only, not per user); now with bounded arguments, fixed messages,
-- and the first conversation recorded under the provider id (ids are unique per user now).
create or replace function public.record_mentor_webhook(
  p_provider_conversation_id text,
  p_event_type text,
  p_payload jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_payload jsonb := coalesce(p_payload, '{}'::jsonb);
  v_data jsonb;
  v_event jsonb;
  v_transcript jsonb;
  v_recording_url text;
  v_summary jsonb;
  v_conv public.mentor_conversations;
  v_events jsonb;
  v_changed boolean := false;
  v_rows integer;
begin
  if p_provider_conversation_id is null or btrim(p_provider_conversation_id) = '' then
    raise exception 'p_provider_conversation_id is required'
      using errcode = '22023';
  end if;
  if char_length(p_provider_conversation_id) > 200 then
    raise exception 'p_provider_conversation_id is too long'
      using errcode = '22023', hint = 'At most 200 characters.';
  end if;
  if p_event_type is null or char_length(p_event_type) > 64 then
    raise exception 'unknown webhook event type'
      using errcode = '22023',
            hint = 'Expected conversation_started, transcript_ready or conversation_ended.';
  end if;
  if p_event_type not in ('conversation_started', 'transcript_ready', 'conversation_ended') then
    raise exception 'unknown webhook event type'
      using errcode = '22023',
            detail = pg_catalog.format('p_event_type: %s', p_event_type),
            hint = 'Expected conversation_started, transcript_ready or conversation_ended.';
  end if;
  if jsonb_typeof(v_payload) <> 'object' then
    raise exception 'p_payload must be a JSON object'
      using errcode = '22023';
  end if;
  if octet_length(v_payload::text) > 1048576 then
    raise exception 'p_payload is too large'
      using errcode = '22023', hint = 'At most 1 MiB of JSON.';
  end if;

  v_data := case when jsonb_typeof(v_payload -> 'properties') = 'object'
                 then v_payload -> 'properties' else '{}'::jsonb end
            || (v_payload - 'properties');
  v_transcript := nullif(v_data -> 'transcript', 'null'::jsonb);
  v_recording_url := nullif(btrim(v_data ->> 'recording_url'), '');
  v_summary := nullif(v_data -> 'summary', 'null'::jsonb);
  if p_event_type = 'transcript_ready' and v_transcript is null then
    raise exception 'a transcript_ready event needs a transcript in its payload'
      using errcode = '22023';
  end if;

  -- The event as kept in metadata: the payload without the transcript (stored in its own column).
  v_event := v_payload - 'transcript';
  if jsonb_typeof(v_event -> 'properties') = 'object' then
    v_event := jsonb_set(v_event, '{properties}', (v_event -> 'properties') - 'transcript');
  end if;
  if octet_length(v_event::text) > 65536 then
    raise exception 'p_payload is too large apart from its transcript'
      using errcode = '22023', hint = 'At most 64 KiB of JSON besides the transcript.';
  end if;

  -- The first conversation recorded under this provider id (see 3. at the top).
  select * into v_conv
  from public.mentor_conversations m
  where m.provider_conversation_id = p_provider_conversation_id
  order by m.created_at, m.id
  limit 1
  for update;
  if not found then
    raise exception 'mentor conversation not found'
      using errcode = 'PT404',
            detail = pg_catalog.format('p_provider_conversation_id: %s', p_provider_conversation_id);
  end if;

  -- conversation_ended: the provider ended it (timeout, left the call): complete it unless already
  -- ended. A later end_mentor_session then changes nothing, and vice versa.
  if p_event_type = 'conversation_ended' then
    v_changed := convo.complete_mentor_conversation(v_conv.id);
  end if;

  -- The data the event carries. Each update is skipped when it would change nothing, so a replayed
  -- event leaves the rows exactly as they are (updated_at included).
  v_events := case when jsonb_typeof(v_conv.metadata -> 'webhook_events') = 'object'
                   then v_conv.metadata -> 'webhook_events' else '{}'::jsonb end
              || jsonb_build_object(p_event_type, v_event);

  update public.mentor_conversations m
     set transcript = coalesce(v_transcript, m.transcript),
         recording_url = coalesce(v_recording_url, m.recording_url),
         metadata = m.metadata || jsonb_build_object('webhook_events', v_events)
   where m.id = v_conv.id
     and (m.transcript, m.recording_url, m.metadata) is distinct from
         (coalesce(v_transcript, m.transcript), coalesce(v_recording_url, m.recording_url),
          m.metadata || jsonb_build_object('webhook_events', v_events));
  get diagnostics v_rows = row_count;
  v_changed := v_changed or v_rows > 0;

  update public.daily_sessions d
     set transcript_data = coalesce(v_transcript, d.transcript_data),
         summary_data = d.summary_data
                        || jsonb_strip_nulls(jsonb_build_object('recording_url', v_recording_url, 'summary', v_summary))
   where d.mentor_conversation_id = v_conv.id
     and (d.transcript_data, d.summary_data) is distinct from
         (coalesce(v_transcript, d.transcript_data),
          d.summary_data || jsonb_strip_nulls(jsonb_build_object('recording_url', v_recording_url, 'summary', v_summary)));
  get diagnostics v_rows = row_count;
  v_changed := v_changed or v_rows > 0;

  select * into v_conv from public.mentor_conversations m where m.id = v_conv.id;
  return jsonb_build_object(
    'conversation_id', v_conv.id,
    'event_type', p_event_type,
    'status', v_conv.status,
    'changed', v_changed);
end
$$;

comment on function public.record_mentor_webhook(text, text, jsonb) is
  'Applies a video-provider webhook to the first conversation recorded under that provider id and its daily session. conversation_started: recorded in metadata.webhook_events. transcript_ready: payload transcript (required) into mentor_conversations.transcript and daily_sessions.transcript_data. conversation_ended: ends the conversation like end_mentor_session if it is still active. Any event''s recording_url / summary go to recording_url and daily_sessions.summary_data. Fields are read from the payload or its "properties" object. Idempotent: replaying an event changes nothing ("changed": false). Returns {conversation_id, event_type, status, changed}. Refused: unknown conversation PT404 (404; the id is in details, never in the message); blank or over 200 characters id, unknown event type, non-object payload, payload over 1 MiB or over 64 KiB besides the transcript, transcript_ready without transcript 22023 (400). Service role only.';
