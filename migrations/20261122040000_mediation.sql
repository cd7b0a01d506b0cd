-- Mediated sessions (issue 5): the Understand.me schema — sessions, their participants, messages,
-- files, evaluations, and each user's growth insights and achievements — with its row level
-- security, the host's anonymised feedback summary, and the peers' public profile cards.
--
-- Source: ../shared/seeds/000_* sections 3.1–3.5 (profiles comes from the chat migration).
--
-- Access model, for every table here:
--   * RLS on; policies `to authenticated` only, one per action; each says in one line who may do
--     what. The caller is `(select auth.uid())` (an initPlan, once per statement).
--   * "Who is in which session" is answered by pg_convo's SECURITY DEFINER access checks in the
--     non-exposed `convo` schema (src/mediation.rs), used in the set form
--     `session_id = any (array(select convo.my_session_ids()))`: evaluated once per statement.
--     A policy on session_participants that queried session_participants itself would recurse
--     (42P17: the seed's policy does; see pgrx-tests/40_mediation.sql).
--   * "Participant" means an ACCEPTED participant; the host is one (creating a session adds the
--     host's participant row: role 'host', accepted). A pending invitee sees the session and their
--     own invitation, nothing else; a declined one only their own participant row.
--   * Table privileges are explicit: anon has none at all (every request → 42501 → HTTP 401);
--     authenticated has SELECT plus only the INSERT / UPDATE columns it may write (column grants),
--     and DELETE only where a policy allows it. Supabase's default "grant all" would also have
--     given TRUNCATE, which RLS does not govern. service_role keeps its grants and BYPASSRLS.
--
-- Deliberate additions to the seed, each explained where it is made: NOT NULL on columns the
-- seed leaves nullable but that have no meaning as null (host_id, the session_id/profile_id links,
-- status, flags, role); the host's participant row; the 'system' message type; a composite foreign
-- key that keeps a message's participant, session and author consistent; achievements.viewed_at;
-- the ON DELETE actions the seed does not name; columns written by the backend (AI summaries,
-- sentiment, IPFS CIDs) that users cannot write; observers, who read but do not post or upload.

-- The access checks are installed by the extension with EXECUTE revoked from PUBLIC: the roles
-- that evaluate the policies below get it. (anon matches no policy here, so never evaluates one.)
grant execute on function
  convo.is_session_participant(uuid, uuid),
  convo.is_session_host(uuid, uuid),
  convo.my_session_ids(),
  convo.my_hosted_session_ids(),
  convo.my_invited_session_ids(),
  convo.my_session_peer_ids()
  to authenticated, service_role;


-- sessions ---------------------------------------------------------------------------------------
-- A mediated communication session, created and run by its host.
--   select: the host, accepted participants, and pending invitees (so they can decide)
--   insert: a user, as the host (host_id = self); the host's participant row is added with it
--   update: the host only, the host-editable columns only (not host_id, not the AI's columns)
--   delete: nobody through the API (service_role only)

create table public.sessions (
  id uuid not null default gen_random_uuid(),
  created_at timestamptz not null default now(),
  host_id uuid not null,
  title text not null,
  description_context text,
  session_type text,
  status text not null default 'scheduled',
  scheduled_start_time timestamptz,
  actual_start_time timestamptz,
  actual_end_time timestamptz,
  goals jsonb,
  rules jsonb,
  ai_synthesis_summary text,
  final_summary_pdf_url text,
  constraint sessions_pkey primary key (id),
  -- A session belongs to its host: deleting the host's account deletes the sessions they host
  -- (and, by cascade, their participants, messages, files and evaluations).
  constraint sessions_host_id_fkey foreign key (host_id)
    references public.profiles (id) on delete cascade,
  constraint sessions_status_check
    check (status in ('scheduled', 'in_progress', 'completed', 'cancelled')),
  constraint sessions_goals_check check (goals is null or jsonb_typeof(goals) = 'array'),
  constraint sessions_rules_check check (rules is null or jsonb_typeof(rules) = 'array')
);

comment on table public.sessions is
  'A mediated communication session. Creating one (host_id = yourself) makes you its host and its first participant. Readable by its host, its accepted participants and its pending invitees; only the host updates it; nobody deletes it through the API.';
comment on column public.sessions.status is 'scheduled | in_progress | completed | cancelled. Messages can be posted only while in_progress.';
comment on column public.sessions.session_type is
  'Free text, e.g. mediated_discussion, problem_solving. Participants (not only the host) may upload session files when it is mediated_discussion or problem_solving (see convo.session_type_allows_participant_uploads).';
comment on column public.sessions.goals is 'JSON array, e.g. ["Goal 1", "Goal 2"].';
comment on column public.sessions.rules is 'JSON array, e.g. ["Rule 1", "Rule 2"].';
comment on column public.sessions.ai_synthesis_summary is 'Written by the backend (service role), not by users.';
comment on column public.sessions.final_summary_pdf_url is 'Written by the backend (service role), not by users.';

create index idx_sessions_host_id on public.sessions (host_id, created_at desc);


-- session_participants ---------------------------------------------------------------------------
-- Who takes part in a session: one row per (session, profile).
--   select: accepted participants (host included) see the session's whole list; anyone sees
--           their own row (a pending or declined invitee sees only that)
--   insert: the host invites (session_id, profile_id, role only: the invitation starts pending),
--           never as 'host'
--   update: a user, their own row only, and only invitation_status, joined_at, perspective_text,
--           signed_off_summary, sign_off_timestamp (column grants): never role, session or profile
--   delete: the host removes participants (not the host's own row)

create table public.session_participants (
  id bigint generated always as identity,
  session_id uuid not null,
  profile_id uuid not null,
  -- The seed has role nullable; a participant without a role has no defined rights, so NOT NULL.
  role text not null default 'participant',
  joined_at timestamptz,
  perspective_text text,
  invitation_status text not null default 'pending',
  signed_off_summary boolean not null default false,
  sign_off_timestamp timestamptz,
  constraint session_participants_pkey primary key (id),
  constraint session_participants_session_id_fkey foreign key (session_id)
    references public.sessions (id) on delete cascade,
  constraint session_participants_profile_id_fkey foreign key (profile_id)
    references public.profiles (id) on delete cascade,
  constraint session_participants_session_id_profile_id_key unique (session_id, profile_id),
  -- The target of session_messages' consistency key (id alone is already unique).
  constraint session_participants_id_session_id_profile_id_key unique (id, session_id, profile_id),
  constraint session_participants_role_check check (role in ('host', 'participant', 'observer')),
  constraint session_participants_invitation_status_check
    check (invitation_status in ('pending', 'accepted', 'declined')),
  -- The host's row is the one created with the session: always accepted.
  constraint session_participants_host_accepted_check check (role <> 'host' or invitation_status = 'accepted')
);

comment on table public.session_participants is
  'Participants of a session, one row per (session_id, profile_id). The host''s row (role host, accepted) is created with the session. The host invites (a row starts pending) and removes; the invitee answers by updating their own invitation_status (and may set joined_at, perspective_text and sign off the summary). Accepted participants see the whole list; anyone sees their own row.';
comment on column public.session_participants.role is 'host | participant | observer. Observers read, but do not post messages or upload files.';
comment on column public.session_participants.invitation_status is 'pending | accepted | declined. Only accepted participants take part.';
comment on column public.session_participants.sign_off_timestamp is
  'Set by the database: now() when signed_off_summary becomes true, null when it is false.';

-- One host row per session.
create unique index session_participants_one_host_idx on public.session_participants (session_id)
  where role = 'host';
-- The foreign key on profile_id, and the lookup of convo.my_session_ids() (index-only).
create index idx_session_participants_profile on public.session_participants
  (profile_id, invitation_status, session_id);

-- BEFORE INSERT OR UPDATE: the database owns sign_off_timestamp (stamped when signed_off_summary
-- becomes true, kept while it stays true, cleared when false), and accepting an invitation sets
-- joined_at if it is not set yet.
create function convo.session_participants_stamp()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.signed_off_summary then
    if tg_op = 'INSERT' then
      new.sign_off_timestamp := coalesce(new.sign_off_timestamp, now());
    elsif old.signed_off_summary then
      new.sign_off_timestamp := old.sign_off_timestamp;
    else
      new.sign_off_timestamp := now();
    end if;
  else
    new.sign_off_timestamp := null;
  end if;
  if new.invitation_status = 'accepted' and new.joined_at is null
     and (tg_op = 'INSERT' or old.invitation_status <> 'accepted') then
    new.joined_at := now();
  end if;
  return new;
end
$$;
comment on function convo.session_participants_stamp() is
  'BEFORE INSERT OR UPDATE on public.session_participants: maintains sign_off_timestamp from signed_off_summary; sets joined_at when an invitation is accepted.';
revoke execute on function convo.session_participants_stamp() from public;

create trigger session_participants_stamp
  before insert or update on public.session_participants
  for each row execute function convo.session_participants_stamp();

-- AFTER INSERT OR UPDATE OF host_id on sessions: the host is a participant (role 'host',
-- accepted, joined now), added in the same transaction as the session. SECURITY DEFINER because
-- the row is written as the table owner: users may not insert 'host' rows or accepted rows.
-- (host_id can change only through the service role; then the old host becomes a participant.)
create function convo.sessions_add_host()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    update public.session_participants
    set role = 'participant'
    where session_id = new.id and role = 'host' and profile_id <> new.host_id;
  end if;
  insert into public.session_participants (session_id, profile_id, role, invitation_status, joined_at)
  values (new.id, new.host_id, 'host', 'accepted', now())
  on conflict (session_id, profile_id) do update
    set role = 'host', invitation_status = 'accepted',
        joined_at = coalesce(public.session_participants.joined_at, now());
  return null;
end
$$;
comment on function convo.sessions_add_host() is
  'AFTER INSERT (or UPDATE OF host_id) on public.sessions: makes the host an accepted participant with role host.';
revoke execute on function convo.sessions_add_host() from public;

create trigger sessions_add_host
  after insert on public.sessions
  for each row execute function convo.sessions_add_host();
create trigger sessions_host_changed
  after update of host_id on public.sessions
  for each row when (old.host_id is distinct from new.host_id)
  execute function convo.sessions_add_host();


-- session_messages -------------------------------------------------------------------------------
-- What was said or written in a session.
--   select: the session's accepted participants
--   insert: an accepted host or participant (not an observer), as themselves (profile_id = self,
--           session_participant_id = their own row of that session), while the session is
--           in_progress; speech_transcript or user_typed_message (and poll_created by the host).
--           alex_guidance and system messages come from the backend (service_role).
--   update: the author, content only (column grant), while still a participant; is_edited
--           becomes true
--   delete: nobody through the API

create table public.session_messages (
  id bigint generated always as identity,
  session_id uuid not null,
  session_participant_id bigint,
  profile_id uuid,
  "timestamp" timestamptz not null default now(),
  message_type text not null default 'speech_transcript',
  content text not null,
  sentiment_analysis jsonb,
  is_edited boolean not null default false,
  constraint session_messages_pkey primary key (id),
  constraint session_messages_session_id_fkey foreign key (session_id)
    references public.sessions (id) on delete cascade,
  -- The ONLY foreign key to profiles, so the seed's embed `profiles (id, full_name, avatar_url)`
  -- has one path (and see the computed relationship public.profiles(session_messages) below).
  -- Deleting an account keeps the transcript and drops the author link.
  constraint session_messages_profile_id_fkey foreign key (profile_id)
    references public.profiles (id) on delete set null,
  -- The seed's session_participant_id → session_participants.id, as a composite key so that the
  -- participant row belongs to the message's session and author (for every writer, the service
  -- role included). Removing a participant keeps their messages and clears only the link.
  -- (MATCH SIMPLE: a message without a participant, e.g. a system message, is not checked.)
  constraint session_messages_session_participant_id_fkey
    foreign key (session_participant_id, session_id, profile_id)
    references public.session_participants (id, session_id, profile_id)
    on delete set null (session_participant_id),
  -- The seed's four types, plus 'system' (the seed's "system message": join/leave notices and
  -- the like, with no participant).
  constraint session_messages_message_type_check check (message_type in
    ('speech_transcript', 'user_typed_message', 'alex_guidance', 'poll_created', 'system'))
);

comment on table public.session_messages is
  'Messages and transcribed speech of a session, readable by its accepted participants. A participant posts as themselves (profile_id = you, session_participant_id = your participant row) while the session is in_progress; the author may correct content (is_edited becomes true). Embed the author''s public card with profiles(id, full_name, avatar_url).';
comment on column public.session_messages.message_type is
  'speech_transcript | user_typed_message | alex_guidance | poll_created | system. Users post speech_transcript and user_typed_message (the host also poll_created); alex_guidance and system come from the backend.';
comment on column public.session_messages.is_edited is 'Set by the database when content is changed.';
comment on column public.session_messages.sentiment_analysis is 'Written by the backend (service role), e.g. {"score": 0.8, "label": "positive"}.';

-- The seed's index (session_id, timestamp): one session's messages in order; also the FK index.
create index idx_session_messages_session_timestamp on public.session_messages (session_id, "timestamp");
-- "Newest messages I can see" across sessions.
create index idx_session_messages_timestamp on public.session_messages ("timestamp");
create index idx_session_messages_profile on public.session_messages (profile_id);
create index idx_session_messages_participant on public.session_messages
  (session_participant_id, session_id, profile_id);

create function convo.session_messages_mark_edited()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.is_edited := true;
  return new;
end
$$;
comment on function convo.session_messages_mark_edited() is
  'BEFORE UPDATE OF content on public.session_messages: a changed content marks the message is_edited.';
revoke execute on function convo.session_messages_mark_edited() from public;

create trigger session_messages_mark_edited
  before update of content on public.session_messages
  for each row when (old.content is distinct from new.content)
  execute function convo.session_messages_mark_edited();


-- session_files ----------------------------------------------------------------------------------
-- Files uploaded for a session's context (metadata; the bytes live in Supabase Storage).
--   select: the session's accepted participants
--   insert: the host, as uploader; an accepted participant (role participant) as uploader when the
--           session type allows participant uploads (convo.session_type_allows_participant_uploads)
--   update: nobody through the API (ipfs_cid and ai_analysis_snippet come from the backend)
--   delete: the host

create table public.session_files (
  id uuid not null default gen_random_uuid(),
  session_id uuid not null,
  uploader_profile_id uuid,
  file_name text not null,
  storage_path text not null,
  ipfs_cid text,
  file_type text,
  file_size bigint,
  description text,
  uploaded_at timestamptz not null default now(),
  ai_analysis_snippet text,
  constraint session_files_pkey primary key (id),
  constraint session_files_session_id_fkey foreign key (session_id)
    references public.sessions (id) on delete cascade,
  -- Deleting an account keeps the session's files (the host's to manage) without the uploader.
  constraint session_files_uploader_profile_id_fkey foreign key (uploader_profile_id)
    references public.profiles (id) on delete set null,
  constraint session_files_storage_path_key unique (storage_path),
  constraint session_files_ipfs_cid_key unique (ipfs_cid),
  constraint session_files_file_size_check check (file_size >= 0)
);

comment on table public.session_files is
  'Files of a session (Supabase Storage path, optional IPFS CID). Its accepted participants read them; the host uploads and deletes; participants upload their own when the session type is mediated_discussion or problem_solving.';
comment on column public.session_files.ipfs_cid is 'Set by the backend (service role) after pinning.';
comment on column public.session_files.ai_analysis_snippet is 'Set by the backend (service role).';

create index idx_session_files_session on public.session_files (session_id, uploaded_at);
create index idx_session_files_uploader on public.session_files (uploader_profile_id);

-- Which session types let participants (not only the host) upload files: the two kinds of
-- session in which each side brings their own material — a mediated discussion (each party's
-- perspective, evidence) and problem solving (each one's documents). Every other type, and a
-- session without a type, is host-only: the safe default for types added later.
create function convo.session_type_allows_participant_uploads(p_session_type text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(p_session_type in ('mediated_discussion', 'problem_solving'), false)
$$;
comment on function convo.session_type_allows_participant_uploads(text) is
  'True for the session types in which participants may upload their own files: mediated_discussion, problem_solving.';
revoke execute on function convo.session_type_allows_participant_uploads(text) from public;
grant execute on function convo.session_type_allows_participant_uploads(text) to authenticated, service_role;


-- growth_insights --------------------------------------------------------------------------------
-- Personal growth feedback, generated by the backend.
--   select: the owner
--   update: the owner, viewed_at only (marks it seen)
--   insert / delete: nobody through the API (service_role writes)

create table public.growth_insights (
  id bigint generated always as identity,
  profile_id uuid not null,
  session_id uuid,
  insight_type text not null,
  insight_data jsonb not null,
  generated_at timestamptz not null default now(),
  viewed_at timestamptz,
  constraint growth_insights_pkey primary key (id),
  constraint growth_insights_profile_id_fkey foreign key (profile_id)
    references public.profiles (id) on delete cascade,
  constraint growth_insights_session_id_fkey foreign key (session_id)
    references public.sessions (id) on delete set null
);

comment on table public.growth_insights is
  'Growth insights of a user (e.g. clarity_score, filler_word_frequency, sentiment_trend, conflict_pattern), written by the backend. The owner reads them and may set viewed_at.';

create index idx_growth_insights_profile on public.growth_insights (profile_id, generated_at desc);
create index idx_growth_insights_session on public.growth_insights (session_id);


-- achievements -----------------------------------------------------------------------------------
-- Badges earned, awarded by the backend. viewed_at is not in the seed: the issue lets the owner
-- mark achievements viewed too (a "new badge" marker), as for growth insights.
--   select: the owner
--   update: the owner, viewed_at only
--   insert / delete: nobody through the API (service_role writes)

create table public.achievements (
  id bigint generated always as identity,
  profile_id uuid not null,
  badge_id text not null,
  achieved_at timestamptz not null default now(),
  details jsonb,
  viewed_at timestamptz,
  constraint achievements_pkey primary key (id),
  constraint achievements_profile_id_fkey foreign key (profile_id)
    references public.profiles (id) on delete cascade
);

comment on table public.achievements is
  'Badges a user earned (badge_id e.g. clarity_champion_1), awarded by the backend. The owner reads them and may set viewed_at.';
comment on column public.achievements.viewed_at is 'When the owner saw the badge; null while it is new.';

create index idx_achievements_profile on public.achievements (profile_id, achieved_at desc);


-- session_evaluations ----------------------------------------------------------------------------
-- Feedback of a participant about a session, at most one per (session, evaluator).
--   select: the evaluator, their own only (the host never sees individual rows: see
--           session_feedback_summary)
--   insert: an accepted participant other than the host, as themselves, once per session
--   update / delete: nobody through the API

create table public.session_evaluations (
  id bigint generated always as identity,
  session_id uuid not null,
  evaluator_profile_id uuid not null,
  rating_overall_satisfaction integer,
  rating_clarity_goals integer,
  rating_fairness_balance integer,
  rating_alex_helpfulness integer,
  feedback_worked_well text,
  feedback_could_improve text,
  feedback_alex_specific text,
  share_with_host boolean not null default false,
  submitted_at timestamptz not null default now(),
  constraint session_evaluations_pkey primary key (id),
  constraint session_evaluations_session_id_fkey foreign key (session_id)
    references public.sessions (id) on delete cascade,
  constraint session_evaluations_evaluator_profile_id_fkey foreign key (evaluator_profile_id)
    references public.profiles (id) on delete cascade,
  constraint session_evaluations_session_id_evaluator_profile_id_key unique (session_id, evaluator_profile_id),
  constraint session_evaluations_rating_overall_satisfaction_check check (rating_overall_satisfaction between 1 and 5),
  constraint session_evaluations_rating_clarity_goals_check check (rating_clarity_goals between 1 and 5),
  constraint session_evaluations_rating_fairness_balance_check check (rating_fairness_balance between 1 and 5),
  constraint session_evaluations_rating_alex_helpfulness_check check (rating_alex_helpfulness between 1 and 5)
);

comment on table public.session_evaluations is
  'A participant''s evaluation of a session, one per (session_id, evaluator_profile_id). Each evaluator reads only their own; the host gets only the anonymised session_feedback_summary of those shared with them.';
comment on column public.session_evaluations.share_with_host is
  'If true, the ratings and texts count in the host''s anonymised session_feedback_summary (only once at least 3 participants shared).';

create index idx_session_evaluations_evaluator on public.session_evaluations (evaluator_profile_id);


-- Privileges -------------------------------------------------------------------------------------
-- Replace Supabase's default "all to anon, authenticated" by what each role may do: anon nothing,
-- authenticated SELECT and exactly the writable columns. RLS then picks the rows.

revoke all on public.sessions, public.session_participants, public.session_messages,
  public.session_files, public.growth_insights, public.achievements, public.session_evaluations
  from anon, authenticated;
grant all on public.sessions, public.session_participants, public.session_messages,
  public.session_files, public.growth_insights, public.achievements, public.session_evaluations
  to service_role;

grant select on public.sessions, public.session_participants, public.session_messages,
  public.session_files, public.growth_insights, public.achievements, public.session_evaluations
  to authenticated;

grant insert (id, host_id, title, description_context, session_type, status, scheduled_start_time,
              actual_start_time, actual_end_time, goals, rules)
  on public.sessions to authenticated;
grant update (title, description_context, session_type, status, scheduled_start_time,
              actual_start_time, actual_end_time, goals, rules)
  on public.sessions to authenticated;

grant insert (session_id, profile_id, role) on public.session_participants to authenticated;
grant update (invitation_status, joined_at, perspective_text, signed_off_summary, sign_off_timestamp)
  on public.session_participants to authenticated;
grant delete on public.session_participants to authenticated;

grant insert (session_id, session_participant_id, profile_id, message_type, content)
  on public.session_messages to authenticated;
grant update (content) on public.session_messages to authenticated;

grant insert (id, session_id, uploader_profile_id, file_name, storage_path, file_type, file_size, description)
  on public.session_files to authenticated;
grant delete on public.session_files to authenticated;

grant update (viewed_at) on public.growth_insights to authenticated;
grant update (viewed_at) on public.achievements to authenticated;

grant insert (session_id, evaluator_profile_id, rating_overall_satisfaction, rating_clarity_goals,
              rating_fairness_balance, rating_alex_helpfulness, feedback_worked_well,
              feedback_could_improve, feedback_alex_specific, share_with_host)
  on public.session_evaluations to authenticated;


-- Policies ---------------------------------------------------------------------------------------

alter table public.sessions enable row level security;
alter table public.session_participants enable row level security;
alter table public.session_messages enable row level security;
alter table public.session_files enable row level security;
alter table public.growth_insights enable row level security;
alter table public.achievements enable row level security;
alter table public.session_evaluations enable row level security;

-- sessions
-- The host, accepted participants and pending invitees read the session. (host_id = self also
-- lets the creator read the row back in the INSERT ... RETURNING, before the host row exists.)
create policy "Members and invitees can view their sessions" on public.sessions
  for select to authenticated
  using (
    host_id = (select auth.uid())
    or id = any (array(select convo.my_session_ids()))
    or id = any (array(select convo.my_invited_session_ids()))
  );
-- A user creates sessions with themselves as the host only.
create policy "Users can create sessions they host" on public.sessions
  for insert to authenticated
  with check (host_id = (select auth.uid()));
-- Only the host updates the session, and cannot hand it to someone else.
create policy "Hosts can update their sessions" on public.sessions
  for update to authenticated
  using (host_id = (select auth.uid()))
  with check (host_id = (select auth.uid()));

-- session_participants
-- Accepted participants (host included) see the session's participant list; everyone sees their own row.
create policy "Members can view the participants of their sessions" on public.session_participants
  for select to authenticated
  using (
    profile_id = (select auth.uid())
    or session_id = any (array(select convo.my_session_ids()))
  );
-- The host invites people into their session, never as a second host.
create policy "Hosts can invite participants" on public.session_participants
  for insert to authenticated
  with check (
    session_id = any (array(select convo.my_hosted_session_ids()))
    and role <> 'host'
  );
-- A user answers their own invitation (status, joined_at, perspective, sign-off: column grants).
create policy "Participants can update their own participation" on public.session_participants
  for update to authenticated
  using (profile_id = (select auth.uid()))
  with check (profile_id = (select auth.uid()));
-- The host removes participants from their session, but not their own host row.
create policy "Hosts can remove participants" on public.session_participants
  for delete to authenticated
  using (
    session_id = any (array(select convo.my_hosted_session_ids()))
    and role <> 'host'
  );

-- session_messages
-- Accepted participants read the session's messages.
create policy "Participants can view the messages of their sessions" on public.session_messages
  for select to authenticated
  using (session_id = any (array(select convo.my_session_ids())));
-- An accepted host/participant posts as themselves, through their own participant row, while the session is in progress.
create policy "Participants can post in their sessions in progress" on public.session_messages
  for insert to authenticated
  with check (
    profile_id = (select auth.uid())
    and exists (
      select from public.session_participants sp
      join public.sessions s on s.id = sp.session_id
      where sp.id = session_messages.session_participant_id
        and sp.session_id = session_messages.session_id
        and sp.profile_id = (select auth.uid())
        and sp.invitation_status = 'accepted'
        and sp.role in ('host', 'participant')
        and s.status = 'in_progress'
        and (session_messages.message_type in ('speech_transcript', 'user_typed_message')
             or (session_messages.message_type = 'poll_created' and sp.role = 'host'))
    )
  );
-- The author corrects their own message's content while still a participant of the session.
create policy "Authors can edit their own messages" on public.session_messages
  for update to authenticated
  using (
    profile_id = (select auth.uid())
    and session_id = any (array(select convo.my_session_ids()))
  )
  with check (profile_id = (select auth.uid()));

-- session_files
-- Accepted participants read the session's files.
create policy "Participants can view the files of their sessions" on public.session_files
  for select to authenticated
  using (session_id = any (array(select convo.my_session_ids())));
-- The host uploads; a participant uploads their own when the session type allows it.
create policy "Hosts and allowed participants can upload files" on public.session_files
  for insert to authenticated
  with check (
    uploader_profile_id = (select auth.uid())
    and (
      session_id = any (array(select convo.my_hosted_session_ids()))
      or exists (
        select from public.session_participants sp
        join public.sessions s on s.id = sp.session_id
        where sp.session_id = session_files.session_id
          and sp.profile_id = (select auth.uid())
          and sp.invitation_status = 'accepted'
          and sp.role = 'participant'
          and convo.session_type_allows_participant_uploads(s.session_type)
      )
    )
  );
-- The host deletes the session's files.
create policy "Hosts can delete files of their sessions" on public.session_files
  for delete to authenticated
  using (session_id = any (array(select convo.my_hosted_session_ids())));

-- growth_insights
-- The owner reads their own insights.
create policy "Users can view their own growth insights" on public.growth_insights
  for select to authenticated
  using (profile_id = (select auth.uid()));
-- The owner marks their own insights viewed (viewed_at only: column grant).
create policy "Users can mark their own growth insights viewed" on public.growth_insights
  for update to authenticated
  using (profile_id = (select auth.uid()))
  with check (profile_id = (select auth.uid()));

-- achievements
-- The owner reads their own achievements.
create policy "Users can view their own achievements" on public.achievements
  for select to authenticated
  using (profile_id = (select auth.uid()));
-- The owner marks their own achievements viewed (viewed_at only: column grant).
create policy "Users can mark their own achievements viewed" on public.achievements
  for update to authenticated
  using (profile_id = (select auth.uid()))
  with check (profile_id = (select auth.uid()));

-- session_evaluations
-- An evaluator reads only their own evaluations (the host gets the anonymised summary instead).
create policy "Evaluators can view their own evaluations" on public.session_evaluations
  for select to authenticated
  using (evaluator_profile_id = (select auth.uid()));
-- An accepted participant other than the host evaluates a session, as themselves (once: unique key).
create policy "Participants can evaluate their sessions" on public.session_evaluations
  for insert to authenticated
  with check (
    evaluator_profile_id = (select auth.uid())
    and exists (
      select from public.session_participants sp
      where sp.session_id = session_evaluations.session_id
        and sp.profile_id = (select auth.uid())
        and sp.invitation_status = 'accepted'
        and sp.role <> 'host'
    )
  );


-- Realtime ---------------------------------------------------------------------------------------
-- Live transcripts and participant status (seed 3.4). RLS decides who receives which row.
-- Guarded: adding a table twice is an error, and a FOR ALL TABLES publication has it already.
do $realtime$
declare
  t text;
begin
  if exists (select from pg_publication where pubname = 'supabase_realtime' and not puballtables) then
    foreach t in array array['session_messages', 'session_participants'] loop
      if not exists (select from pg_publication_tables
                     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
        execute format('alter publication supabase_realtime add table public.%I', t);
      end if;
    end loop;
  end if;
end
$realtime$;


-- Peers' public profile cards --------------------------------------------------------------------
-- Messages show their author's name and avatar: the seed's embed `profiles (id, full_name,
-- avatar_url)` on session_messages. profiles' RLS is row-level and shows a user only their own
-- row, and a policy letting peers select profiles rows would expose ALL their columns (email,
-- personality). Instead:
--   * public.profile_cards: a security_invoker view of only the public fields (through profiles'
--     RLS as usual: queried directly it shows the caller's own card; service_role all);
--   * convo.peer_profile_card(id): SECURITY DEFINER, answers with the card of a person the caller
--     shares a session with (both accepted participants: the rule of convo.my_session_peer_ids())
--     and nothing for anyone else;
--   * public.profiles(session_messages) and public.profiles(session_participants): PostgREST
--     computed relationships named `profiles`, which override the foreign-key relationship of
--     the same name. So `select=...,profiles(id,full_name,avatar_url)` returns the author's card
--     when it is the caller's or a peer's (null otherwise), and `profiles(*)` can only ever yield
--     the three public columns. GET /profiles itself is unchanged: own row only.

create view public.profile_cards
with (security_invoker = true)
as
select p.id, p.full_name, p.avatar_url
from public.profiles p;

comment on view public.profile_cards is
  'The public fields of a profile (id, full_name, avatar_url). Read directly it shows only your own card; peers'' cards come through the profiles embed of session_messages and session_participants.';

revoke all on public.profile_cards from anon, authenticated, service_role;
grant select on public.profile_cards to authenticated, service_role;

create function convo.peer_profile_card(p_profile_id uuid)
returns setof public.profile_cards
language plpgsql
stable
security definer
set search_path = ''
rows 1
as $$
-- PL/pgSQL, not SQL: it is called once per embedded row from inside another (non-inlined)
-- function, where a SQL function would be parsed and planned again on every call (~5x slower);
-- PL/pgSQL keeps its plan for the session.
begin
  -- Same rule as convo.my_session_peer_ids(), asked about one person (an index lookup per row
  -- instead of the caller's whole peer list per row).
  return query
    select p.id, p.full_name, p.avatar_url
    from public.profiles p
    where p.id = p_profile_id
      and p.id <> (select auth.uid())
      and exists (
        select from public.session_participants me
        join public.session_participants other on other.session_id = me.session_id
        where me.profile_id = (select auth.uid()) and me.invitation_status = 'accepted'
          and other.profile_id = p_profile_id and other.invitation_status = 'accepted');
end
$$;
comment on function convo.peer_profile_card(uuid) is
  'The public card (id, full_name, avatar_url) of p_profile_id if the caller shares a session with them (both accepted participants); no row otherwise, and none for the caller themselves.';
revoke execute on function convo.peer_profile_card(uuid) from public;
grant execute on function convo.peer_profile_card(uuid) to authenticated, service_role;

-- The caller's own card (or, for service_role, anyone's) through RLS; else a peer's; else none.
create function public.profiles(public.session_messages)
returns setof public.profile_cards
language sql
stable
security invoker
set search_path = ''
rows 1
as $$
  select c.id, c.full_name, c.avatar_url from public.profile_cards c where c.id = $1.profile_id
  union all
  select * from convo.peer_profile_card($1.profile_id)
  limit 1
$$;
comment on function public.profiles(public.session_messages) is
  'Computed relationship: the embed profiles(id, full_name, avatar_url) of a session message is its author''s public card, if the author is you or shares a session with you.';

create function public.profiles(public.session_participants)
returns setof public.profile_cards
language sql
stable
security invoker
set search_path = ''
rows 1
as $$
  select c.id, c.full_name, c.avatar_url from public.profile_cards c where c.id = $1.profile_id
  union all
  select * from convo.peer_profile_card($1.profile_id)
  limit 1
$$;
comment on function public.profiles(public.session_participants) is
  'Computed relationship: the embed profiles(id, full_name, avatar_url) of a participant row is that person''s public card, if it is you or someone who shares a session with you.';

revoke execute on function public.profiles(public.session_messages), public.profiles(public.session_participants)
  from public, anon;
grant execute on function public.profiles(public.session_messages), public.profiles(public.session_participants)
  to authenticated, service_role;


-- session_feedback_summary -----------------------------------------------------------------------
-- The host's view of the evaluations: anonymised, and only once enough participants shared.
-- It reads other people's evaluations, so the worker is SECURITY DEFINER (in convo, not exposed,
-- every name qualified); the public wrapper runs as the caller.

create function convo.session_feedback_summary(p_session_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  min_shared constant integer := 3;
  v_host uuid;
  v_shared integer;
  v_result jsonb;
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  select s.host_id into v_host from public.sessions s where s.id = p_session_id;
  if not found then
    raise exception 'session % not found', p_session_id using errcode = 'PT404';
  end if;
  if v_host is distinct from (select auth.uid()) then
    raise exception 'only the host of session % may read its feedback summary', p_session_id
      using errcode = '42501';
  end if;

  -- Only evaluations shared with the host, and never the host's own.
  select count(*)::integer,
         jsonb_build_object(
           'session_id', p_session_id,
           'min_shared', min_shared,
           'shared_count', count(*),
           'revealed', count(*) >= min_shared,
           -- each average needs min_shared answers of its own (a rating only one person gave
           -- would otherwise be that person's rating)
           'avg_overall_satisfaction', case when count(*) >= min_shared and count(e.rating_overall_satisfaction) >= min_shared
                                            then round(avg(e.rating_overall_satisfaction), 2) end,
           'avg_clarity_goals', case when count(*) >= min_shared and count(e.rating_clarity_goals) >= min_shared
                                     then round(avg(e.rating_clarity_goals), 2) end,
           'avg_fairness_balance', case when count(*) >= min_shared and count(e.rating_fairness_balance) >= min_shared
                                        then round(avg(e.rating_fairness_balance), 2) end,
           'avg_alex_helpfulness', case when count(*) >= min_shared and count(e.rating_alex_helpfulness) >= min_shared
                                        then round(avg(e.rating_alex_helpfulness), 2) end,
           -- free texts, each list sorted alphabetically (not in submission order) and the three
           -- lists independent of each other: no text can be linked to a person or to another text
           'feedback_worked_well', case when count(*) >= min_shared then coalesce(
               jsonb_agg(btrim(e.feedback_worked_well) order by btrim(e.feedback_worked_well) collate "C")
                 filter (where btrim(e.feedback_worked_well) <> ''), '[]'::jsonb) end,
           'feedback_could_improve', case when count(*) >= min_shared then coalesce(
               jsonb_agg(btrim(e.feedback_could_improve) order by btrim(e.feedback_could_improve) collate "C")
                 filter (where btrim(e.feedback_could_improve) <> ''), '[]'::jsonb) end,
           'feedback_alex_specific', case when count(*) >= min_shared then coalesce(
               jsonb_agg(btrim(e.feedback_alex_specific) order by btrim(e.feedback_alex_specific) collate "C")
                 filter (where btrim(e.feedback_alex_specific) <> ''), '[]'::jsonb) end)
  into v_shared, v_result
  from public.session_evaluations e
  where e.session_id = p_session_id
    and e.share_with_host
    and e.evaluator_profile_id <> v_host;

  return v_result;
end
$$;
comment on function convo.session_feedback_summary(uuid) is
  'Worker of public.session_feedback_summary: the anonymised summary of the evaluations shared with the host. SECURITY DEFINER; answers the session''s host only.';
revoke execute on function convo.session_feedback_summary(uuid) from public;
grant execute on function convo.session_feedback_summary(uuid) to authenticated;

create function public.session_feedback_summary(p_session_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select convo.session_feedback_summary(p_session_id)
$$;

comment on function public.session_feedback_summary(uuid) is
  'For the host of session p_session_id: the anonymised feedback of the evaluations participants chose to share with the host (share_with_host), as {session_id, min_shared: 3, shared_count, revealed, avg_overall_satisfaction, avg_clarity_goals, avg_fairness_balance, avg_alex_helpfulness, feedback_worked_well, feedback_could_improve, feedback_alex_specific}. Nothing is revealed until at least 3 participants shared: below that, revealed is false and the averages and texts are null. Each average also needs 3 answers of its own. Texts are sorted alphabetically, never in submission order, and never linked to each other or to ratings. Not the host: 42501 (HTTP 403). Unknown session: PT404 (HTTP 404). STABLE: callable with GET.';

revoke execute on function public.session_feedback_summary(uuid) from public, anon, service_role;
grant execute on function public.session_feedback_summary(uuid) to authenticated;
