-- Mentor video sessions (domain 05): the tables behind the seed's start-tavus-session,
-- end-tavus-session and tavus-webhook edge functions, the one-call user context, and the RPCs that
-- start, end and update a session atomically. The schema as it stands; the steps to it are the
-- migrations of domain number 05.
--
-- Source: the Tavus mentor seed app (Backend Operations). The seed names the tables and what each
-- operation reads and writes; the columns are designed here from what those operations need.
--
-- Access model:
--   * user_personas, onboarding_profiles, ritual_preferences, user_emotional_categories,
--     user_goals: a user reads and manages their own rows (one policy per action, `to
--     authenticated`, comparing the owner with `(select auth.uid())`).
--   * mentor_avatars: a catalog. Any signed-in user reads it; only service_role writes it.
--   * mentor_conversations, daily_sessions: their owner reads them. They are written only by
--     start_mentor_session / end_mentor_session (SECURITY DEFINER functions in convo, behind thin
--     invoker wrappers in public), by record_mentor_webhook and by service_role.
--   * For the three tables users may not write, INSERT/UPDATE/DELETE/TRUNCATE are also revoked
--     from anon and authenticated (defense in depth: a policy added by mistake later would not
--     open them; a write attempt is a clear 42501 instead of a silent 0 rows).
--   * anon keeps Supabase's default grants elsewhere but matches no policy: it sees and changes
--     nothing. service_role has BYPASSRLS: it needs no policy.
--
-- Who the RPCs act for: the app's backend (its edge functions) holds the service-role key, not
-- the user's token. get_mentor_context, start_mentor_session and end_mentor_session take
-- `p_user_id uuid default null` and act for convo.acting_user(p_user_id). The public wrappers
-- settle the acting user, and the SECURITY DEFINER bodies in convo settle it again (they can be
-- called on their own).
--
-- No error message contains caller-supplied text: PostgREST 12 writes the message of a PTxyz error
-- into the HTTP status line (a provider id "x\r\nX-Injected: yes" would inject a response header).
-- Messages are fixed sentences; a value that helps debugging goes into DETAIL. The RPCs' text
-- arguments and the webhook payload are bounded (22023).
--
-- No existence oracle: for a caller without access, "not yours" and "does not exist" are the same
-- answer (end_mentor_session: PT404 for both; start_mentor_session: a provider conversation id is
-- unique per user, not globally, so recording an id someone else recorded succeeds exactly like
-- recording a fresh one; a persona that is someone else's and one that does not exist: 23503).
-- The provider's webhook applies to the FIRST conversation recorded under an id: the backend
-- records a conversation right after the provider created it, before anyone else can know its id.
--
-- Bounds: every text / jsonb / array column (also those only the RPCs and the service role write)
-- has a CHECK named <table>_<column>_length_check: characters for text, serialized bytes for
-- jsonb, elements for arrays; status columns are bounded by their closed set of values already.
-- URLs: 2048 (what browsers and CDNs reliably accept). Provider ids: 200. Transcripts: 1 MiB (an
-- hour of conversation is on the order of 100 KB of JSON).


-- mentor_avatars -----------------------------------------------------------------------------------
-- The video avatars (the provider's "replicas") a user can pick a mentor from.
--   select: any signed-in user (the whole catalog, retired avatars included, so that a persona's
--           avatar still resolves; clients list `is_active=eq.true`)
--   insert / update / delete: service_role only (no policy, grants revoked)

create table public.mentor_avatars (
  id uuid not null default gen_random_uuid(),
  name text not null,
  description text,
  provider_replica_id text not null,
  provider_persona_id text,
  image_url text,
  preview_video_url text,
  is_active boolean not null default true,
  sort_order integer not null default 0,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint mentor_avatars_pkey primary key (id),
  constraint mentor_avatars_provider_replica_id_key unique (provider_replica_id),
  constraint mentor_avatars_name_check check (btrim(name) <> ''),
  constraint mentor_avatars_provider_replica_id_check check (btrim(provider_replica_id) <> ''),
  constraint mentor_avatars_metadata_check check (jsonb_typeof(metadata) = 'object'),
  constraint mentor_avatars_name_length_check check (char_length(name) <= 100),
  constraint mentor_avatars_description_length_check check (char_length(description) <= 2000),
  constraint mentor_avatars_provider_replica_id_length_check check (char_length(provider_replica_id) <= 200),
  constraint mentor_avatars_provider_persona_id_length_check check (char_length(provider_persona_id) <= 200),
  constraint mentor_avatars_image_url_length_check check (char_length(image_url) <= 2048),
  constraint mentor_avatars_preview_video_url_length_check check (char_length(preview_video_url) <= 2048),
  constraint mentor_avatars_metadata_length_check check (octet_length(metadata::text) <= 65536)
);

comment on table public.mentor_avatars is
  'Catalog of mentor video avatars (the video provider''s replicas). Readable by any signed-in user; written only by the service role. Retire an avatar with is_active = false (personas still point at it).';
comment on column public.mentor_avatars.provider_replica_id is 'The video provider''s replica id (Tavus replica_id). Unique.';
comment on column public.mentor_avatars.provider_persona_id is 'The provider''s default persona for this avatar (Tavus persona_id), if any.';
comment on column public.mentor_avatars.is_active is 'Offered to users for new personas. Inactive avatars stay readable so existing personas keep resolving.';
comment on column public.mentor_avatars.sort_order is 'Display order in the picker, ascending.';

create trigger mentor_avatars_touch_updated_at
  before update on public.mentor_avatars
  for each row execute function convo.touch_updated_at();

alter table public.mentor_avatars enable row level security;

-- Any signed-in user reads the avatar catalog.
create policy "Signed-in users can view mentor avatars" on public.mentor_avatars
  for select to authenticated
  using (true);

revoke insert, update, delete, truncate on table public.mentor_avatars from anon, authenticated;


-- user_personas ------------------------------------------------------------------------------------
-- The AI mentors a user has set up: an avatar plus how it should talk to them. At most one is the
-- user's default, used by start_mentor_session when no persona is given.
--   select / insert / update / delete: a user, their own personas only

create table public.user_personas (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  avatar_id uuid,
  name text not null,
  communication_style text,
  custom_instructions text,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_personas_pkey primary key (id),
  constraint user_personas_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint user_personas_avatar_id_fkey foreign key (avatar_id)
    references public.mentor_avatars (id) on delete restrict,
  constraint user_personas_name_check check (btrim(name) <> ''),
  constraint user_personas_name_length_check check (char_length(name) <= 100),
  constraint user_personas_communication_style_length_check check (char_length(communication_style) <= 500),
  -- the user's own prompt for their mentor: a few pages at most
  constraint user_personas_custom_instructions_length_check check (char_length(custom_instructions) <= 10000)
);

comment on table public.user_personas is
  'The AI mentors a user picked: an avatar (mentor_avatars) and how it should talk to the user. At most one per user is_default. A user manages only their own personas.';
comment on column public.user_personas.avatar_id is 'The mentor_avatars row this mentor appears as. An avatar in use cannot be deleted (retire it with is_active = false).';
comment on column public.user_personas.communication_style is 'How the mentor should talk, e.g. "warm and direct"; passed into the conversational context.';
comment on column public.user_personas.custom_instructions is 'Extra instructions for the mentor, written by the user.';
comment on column public.user_personas.is_default is 'The persona start_mentor_session uses when called without p_persona_id. At most one per user: to switch, unset the old one first.';

create index idx_user_personas_user on public.user_personas (user_id, created_at);
create unique index user_personas_one_default_per_user on public.user_personas (user_id) where is_default;
create index idx_user_personas_avatar on public.user_personas (avatar_id);

create trigger user_personas_touch_updated_at
  before update on public.user_personas
  for each row execute function convo.touch_updated_at();

alter table public.user_personas enable row level security;

-- A user reads their own personas.
create policy "Users can view their own personas" on public.user_personas
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user creates personas for themselves only.
create policy "Users can create their own personas" on public.user_personas
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user edits their own personas and cannot give them away.
create policy "Users can update their own personas" on public.user_personas
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own personas (past conversations keep their row, persona_id set null).
create policy "Users can delete their own personas" on public.user_personas
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- onboarding_profiles ------------------------------------------------------------------------------
-- What onboarding learned about the user: personality insights (DISC, Enneagram) and focus areas.
-- One row per user, keyed by user_id: an upsert (even without on_conflict) updates it in place.
--   select / insert / update / delete: a user, their own row only

create table public.onboarding_profiles (
  user_id uuid not null,
  disc_type text,
  disc_scores jsonb,
  enneagram_type smallint,
  enneagram_wing smallint,
  focus_areas text[] not null default '{}',
  personality_insights jsonb not null default '{}'::jsonb,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint onboarding_profiles_pkey primary key (user_id),
  constraint onboarding_profiles_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint onboarding_profiles_disc_type_check check (disc_type ~ '^[DISC]{1,2}$'),
  constraint onboarding_profiles_disc_scores_check check (jsonb_typeof(disc_scores) = 'object'),
  constraint onboarding_profiles_enneagram_type_check check (enneagram_type between 1 and 9),
  constraint onboarding_profiles_enneagram_wing_check check (
    enneagram_wing is null
    or (enneagram_type is not null
        and (enneagram_wing = enneagram_type % 9 + 1 or enneagram_type = enneagram_wing % 9 + 1))),
  constraint onboarding_profiles_personality_insights_check check (jsonb_typeof(personality_insights) = 'object'),
  -- disc_type_check's pattern allows at most 2 letters already; a pattern is not a closed set of
  -- values, so the bound is spelled out too
  constraint onboarding_profiles_disc_type_length_check check (char_length(disc_type) <= 2),
  constraint onboarding_profiles_disc_scores_length_check check (octet_length(disc_scores::text) <= 4096),
  -- a short list of short labels: at most 20 areas, 2000 characters in all
  constraint onboarding_profiles_focus_areas_length_check check (
    cardinality(focus_areas) <= 20 and char_length(array_to_string(focus_areas, '')) <= 2000),
  constraint onboarding_profiles_personality_insights_length_check check (
    octet_length(personality_insights::text) <= 65536)
);

comment on table public.onboarding_profiles is
  'Onboarding results of a user: DISC and Enneagram personality insights and focus areas. One row per user (primary key user_id: upsert in place). A user manages only their own row.';
comment on column public.onboarding_profiles.disc_type is 'Primary DISC style, optionally with a secondary one: D, I, S, C or e.g. DI, SC.';
comment on column public.onboarding_profiles.disc_scores is 'DISC scores as a JSON object, e.g. {"D": 72, "I": 40, "S": 35, "C": 60}.';
comment on column public.onboarding_profiles.enneagram_type is 'Enneagram type, 1-9.';
comment on column public.onboarding_profiles.enneagram_wing is 'Enneagram wing: a type adjacent to enneagram_type on the circle (9 and 1 are adjacent).';
comment on column public.onboarding_profiles.focus_areas is 'What the user wants to work on, e.g. {confidence, relationships}.';
comment on column public.onboarding_profiles.personality_insights is 'Further assessment results as a JSON object (free-form: summaries, strengths, growth areas).';
comment on column public.onboarding_profiles.completed_at is 'When the user finished onboarding; null while it is in progress.';

create trigger onboarding_profiles_touch_updated_at
  before update on public.onboarding_profiles
  for each row execute function convo.touch_updated_at();

alter table public.onboarding_profiles enable row level security;

-- A user reads their own onboarding profile.
create policy "Users can view their own onboarding profile" on public.onboarding_profiles
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user creates their own onboarding profile only.
create policy "Users can create their own onboarding profile" on public.onboarding_profiles
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user updates their own onboarding profile and cannot give it away.
create policy "Users can update their own onboarding profile" on public.onboarding_profiles
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own onboarding profile.
create policy "Users can delete their own onboarding profile" on public.onboarding_profiles
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- ritual_preferences -------------------------------------------------------------------------------
-- When and how the user likes their daily mentor session. One row per user, keyed by user_id.
-- timezone is checked on write (an unknown zone is 22023) because start_mentor_session dates the
-- daily session in it.
--   select / insert / update / delete: a user, their own row only

create table public.ritual_preferences (
  user_id uuid not null,
  preferred_time time,
  timezone text not null default 'UTC',
  session_days smallint[] not null default '{1,2,3,4,5,6,7}',
  session_duration_minutes integer not null default 15,
  reminders_enabled boolean not null default true,
  preferences jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ritual_preferences_pkey primary key (user_id),
  constraint ritual_preferences_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint ritual_preferences_timezone_check check (btrim(timezone) <> ''),
  constraint ritual_preferences_session_days_check check (session_days <@ '{1,2,3,4,5,6,7}'::smallint[]),
  constraint ritual_preferences_session_duration_minutes_check check (session_duration_minutes between 1 and 120),
  constraint ritual_preferences_preferences_check check (jsonb_typeof(preferences) = 'object'),
  -- the longest IANA name is 32 characters
  constraint ritual_preferences_timezone_length_check check (char_length(timezone) <= 64),
  -- the existing check only limits the values (1-7); this one also stops [1, 1, 1, …]
  constraint ritual_preferences_session_days_length_check check (cardinality(session_days) <= 7),
  constraint ritual_preferences_preferences_length_check check (octet_length(preferences::text) <= 16384)
);

comment on table public.ritual_preferences is
  'A user''s daily-session ritual: preferred time and days, session length, reminders. One row per user (primary key user_id: upsert in place). A user manages only their own row.';
comment on column public.ritual_preferences.preferred_time is 'Preferred local time of day for the session, in timezone.';
comment on column public.ritual_preferences.timezone is 'The user''s time zone (IANA name such as Europe/Berlin). Checked on write; daily_sessions.session_date is the date in this zone.';
comment on column public.ritual_preferences.session_days is 'ISO days of the week for sessions: 1 = Monday ... 7 = Sunday.';
comment on column public.ritual_preferences.session_duration_minutes is 'Preferred session length, 1-120 minutes (passed to the provider as the maximum call duration).';
comment on column public.ritual_preferences.preferences is 'Further preferences as a JSON object (free-form: tone, opening ritual, ...).';

-- Refuses a time zone PostgreSQL does not know (22023), so session dating can rely on it.
create function convo.ritual_preferences_check_timezone()
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
comment on function convo.ritual_preferences_check_timezone() is
  'BEFORE INSERT OR UPDATE OF timezone on public.ritual_preferences: refuses (22023) a time zone PostgreSQL does not recognise.';
revoke execute on function convo.ritual_preferences_check_timezone() from public;

create trigger ritual_preferences_check_timezone
  before insert or update of timezone on public.ritual_preferences
  for each row execute function convo.ritual_preferences_check_timezone();

create trigger ritual_preferences_touch_updated_at
  before update on public.ritual_preferences
  for each row execute function convo.touch_updated_at();

alter table public.ritual_preferences enable row level security;

-- A user reads their own ritual preferences.
create policy "Users can view their own ritual preferences" on public.ritual_preferences
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user creates their own ritual preferences only.
create policy "Users can create their own ritual preferences" on public.ritual_preferences
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user updates their own ritual preferences and cannot give them away.
create policy "Users can update their own ritual preferences" on public.ritual_preferences
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own ritual preferences.
create policy "Users can delete their own ritual preferences" on public.ritual_preferences
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- user_emotional_categories ------------------------------------------------------------------------
-- The emotional focus areas a user wants to work on, ranked: priority 1 comes first.
-- One row per (user_id, category): upsert with on_conflict=user_id,category.
--   select / insert / update / delete: a user, their own rows only

create table public.user_emotional_categories (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  category text not null,
  priority smallint not null default 1,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_emotional_categories_pkey primary key (id),
  constraint user_emotional_categories_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint user_emotional_categories_user_id_category_key unique (user_id, category),
  constraint user_emotional_categories_category_check check (btrim(category) <> ''),
  constraint user_emotional_categories_priority_check check (priority between 1 and 100),
  constraint user_emotional_categories_category_length_check check (char_length(category) <= 100),
  constraint user_emotional_categories_description_length_check check (char_length(description) <= 2000)
);

comment on table public.user_emotional_categories is
  'Emotional focus areas of a user (e.g. anxiety, self-worth), ranked by priority (1 first). Unique per (user_id, category): upsert with on_conflict=user_id,category. A user manages only their own rows.';
comment on column public.user_emotional_categories.priority is 'Rank, 1-100: 1 is the most important. Ties are ordered by category.';

-- The unique constraint (user_id, category) also serves the foreign key; this one the ranking.
create index idx_user_emotional_categories_priority on public.user_emotional_categories (user_id, priority);

create trigger user_emotional_categories_touch_updated_at
  before update on public.user_emotional_categories
  for each row execute function convo.touch_updated_at();

alter table public.user_emotional_categories enable row level security;

-- A user reads their own emotional categories.
create policy "Users can view their own emotional categories" on public.user_emotional_categories
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user adds emotional categories for themselves only.
create policy "Users can create their own emotional categories" on public.user_emotional_categories
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user re-ranks or edits their own emotional categories and cannot give them away.
create policy "Users can update their own emotional categories" on public.user_emotional_categories
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own emotional categories.
create policy "Users can delete their own emotional categories" on public.user_emotional_categories
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- user_goals ---------------------------------------------------------------------------------------
-- Personal development goals. status: active -> achieved / archived (and back). achieved_at is
-- kept by a trigger: set when a goal becomes achieved (unless given), cleared when it is active.
--   select / insert / update / delete: a user, their own goals only

create table public.user_goals (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  title text not null,
  description text,
  category text,
  status text not null default 'active',
  target_date date,
  achieved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_goals_pkey primary key (id),
  constraint user_goals_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint user_goals_title_check check (btrim(title) <> ''),
  constraint user_goals_status_check check (status in ('active', 'achieved', 'archived')),
  constraint user_goals_achieved_at_check check (status <> 'achieved' or achieved_at is not null),
  constraint user_goals_title_length_check check (char_length(title) <= 200),
  constraint user_goals_description_length_check check (char_length(description) <= 5000),
  constraint user_goals_category_length_check check (char_length(category) <= 100)
);

comment on table public.user_goals is
  'A user''s personal development goals: status active, achieved or archived, optional target date. get_mentor_context() passes the active ones to the mentor. A user manages only their own goals.';
comment on column public.user_goals.category is 'Optional free-form grouping, e.g. the emotional category the goal belongs to.';
comment on column public.user_goals.status is 'active (being worked on), achieved, or archived (dropped or put away).';
comment on column public.user_goals.target_date is 'When the user wants to reach the goal; optional.';
comment on column public.user_goals.achieved_at is 'When the goal was achieved. Set automatically when status becomes achieved (unless given); cleared when status goes back to active; kept when an achieved goal is archived.';

-- The user's goals by status and target date (the context's active goals); also the FK index.
create index idx_user_goals_user_status on public.user_goals (user_id, status, target_date);

create function convo.user_goals_track_achieved_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status = 'achieved' and new.achieved_at is null then
    new.achieved_at := now();
  elsif new.status = 'active' then
    new.achieved_at := null;
  end if;
  return new;
end
$$;
comment on function convo.user_goals_track_achieved_at() is
  'BEFORE INSERT OR UPDATE on public.user_goals: sets achieved_at to now() when status is achieved and achieved_at is missing; clears it when status is active.';
revoke execute on function convo.user_goals_track_achieved_at() from public;

create trigger user_goals_track_achieved_at
  before insert or update on public.user_goals
  for each row execute function convo.user_goals_track_achieved_at();

create trigger user_goals_touch_updated_at
  before update on public.user_goals
  for each row execute function convo.touch_updated_at();

alter table public.user_goals enable row level security;

-- A user reads their own goals.
create policy "Users can view their own goals" on public.user_goals
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user creates goals for themselves only.
create policy "Users can create their own goals" on public.user_goals
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user edits their own goals and cannot give them away.
create policy "Users can update their own goals" on public.user_goals
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user deletes their own goals.
create policy "Users can delete their own goals" on public.user_goals
  for delete to authenticated
  using (user_id = (select auth.uid()));


-- mentor_conversations -----------------------------------------------------------------------------
-- One video conversation with the provider (Tavus), from start to end.
-- Lifecycle: start_mentor_session inserts it 'active'; end_mentor_session (the user) or the
-- conversation_ended webhook (the provider) sets end_time and duration_seconds and marks it
-- 'completed'; the webhooks add the transcript and the recording url. 'failed' is set by the
-- backend (service_role) when the provider reports the conversation as broken.
--   select: the owner
--   insert / update / delete: nobody through the API (the RPCs and service_role only)

create table public.mentor_conversations (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  persona_id uuid,
  provider_conversation_id text not null,
  status text not null default 'active',
  start_time timestamptz not null default now(),
  end_time timestamptz,
  duration_seconds integer,
  recording_url text,
  transcript jsonb,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint mentor_conversations_pkey primary key (id),
  constraint mentor_conversations_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint mentor_conversations_persona_id_fkey foreign key (persona_id)
    references public.user_personas (id) on delete set null,
  -- unique per user (not globally: that would tell a stranger the id is in use); the index also
  -- serves the webhook's lookup by provider id
  constraint mentor_conversations_provider_conversation_id_user_id_key
    unique (provider_conversation_id, user_id),
  constraint mentor_conversations_provider_conversation_id_check check (btrim(provider_conversation_id) <> ''),
  constraint mentor_conversations_status_check check (status in ('active', 'completed', 'failed')),
  constraint mentor_conversations_duration_seconds_check check (duration_seconds >= 0),
  constraint mentor_conversations_end_time_check check (end_time >= start_time),
  constraint mentor_conversations_ended_check check ((end_time is null) = (duration_seconds is null)),
  constraint mentor_conversations_status_end_check check (
    (status <> 'active' or end_time is null) and (status <> 'completed' or end_time is not null)),
  constraint mentor_conversations_metadata_check check (jsonb_typeof(metadata) = 'object'),
  constraint mentor_conversations_provider_conversation_id_length_check check (char_length(provider_conversation_id) <= 200),
  constraint mentor_conversations_recording_url_length_check check (char_length(recording_url) <= 2048),
  constraint mentor_conversations_transcript_length_check check (octet_length(transcript::text) <= 1048576),
  -- webhook_events keeps the last payload of each of the three events without its transcript
  -- (each at most 64 KiB, see record_mentor_webhook), plus room for the backend's own keys
  constraint mentor_conversations_metadata_length_check check (octet_length(metadata::text) <= 262144)
);

comment on table public.mentor_conversations is
  'Video conversations with the AI mentor (Tavus), one per provider conversation. Created by start_mentor_session, ended by end_mentor_session or the conversation_ended webhook, completed with transcript and recording by record_mentor_webhook. The owner reads them; only those RPCs and the service role write them.';
comment on column public.mentor_conversations.provider_conversation_id is
  'The video provider''s conversation id (Tavus conversation_id), at most 200 characters. Unique per user; webhooks apply to the first conversation recorded under it.';
comment on column public.mentor_conversations.persona_id is 'The user_personas row the session ran with; null if none (or deleted since).';
comment on column public.mentor_conversations.status is 'active (running), completed (ended: end_time and duration set) or failed (set by the backend when the provider reports an error).';
comment on column public.mentor_conversations.duration_seconds is 'Whole seconds from start_time to end_time, set when the conversation ends; never negative. Null while running.';
comment on column public.mentor_conversations.recording_url is 'Link to the provider''s recording, from a webhook.';
comment on column public.mentor_conversations.transcript is 'The provider''s transcript as delivered by the transcript_ready webhook (typically an array of {role, content}).';
comment on column public.mentor_conversations.metadata is 'JSON object. webhook_events.<event_type> holds the last payload of each webhook event (without the transcript, which has its own column).';

create index idx_mentor_conversations_user_start on public.mentor_conversations (user_id, start_time desc);
create index idx_mentor_conversations_persona on public.mentor_conversations (persona_id);

create trigger mentor_conversations_touch_updated_at
  before update on public.mentor_conversations
  for each row execute function convo.touch_updated_at();

alter table public.mentor_conversations enable row level security;

-- The owner reads their own mentor conversations (writes: the RPCs and service_role only).
create policy "Users can view their own mentor conversations" on public.mentor_conversations
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke insert, update, delete, truncate on table public.mentor_conversations from anon, authenticated;


-- daily_sessions -----------------------------------------------------------------------------------
-- The user's session log for analytics: one row per mentor conversation (unique FK), dated in the
-- user's time zone, with status and duration mirrored from the conversation and the transcript /
-- summary data from the webhooks.
--   select: the owner
--   insert / update / delete: nobody through the API (the RPCs and service_role only)

create table public.daily_sessions (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  mentor_conversation_id uuid not null,
  session_date date not null default current_date,
  status text not null default 'active',
  duration_seconds integer,
  completed_at timestamptz,
  transcript_data jsonb,
  summary_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint daily_sessions_pkey primary key (id),
  constraint daily_sessions_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint daily_sessions_mentor_conversation_id_fkey foreign key (mentor_conversation_id)
    references public.mentor_conversations (id) on delete cascade,
  constraint daily_sessions_mentor_conversation_id_key unique (mentor_conversation_id),
  constraint daily_sessions_status_check check (status in ('active', 'completed', 'failed')),
  constraint daily_sessions_duration_seconds_check check (duration_seconds >= 0),
  constraint daily_sessions_summary_data_check check (jsonb_typeof(summary_data) = 'object'),
  constraint daily_sessions_transcript_data_length_check check (octet_length(transcript_data::text) <= 1048576),
  -- recording_url and summary from the webhooks (a summary is part of a ≤ 64 KiB event)
  constraint daily_sessions_summary_data_length_check check (octet_length(summary_data::text) <= 131072)
);

comment on table public.daily_sessions is
  'Session log of a user (analytics): one row per mentor conversation, created with it by start_mentor_session; status and duration mirror the conversation; transcript and summary data come from the webhooks. The owner reads them; only the RPCs and the service role write them.';
comment on column public.daily_sessions.mentor_conversation_id is 'The mentor conversation this session is (unique: one session per conversation).';
comment on column public.daily_sessions.session_date is 'The day of the session in the user''s time zone (ritual_preferences.timezone, UTC without one).';
comment on column public.daily_sessions.status is 'active, completed or failed: mirrors mentor_conversations.status.';
comment on column public.daily_sessions.duration_seconds is 'Same as the conversation''s duration_seconds once it ended; never negative.';
comment on column public.daily_sessions.completed_at is 'The conversation''s end_time.';
comment on column public.daily_sessions.transcript_data is 'The transcript delivered by the transcript_ready webhook.';
comment on column public.daily_sessions.summary_data is 'JSON object of post-session data from the webhooks: recording_url, summary.';

-- The user's sessions by day (also the FK index for user_id); the unique constraint serves the
-- other foreign key.
create index idx_daily_sessions_user_date on public.daily_sessions (user_id, session_date desc);

create trigger daily_sessions_touch_updated_at
  before update on public.daily_sessions
  for each row execute function convo.touch_updated_at();

alter table public.daily_sessions enable row level security;

-- The owner reads their own daily sessions (writes: the RPCs and service_role only).
create policy "Users can view their own daily sessions" on public.daily_sessions
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke insert, update, delete, truncate on table public.daily_sessions from anon, authenticated;


-- Server-maintained columns and explicit nulls -----------------------------------------------------------
-- In the five tables users write themselves, created_at / updated_at keep the server's value (on
-- insert the default, on update the old value, whatever an API role sends: a client that upserts
-- a row it read back sends them); <table>_touch_updated_at still moves updated_at forward.
-- Not listed on purpose: onboarding_profiles.completed_at (the app marks onboarding finished)
-- and user_goals.achieved_at (the user may say when; the trigger fills it in otherwise).
-- mentor_conversations, daily_sessions and mentor_avatars have no write privilege for API roles.
select convo.install_keep_server_columns(t, array['created_at', 'updated_at'])
from unnest(array['public.user_personas', 'public.onboarding_profiles', 'public.ritual_preferences',
                  'public.user_emotional_categories', 'public.user_goals']::regclass[]) t;
select convo.install_fill_column_defaults(t)
from unnest(array['public.mentor_avatars', 'public.user_personas', 'public.onboarding_profiles',
                  'public.ritual_preferences', 'public.user_emotional_categories', 'public.user_goals',
                  'public.mentor_conversations', 'public.daily_sessions']::regclass[]) t;


-- get_mentor_context -------------------------------------------------------------------------------
-- Everything start-tavus-session gathers, in one call. Security invoker: reads through the caller's
-- RLS (and filters by auth.uid() explicitly, so each piece is one index lookup).

-- PL/pgSQL rather than SQL so that convo.acting_user runs first and always (in a SQL function the
-- planner may skip a CTE whose join finds no rows, and with it the refusal).

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


-- Ending a conversation (shared) -------------------------------------------------------------------
-- Marks an active conversation and its daily session completed, with one end_time and the same
-- duration in both. Callers lock the conversation row (FOR UPDATE) first: concurrent enders
-- serialise on it, and the later one finds it no longer active and changes nothing.
-- Security invoker: runs as end_mentor_session's owner or as service_role (record_mentor_webhook).

create function convo.complete_mentor_conversation(p_conversation_id uuid)
returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
  with ended as (
    update public.mentor_conversations m
       set status = 'completed',
           end_time = greatest(now(), m.start_time),
           duration_seconds = floor(extract(epoch from greatest(now(), m.start_time) - m.start_time))::integer
     where m.id = p_conversation_id
       and m.status = 'active'
    returning m.id, m.end_time, m.duration_seconds
  ),
  daily as (
    update public.daily_sessions d
       set status = 'completed',
           duration_seconds = ended.duration_seconds,
           completed_at = ended.end_time
      from ended
     where d.mentor_conversation_id = ended.id
    returning d.id
  )
  select exists (select from ended)
$$;

comment on function convo.complete_mentor_conversation(uuid) is
  'Internal: if the conversation is active, sets end_time = now() and duration_seconds = whole seconds since start_time, status completed, and the same on its daily session; returns whether it did. The caller must hold the conversation row lock.';

revoke execute on function convo.complete_mentor_conversation(uuid) from public;
grant execute on function convo.complete_mentor_conversation(uuid) to service_role;


-- start_mentor_session -----------------------------------------------------------------------------
-- SECURITY DEFINER: users may not insert into mentor_conversations / daily_sessions. In convo
-- (not exposed), search_path empty; it acts only for auth.uid() and takes no user id.

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


-- end_mentor_session -------------------------------------------------------------------------------

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


-- record_mentor_webhook ----------------------------------------------------------------------------
-- The tavus-webhook edge function's database work, called with the service_role key. Security
-- invoker: service_role may write these tables itself, so no definer rights are needed.
-- Payload fields are read from the payload's top level or, as Tavus sends them, from its
-- "properties" object (top level wins): transcript, recording_url, summary.

create function public.record_mentor_webhook(
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

revoke execute on function public.record_mentor_webhook(text, text, jsonb) from public, anon, authenticated;
grant execute on function public.record_mentor_webhook(text, text, jsonb) to service_role;
