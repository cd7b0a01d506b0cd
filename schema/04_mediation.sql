-- Mediated sessions (domain 04): the Understand.me schema — sessions, their participants and
-- email invitations, messages, files, evaluations, and each user's growth insights and
-- achievements — with its row level security, the host's anonymised feedback summary, and the
-- peers' public profile cards. The schema as it stands; the steps to it are the migrations of
-- domain number 04 and the session_messages part of the tokens migration. (profiles, and the
-- profile upsert Understand.me makes, are in 01_chat.sql.)
--
-- Source: the seed app Understand.me, sections 3.1–3.5.
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
--
-- Throughout: no error message contains caller text (values go to DETAIL, or nowhere); every text
-- / jsonb column has a length bound (<table>_<column>_length_check), the backend-written ones too
-- (the service role is a path); enumerated columns (status, role, message_type …) are bounded by
-- their value checks already. Server-maintained columns (sessions.created_at,
-- session_messages.timestamp / is_edited, session_files.uploaded_at, growth_insights.generated_at,
-- achievements.achieved_at, session_evaluations.submitted_at) are outside the API roles' column
-- privileges; joined_at and sign_off_timestamp are kept by a trigger.

-- Each table's privileges replace Supabase's default "all to anon, authenticated" by what each role
-- may do: anon nothing, authenticated SELECT and exactly the writable columns. RLS then picks the rows.

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
  constraint sessions_rules_check check (rules is null or jsonb_typeof(rules) = 'array'),
  constraint sessions_title_length_check check (char_length(title) <= 200),
  constraint sessions_description_context_length_check check (char_length(description_context) <= 10000),
  constraint sessions_session_type_length_check check (char_length(session_type) <= 64),
  constraint sessions_goals_length_check check (octet_length(goals::text) <= 16384),
  constraint sessions_rules_length_check check (octet_length(rules::text) <= 16384),
  constraint sessions_ai_synthesis_summary_length_check check (char_length(ai_synthesis_summary) <= 50000),
  constraint sessions_final_summary_pdf_url_length_check check (char_length(final_summary_pdf_url) <= 2048)
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

revoke all on public.sessions from anon, authenticated;
grant all on public.sessions to service_role;
grant select on public.sessions to authenticated;
-- Ids are the server's to choose (gen_random_uuid()): a client-chosen id that exists would answer
-- 409, an existence oracle (the seed's createSession never sends one), so sending one is 42501.
grant insert (host_id, title, description_context, session_type, status, scheduled_start_time,
              actual_start_time, actual_end_time, goals, rules)
  on public.sessions to authenticated;
grant update (title, description_context, session_type, status, scheduled_start_time,
              actual_start_time, actual_end_time, goals, rules)
  on public.sessions to authenticated;

alter table public.sessions enable row level security;

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
  -- the email invitation this row came from (its foreign key is added with session_invitations)
  invitation_id uuid,
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
  constraint session_participants_host_accepted_check check (role <> 'host' or invitation_status = 'accepted'),
  constraint session_participants_perspective_text_length_check check (char_length(perspective_text) <= 10000)
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
  if new.invitation_status = 'accepted' then
    if tg_op = 'INSERT' then
      new.joined_at := coalesce(new.joined_at, now());
    elsif old.invitation_status <> 'accepted' then
      new.joined_at := now();
    end if;
  end if;
  return new;
end
$$;
comment on function convo.session_participants_stamp() is
  'BEFORE INSERT OR UPDATE on public.session_participants: maintains sign_off_timestamp from signed_off_summary; sets joined_at to now() whenever an invitation is accepted.';
revoke execute on function convo.session_participants_stamp() from public;

create trigger session_participants_stamp
  before insert or update on public.session_participants
  for each row execute function convo.session_participants_stamp();

-- The answer rule (see the update policy below): the invitee's answers and the host's renewal.
create function convo.session_participants_guard_answer()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.profile_id = auth.uid() then
    if old.invitation_status = 'declined' then
      raise exception 'a declined invitation is final: it cannot be changed'
        using errcode = '42501', hint = 'The host can invite you again.';
    end if;
    if new.invitation_status is distinct from old.invitation_status
       and not ((old.invitation_status = 'pending' and new.invitation_status in ('accepted', 'declined'))
                or (old.invitation_status = 'accepted' and new.invitation_status = 'declined')) then
      raise exception 'an invitation can only be accepted or declined, and a joined session left by declining'
        using errcode = '42501';
    end if;
  elsif not (old.invitation_status = 'declined' and new.invitation_status = 'pending')
        or (new.perspective_text, new.signed_off_summary)
           is distinct from (old.perspective_text, old.signed_off_summary) then
    raise exception 'the host can only invite a declined participant again (invitation_status pending)'
      using errcode = '42501';
  end if;
  return new;
end
$$;
comment on function convo.session_participants_guard_answer() is
  'BEFORE UPDATE on public.session_participants by an API role: the invitee''s answers (pending → accepted | declined, accepted → declined; a declined row is frozen) and the host''s renewal (declined → pending, nothing else).';
revoke execute on function convo.session_participants_guard_answer() from public;

create trigger session_participants_guard_answer
  before update on public.session_participants
  for each row when (current_user in ('anon', 'authenticated'))
  execute function convo.session_participants_guard_answer();

-- joined_at and sign_off_timestamp are the server's: whatever a client sends (the seed's PATCH
-- may send them) is replaced by the old value, then session_participants_stamp sets them
-- (joined_at: now() at every acceptance; sign_off_timestamp: now() at sign-off).
select convo.install_keep_server_columns('public.session_participants', array['joined_at', 'sign_off_timestamp']);

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

revoke all on public.session_participants from anon, authenticated;
grant all on public.session_participants to service_role;
grant select on public.session_participants to authenticated;
grant insert (session_id, profile_id, role) on public.session_participants to authenticated;
grant update (invitation_status, joined_at, perspective_text, signed_off_summary, sign_off_timestamp)
  on public.session_participants to authenticated;
grant delete on public.session_participants to authenticated;

alter table public.session_participants enable row level security;

-- Accepted participants (host included) see the session's participant list; everyone sees their own row.
-- A row from an email invitation is seen by others only once it is accepted.
create policy "Members can view the participants of their sessions" on public.session_participants
  for select to authenticated
  using (
    profile_id = (select auth.uid())
    or (session_id = any (array(select convo.my_session_ids()))
        and (invitation_id is null or invitation_status = 'accepted'))
  );
-- The host invites people into their session, never as a second host.
create policy "Hosts can invite participants" on public.session_participants
  for insert to authenticated
  with check (
    session_id = any (array(select convo.my_hosted_session_ids()))
    and role <> 'host'
  );
-- The answer rule: the invitee goes pending → accepted, pending → declined, or
-- accepted → declined (leaving). Declining is final until the host invites again: a declined
-- invitee changes nothing of their row any more (not its status, perspective or sign-off). The host renews a declined invitation by
-- profile id with PATCH {invitation_status: 'pending'} on that row (and an email invitation with
-- invite_to_session), and changes nothing else of someone else's row.
create policy "Participants answer their invitations, hosts renew declined ones" on public.session_participants
  for update to authenticated
  using (
    profile_id = (select auth.uid())
    or (session_id = any (array(select convo.my_hosted_session_ids()))
        and role <> 'host' and invitation_id is null and invitation_status = 'declined')
  )
  with check (
    profile_id = (select auth.uid())
    or (session_id = any (array(select convo.my_hosted_session_ids()))
        and role <> 'host' and invitation_id is null)
  );
-- The host removes participants from their session, but not their own host row; visible ones only
-- (a hidden row goes by revoking its invitation).
create policy "Hosts can remove participants" on public.session_participants
  for delete to authenticated
  using (
    session_id = any (array(select convo.my_hosted_session_ids()))
    and role <> 'host'
    and (invitation_id is null or invitation_status = 'accepted')
  );


-- session_invitations -------------------------------------------------------------------------------
-- The host invites an address. If it belongs to a user, that user at once gets a pending
-- participant row (they see the session and answer with the usual PATCH of their row); if not, the
-- invitation waits and is attached when the address signs up, or when a user's email changes to it.
--
-- The host must never learn whether an address has an account, so:
--   * invite_to_session answers the same (the invitation id) either way;
--   * a participant row created from an email invitation carries its invitation_id and is visible
--     only to the invitee until it is accepted: the host sees the invitation (address, role,
--     status), never a profile id, and learns nothing before the invitee answers;
--   * the invitation's status follows the invitee's answer (accepted / declined), which is the
--     invitee's own choice to reveal;
--   * a host who invites by profile id someone who already holds a hidden row of that session
--     (possible only if the host knows that id from elsewhere) gets exactly the answer they would
--     get otherwise: the hidden row is replaced by the new one and the email invitation stays as
--     it was (see convo.session_participants_release_hidden_row).
--   * convo.my_session_ids(), my_session_peer_ids() and peer_profile_card() count accepted rows
--     only, and my_invited_session_ids() answers only about the caller: a hidden (never accepted)
--     row reaches nobody through them.

create table public.session_invitations (
  id uuid not null default gen_random_uuid(),
  session_id uuid not null,
  -- stored normalised (trimmed, lower case): one invitation per address and session
  email text not null,
  role text not null default 'participant',
  status text not null default 'pending',
  invited_by uuid,
  created_at timestamptz not null default now(),
  responded_at timestamptz,
  constraint session_invitations_pkey primary key (id),
  constraint session_invitations_session_id_fkey foreign key (session_id)
    references public.sessions (id) on delete cascade,
  constraint session_invitations_invited_by_fkey foreign key (invited_by)
    references public.profiles (id) on delete set null,
  constraint session_invitations_session_id_email_key unique (session_id, email),
  constraint session_invitations_role_check check (role in ('participant', 'observer')),
  constraint session_invitations_status_check check (status in ('pending', 'accepted', 'declined', 'revoked')),
  -- RFC 5321: an address is at most 320 characters (64 local part + @ + 255 domain)
  constraint session_invitations_email_length_check check (char_length(email) <= 320),
  constraint session_invitations_email_check check (
    email = lower(btrim(email))
    and email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$')
);

comment on table public.session_invitations is
  'Invitations to a session by email address, made with rpc/invite_to_session. The host sees the invitations of their sessions (address, role, status; never whether the address has an account); the invitee sees those addressed to their email and answers by updating their session_participants row. The host may revoke a pending or declined one (status = revoked).';
comment on column public.session_invitations.email is 'The invited address, trimmed and lower-cased.';
comment on column public.session_invitations.status is
  'pending | accepted | declined | revoked. Follows the invitee''s answer on their participant row; revoked by the host (or when the host removes the participant who accepted).';
comment on column public.session_invitations.responded_at is 'When the invitee last answered (accepted or declined).';

create index idx_session_invitations_email on public.session_invitations (email);
create index idx_session_invitations_invited_by on public.session_invitations (invited_by);

-- The participant row an email invitation created. ON DELETE CASCADE: an invitation deleted (by
-- the service role, or with its session) takes its participant row along, never leaving a
-- formerly hidden row visible.
alter table public.session_participants
  add constraint session_participants_invitation_id_fkey foreign key (invitation_id)
    references public.session_invitations (id) on delete cascade;
create index idx_session_participants_invitation on public.session_participants (invitation_id);
comment on column public.session_participants.invitation_id is
  'The email invitation this row came from (null for invitations by profile id). Such a row is visible only to the invitee until accepted.';

-- The caller's own address (auth.users is not readable by API roles), once it is confirmed: where
-- Supabase Auth asks new users to confirm their email, auth.users gets the row (email set,
-- email_confirmed_at null) at sign-up, so anyone could sign up with someone else's address, never
-- confirm it, and be handed the invitations sent to it. Where confirmation is off, GoTrue sets
-- email_confirmed_at at sign-up.
create function convo.my_email()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select lower(btrim(u.email)) from auth.users u
  where u.id = auth.uid() and u.email_confirmed_at is not null
$$;
comment on function convo.my_email() is
  'The caller''s confirmed email address (auth.users.email, trimmed and lower-cased); null without one, or until auth.users.email_confirmed_at is set.';
revoke execute on function convo.my_email() from public;
grant execute on function convo.my_email() to authenticated, service_role;

-- Gives the addressee of a pending invitation, if the address belongs to a user, their pending
-- participant row (or makes their declined row of this invitation pending again). Rows that did
-- not come from this invitation (e.g. an invitation by profile id) are left alone.
create function convo.attach_session_invitation(p_invitation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.session_participants (session_id, profile_id, role, invitation_status, invitation_id)
  select i.session_id, p.id, i.role, 'pending', i.id
  from public.session_invitations i
  join public.profiles p on lower(p.email) = i.email
  join auth.users u on u.id = p.id and u.email_confirmed_at is not null
  where i.id = p_invitation_id and i.status = 'pending'
  on conflict (session_id, profile_id) do update
    set invitation_status = 'pending', role = excluded.role
    where public.session_participants.invitation_id = excluded.invitation_id
      and public.session_participants.invitation_status <> 'accepted';
end
$$;
comment on function convo.attach_session_invitation(uuid) is
  'Gives the user whose confirmed email is the invitation''s address (if any) a pending participant row linked to the invitation.';
revoke execute on function convo.attach_session_invitation(uuid) from public;

-- Sign-up, an email change, and confirming the address: the pending invitations of that address
-- are attached (to a confirmed address only: see convo.attach_session_invitation). These fire
-- after on_auth_user_created / on_auth_user_email_changed (triggers fire in name order), so the
-- profile and its email are already there.
create function convo.attach_invitations_of_new_email()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform convo.attach_session_invitation(i.id)
  from public.session_invitations i
  where i.email = lower(btrim(new.email)) and i.status = 'pending';
  return null;
end
$$;
comment on function convo.attach_invitations_of_new_email() is
  'AFTER INSERT, UPDATE OF email and UPDATE OF email_confirmed_at on auth.users: attaches the pending session invitations addressed to the user''s (new) email, once that address is confirmed.';
revoke execute on function convo.attach_invitations_of_new_email() from public;

create trigger on_auth_user_created_attach_invitations
  after insert on auth.users
  for each row when (new.email is not null)
  execute function convo.attach_invitations_of_new_email();
create trigger on_auth_user_email_changed_attach_invitations
  after update of email on auth.users
  for each row when (new.email is not null and old.email is distinct from new.email)
  execute function convo.attach_invitations_of_new_email();
-- Confirming the address attaches what was sent to it (sign-up and email changes already fire
-- convo.attach_invitations_of_new_email; for a user not yet confirmed it now attaches nothing).
create trigger on_auth_user_email_confirmed_attach_invitations
  after update of email_confirmed_at on auth.users
  for each row when (new.email is not null and old.email_confirmed_at is null
                     and new.email_confirmed_at is not null)
  execute function convo.attach_invitations_of_new_email();

-- The invitation follows the invitee's answer.
create function convo.session_participants_answer_invitation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.session_invitations
  set status = new.invitation_status,
      responded_at = case when new.invitation_status = 'pending' then null else now() end
  where id = new.invitation_id and status <> 'revoked';
  return null;
end
$$;
comment on function convo.session_participants_answer_invitation() is
  'AFTER UPDATE OF invitation_status on public.session_participants (rows from an email invitation): the invitation''s status follows.';
revoke execute on function convo.session_participants_answer_invitation() from public;

create trigger session_participants_answer_invitation
  after update of invitation_status on public.session_participants
  for each row when (new.invitation_id is not null and old.invitation_status is distinct from new.invitation_status)
  execute function convo.session_participants_answer_invitation();

-- The host removed a participant who had accepted an email invitation: the invitation is revoked
-- (a later invite_to_session of that address makes it pending again). Rows that were never
-- accepted are removed only by revoking (below) or by the release trigger, which must not show.
create function convo.session_participants_revoke_invitation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.session_invitations set status = 'revoked' where id = old.invitation_id;
  return null;
end
$$;
comment on function convo.session_participants_revoke_invitation() is
  'AFTER DELETE on public.session_participants of an accepted row from an email invitation: the invitation becomes revoked.';
revoke execute on function convo.session_participants_revoke_invitation() from public;

create trigger session_participants_revoke_invitation
  after delete on public.session_participants
  for each row when (old.invitation_id is not null and old.invitation_status = 'accepted')
  execute function convo.session_participants_revoke_invitation();

-- A host inserting (session, profile) by id where that profile holds a hidden row of the session
-- (from an email invitation, not accepted): the unique key would answer 409 and tell the host
-- that the address they invited is this person's. The hidden row is removed first (its email
-- invitation keeps its status), so the insert answers exactly as for anyone else. Only for the
-- session's host: anyone else's insert is refused by RLS anyway (and rolled back with this).
create function convo.session_participants_release_hidden_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select from public.sessions s where s.id = new.session_id and s.host_id = auth.uid()) then
    delete from public.session_participants sp
    where sp.session_id = new.session_id and sp.profile_id = new.profile_id
      and sp.invitation_id is not null and sp.invitation_status <> 'accepted';
  end if;
  return new;
end
$$;
comment on function convo.session_participants_release_hidden_row() is
  'BEFORE INSERT on public.session_participants by an API role: a host''s invitation by profile id replaces that person''s hidden (email-invited, not accepted) row of the session, so the host gets the same answer as for anyone.';
revoke execute on function convo.session_participants_release_hidden_row() from public;

create trigger session_participants_release_hidden_row
  before insert on public.session_participants
  for each row when (current_user in ('anon', 'authenticated'))
  execute function convo.session_participants_release_hidden_row();

-- Revoking: the host sets status = 'revoked' on a pending or declined invitation; the invitee's
-- row from it (not accepted: an accepted participant is removed by deleting their row) goes.
create function convo.session_invitations_guard_revoke()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status not in ('pending', 'declined', 'revoked') then
    raise exception 'only a pending or declined invitation can be revoked'
      using errcode = '22023',
            hint = 'To remove a participant who accepted, delete their session_participants row.';
  end if;
  return new;
end
$$;
comment on function convo.session_invitations_guard_revoke() is
  'BEFORE UPDATE on public.session_invitations by an API role: only pending or declined invitations are revoked.';
revoke execute on function convo.session_invitations_guard_revoke() from public;

create trigger session_invitations_guard_revoke
  before update on public.session_invitations
  for each row when (current_user in ('anon', 'authenticated'))
  execute function convo.session_invitations_guard_revoke();

create function convo.session_invitations_revoked()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.session_participants sp
  where sp.invitation_id = new.id and sp.invitation_status <> 'accepted';
  return null;
end
$$;
comment on function convo.session_invitations_revoked() is
  'AFTER UPDATE OF status on public.session_invitations to revoked: removes the invitee''s participant row from it (if not accepted).';
revoke execute on function convo.session_invitations_revoked() from public;

create trigger session_invitations_revoked
  after update of status on public.session_invitations
  for each row when (new.status = 'revoked' and old.status <> 'revoked')
  execute function convo.session_invitations_revoked();

-- Privileges: the host and the invitee read; the host writes only status (to revoke). Invitations
-- are created only by rpc/invite_to_session. anon: nothing.
revoke all on public.session_invitations from anon, authenticated;
grant all on public.session_invitations to service_role;
grant select on public.session_invitations to authenticated;
grant update (status) on public.session_invitations to authenticated;

alter table public.session_invitations enable row level security;

-- The host reads the invitations of their sessions; the invitee those addressed to them.
create policy "Hosts and invitees can view invitations" on public.session_invitations
  for select to authenticated
  using (
    session_id = any (array(select convo.my_hosted_session_ids()))
    or email = (select convo.my_email())
  );
-- The host revokes an invitation of their session.
create policy "Hosts can revoke invitations" on public.session_invitations
  for update to authenticated
  using (session_id = any (array(select convo.my_hosted_session_ids())))
  with check (session_id = any (array(select convo.my_hosted_session_ids())) and status = 'revoked');


-- rpc/invite_to_session --------------------------------------------------------------------------------
-- The worker is SECURITY DEFINER (it reads profiles' emails and writes the invitee's row); the
-- public wrapper runs as the caller. Every refusal is a fixed message: no caller text in it.
create function convo.invite_to_session(p_session_id uuid, p_email text, p_role text, p_user_id uuid)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_host uuid := convo.acting_user(p_user_id);
  v_email text := lower(btrim(p_email));
  v_role text := coalesce(p_role, 'participant');
  v_invitation public.session_invitations;
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  if v_email is null or v_email = '' then
    raise exception 'p_email is required' using errcode = '22023';
  end if;
  if char_length(v_email) > 320 then
    raise exception 'p_email is too long (at most 320 characters)' using errcode = '22023';
  end if;
  if v_email !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$' then
    raise exception 'p_email is not an email address' using errcode = '22023',
      hint = 'Pass one address such as name@example.com.';
  end if;
  if v_role not in ('participant', 'observer') then
    raise exception 'p_role must be participant or observer' using errcode = '22023';
  end if;
  -- Someone else's session and no session at all: the same answer.
  if not exists (select from public.sessions s where s.id = p_session_id and s.host_id = v_host) then
    raise exception 'only the host can invite to this session' using errcode = '42501';
  end if;
  if v_email = (select lower(btrim(u.email)) from auth.users u where u.id = v_host) then
    raise exception 'the host is already in the session' using errcode = '22023';
  end if;

  -- Re-inviting an address returns its invitation; a declined or revoked one becomes pending
  -- again (and takes the role now given); an accepted one is left as it is.
  insert into public.session_invitations (session_id, email, role, invited_by)
  values (p_session_id, v_email, v_role, v_host)
  on conflict (session_id, email) do update
    set status = case when public.session_invitations.status = 'accepted' then 'accepted' else 'pending' end,
        role = case when public.session_invitations.status = 'accepted'
                    then public.session_invitations.role else excluded.role end,
        responded_at = case when public.session_invitations.status in ('declined', 'revoked')
                            then null else public.session_invitations.responded_at end,
        invited_by = excluded.invited_by
  returning * into v_invitation;

  if v_invitation.status = 'pending' then
    perform convo.attach_session_invitation(v_invitation.id);
  end if;
  return v_invitation.id;
end
$$;
comment on function convo.invite_to_session(uuid, text, text, uuid) is
  'Worker of public.invite_to_session: creates (or renews) the invitation and attaches it to the address''s user, if any.';
revoke execute on function convo.invite_to_session(uuid, text, text, uuid) from public;
grant execute on function convo.invite_to_session(uuid, text, text, uuid) to authenticated, service_role;

create function public.invite_to_session(
  p_session_id uuid, p_email text, p_role text default 'participant', p_user_id uuid default null)
returns uuid
language sql
volatile
security invoker
set search_path = ''
as $$
  -- the acting user is resolved here (the rule every public per-user RPC follows) and again,
  -- to the same id, by the worker, which trusts no caller
  select convo.invite_to_session(p_session_id, p_email, p_role, convo.acting_user(p_user_id))
$$;
comment on function public.invite_to_session(uuid, text, text, uuid) is
  'The host of session p_session_id invites the address p_email (trimmed, case-insensitive) as p_role (participant | observer); returns the invitation id (table session_invitations). The answer is the same whether or not the address has an account: if it has, that user sees the pending invitation and the session and answers by PATCHing their session_participants row; if not, the invitation is attached when the address signs up. Inviting the same address again returns the same invitation (pending again if it was declined or revoked). Not your session, or no such session: 42501 (HTTP 403), one answer for both. Bad email or role: 22023 (HTTP 400). Service role: pass p_user_id (the host to act for).';
revoke execute on function public.invite_to_session(uuid, text, text, uuid) from public, anon;
grant execute on function public.invite_to_session(uuid, text, text, uuid) to authenticated, service_role;


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
  -- the author: the caller by default (see session_messages_fill_author)
  profile_id uuid default auth.uid(),
  "timestamp" timestamptz not null default now(),
  message_type text not null default 'speech_transcript',
  content text not null,
  sentiment_analysis jsonb,
  is_edited boolean not null default false,
  -- computed by the database from content (OpenAI o200k_base), recomputed when the content is edited
  token_count integer generated always as (convo.count_tokens(content)) stored,
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
    ('speech_transcript', 'user_typed_message', 'alex_guidance', 'poll_created', 'system')),
  constraint session_messages_content_length_check check (char_length(content) <= 20000),
  constraint session_messages_sentiment_analysis_length_check
    check (octet_length(sentiment_analysis::text) <= 16384)
);

comment on table public.session_messages is
  'Messages and transcribed speech of a session, readable by its accepted participants. A participant posts as themselves (profile_id = you, session_participant_id = your participant row) while the session is in_progress; the author may correct content (is_edited becomes true). Embed the author''s public card with profiles(id, full_name, avatar_url).';
comment on column public.session_messages.message_type is
  'speech_transcript | user_typed_message | alex_guidance | poll_created | system. Users post speech_transcript and user_typed_message (the host also poll_created); alex_guidance and system come from the backend.';
comment on column public.session_messages.token_count is
  'Tokens of content in OpenAI''s o200k_base encoding, computed by the database (recomputed when the content is edited).';
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

-- A client posts {session_id, content, message_type} (profile_id optional). For API roles:
-- profile_id defaults to the caller, and session_participant_id is the caller's own row of that
-- session. A profile_id or participant id that is not the caller's is kept as sent, and the insert
-- policy refuses it (42501). Runs as the caller: their own participant row is always readable.
create function convo.session_messages_fill_author()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.profile_id := coalesce(new.profile_id, auth.uid());
  if new.session_participant_id is null and new.profile_id = auth.uid() then
    select sp.id into new.session_participant_id
    from public.session_participants sp
    where sp.session_id = new.session_id and sp.profile_id = new.profile_id;
  end if;
  return new;
end
$$;
comment on function convo.session_messages_fill_author() is
  'BEFORE INSERT on public.session_messages by an API role: profile_id defaults to the caller, session_participant_id to the caller''s participant row of the session.';
revoke execute on function convo.session_messages_fill_author() from public;

create trigger session_messages_fill_author
  before insert on public.session_messages
  for each row when (current_user in ('anon', 'authenticated'))
  execute function convo.session_messages_fill_author();

revoke all on public.session_messages from anon, authenticated;
grant all on public.session_messages to service_role;
grant select on public.session_messages to authenticated;
grant insert (session_id, session_participant_id, profile_id, message_type, content)
  on public.session_messages to authenticated;
grant update (content) on public.session_messages to authenticated;

alter table public.session_messages enable row level security;

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
  -- unique within its session only: a globally unique path would answer "409" for a path in
  -- somebody else's session (an existence oracle)
  constraint session_files_session_id_storage_path_key unique (session_id, storage_path),
  constraint session_files_ipfs_cid_key unique (ipfs_cid),
  constraint session_files_file_size_check check (file_size >= 0),
  constraint session_files_file_name_length_check check (char_length(file_name) <= 255),
  constraint session_files_storage_path_length_check check (char_length(storage_path) <= 1024),
  constraint session_files_ipfs_cid_length_check check (char_length(ipfs_cid) <= 128),
  constraint session_files_file_type_length_check check (char_length(file_type) <= 255),
  constraint session_files_description_length_check check (char_length(description) <= 2000),
  constraint session_files_ai_analysis_snippet_length_check check (char_length(ai_analysis_snippet) <= 10000)
);

comment on table public.session_files is
  'Files of a session (Supabase Storage path, optional IPFS CID). Its accepted participants read them; the host uploads and deletes; participants upload their own when the session type is mediated_discussion or problem_solving.';
comment on column public.session_files.ipfs_cid is 'Set by the backend (service role) after pinning.';
comment on column public.session_files.ai_analysis_snippet is 'Set by the backend (service role).';

create index idx_session_files_session on public.session_files (session_id, uploaded_at);
create index idx_session_files_uploader on public.session_files (uploader_profile_id);
-- The backend's lookup by path (the seed's pin-to-IPFS Edge Function: .eq('storage_path', path)).
create index idx_session_files_storage_path on public.session_files (storage_path);

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

revoke all on public.session_files from anon, authenticated;
grant all on public.session_files to service_role;
grant select on public.session_files to authenticated;
grant insert (session_id, uploader_profile_id, file_name, storage_path, file_type, file_size, description)
  on public.session_files to authenticated;
grant delete on public.session_files to authenticated;

alter table public.session_files enable row level security;

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
    references public.sessions (id) on delete set null,
  constraint growth_insights_insight_type_length_check check (char_length(insight_type) <= 64),
  constraint growth_insights_insight_data_length_check check (octet_length(insight_data::text) <= 65536)
);

comment on table public.growth_insights is
  'Growth insights of a user (e.g. clarity_score, filler_word_frequency, sentiment_trend, conflict_pattern), written by the backend. The owner reads them and may set viewed_at.';

create index idx_growth_insights_profile on public.growth_insights (profile_id, generated_at desc);
create index idx_growth_insights_session on public.growth_insights (session_id);

revoke all on public.growth_insights from anon, authenticated;
grant all on public.growth_insights to service_role;
grant select on public.growth_insights to authenticated;
grant update (viewed_at) on public.growth_insights to authenticated;

alter table public.growth_insights enable row level security;

-- The owner reads their own insights.
create policy "Users can view their own growth insights" on public.growth_insights
  for select to authenticated
  using (profile_id = (select auth.uid()));
-- The owner marks their own insights viewed (viewed_at only: column grant).
create policy "Users can mark their own growth insights viewed" on public.growth_insights
  for update to authenticated
  using (profile_id = (select auth.uid()))
  with check (profile_id = (select auth.uid()));


-- achievements -----------------------------------------------------------------------------------
-- Badges earned, awarded by the backend. viewed_at is not in the seed: pg_convo lets the owner
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
    references public.profiles (id) on delete cascade,
  constraint achievements_badge_id_length_check check (char_length(badge_id) <= 64),
  constraint achievements_details_length_check check (octet_length(details::text) <= 16384)
);

comment on table public.achievements is
  'Badges a user earned (badge_id e.g. clarity_champion_1), awarded by the backend. The owner reads them and may set viewed_at.';
comment on column public.achievements.viewed_at is 'When the owner saw the badge; null while it is new.';

create index idx_achievements_profile on public.achievements (profile_id, achieved_at desc);

revoke all on public.achievements from anon, authenticated;
grant all on public.achievements to service_role;
grant select on public.achievements to authenticated;
grant update (viewed_at) on public.achievements to authenticated;

alter table public.achievements enable row level security;

-- The owner reads their own achievements.
create policy "Users can view their own achievements" on public.achievements
  for select to authenticated
  using (profile_id = (select auth.uid()));
-- The owner marks their own achievements viewed (viewed_at only: column grant).
create policy "Users can mark their own achievements viewed" on public.achievements
  for update to authenticated
  using (profile_id = (select auth.uid()))
  with check (profile_id = (select auth.uid()));


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
  constraint session_evaluations_rating_alex_helpfulness_check check (rating_alex_helpfulness between 1 and 5),
  constraint session_evaluations_feedback_worked_well_length_check check (char_length(feedback_worked_well) <= 5000),
  constraint session_evaluations_feedback_could_improve_length_check check (char_length(feedback_could_improve) <= 5000),
  constraint session_evaluations_feedback_alex_specific_length_check check (char_length(feedback_alex_specific) <= 5000)
);

comment on table public.session_evaluations is
  'A participant''s evaluation of a session, one per (session_id, evaluator_profile_id). Each evaluator reads only their own; the host gets only the anonymised session_feedback_summary of those shared with them.';
comment on column public.session_evaluations.share_with_host is
  'If true, the ratings and texts count in the host''s anonymised session_feedback_summary (only once at least 3 participants shared).';

create index idx_session_evaluations_evaluator on public.session_evaluations (evaluator_profile_id);

revoke all on public.session_evaluations from anon, authenticated;
grant all on public.session_evaluations to service_role;
grant select on public.session_evaluations to authenticated;
grant insert (session_id, evaluator_profile_id, rating_overall_satisfaction, rating_clarity_goals,
              rating_fairness_balance, rating_alex_helpfulness, feedback_worked_well,
              feedback_could_improve, feedback_alex_specific, share_with_host)
  on public.session_evaluations to authenticated;

alter table public.session_evaluations enable row level security;

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

create function convo.session_feedback_summary(p_session_id uuid, p_user_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  min_shared constant integer := 3;
  v_user uuid := convo.acting_user(p_user_id);
  v_result jsonb;
begin
  if p_session_id is null then
    raise exception 'p_session_id is required' using errcode = '22023';
  end if;
  if not exists (select from public.sessions s where s.id = p_session_id and s.host_id = v_user) then
    raise exception 'only the host of a session can read its feedback summary' using errcode = '42501';
  end if;

  -- Only evaluations shared with the host, and never the host's own.
  select jsonb_build_object(
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
  into v_result
  from public.session_evaluations e
  where e.session_id = p_session_id
    and e.share_with_host
    and e.evaluator_profile_id <> v_user;

  return v_result;
end
$$;
comment on function convo.session_feedback_summary(uuid, uuid) is
  'Worker of public.session_feedback_summary: the anonymised summary of the evaluations shared with the host. SECURITY DEFINER; answers the session''s host only.';
revoke execute on function convo.session_feedback_summary(uuid, uuid) from public;
grant execute on function convo.session_feedback_summary(uuid, uuid) to authenticated, service_role;

create function public.session_feedback_summary(p_session_id uuid, p_user_id uuid default null)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select convo.session_feedback_summary(p_session_id, convo.acting_user(p_user_id))
$$;
comment on function public.session_feedback_summary(uuid, uuid) is
  'For the host of session p_session_id: the anonymised feedback of the evaluations participants chose to share with the host (share_with_host), as {session_id, min_shared: 3, shared_count, revealed, avg_overall_satisfaction, avg_clarity_goals, avg_fairness_balance, avg_alex_helpfulness, feedback_worked_well, feedback_could_improve, feedback_alex_specific}. Nothing is revealed until at least 3 participants shared: below that, revealed is false and the averages and texts are null. Each average also needs 3 answers of its own. Texts are sorted alphabetically, never in submission order, and never linked to each other or to ratings. Not the host, or no such session: 42501 (HTTP 403), one answer for both. Service role: pass p_user_id (the host to act for). STABLE: callable with GET.';
revoke execute on function public.session_feedback_summary(uuid, uuid) from public, anon;
grant execute on function public.session_feedback_summary(uuid, uuid) to authenticated, service_role;


-- Explicit nulls take the column defaults --------------------------------------------------------------
select convo.install_fill_column_defaults(t::regclass)
from unnest(array['public.sessions', 'public.session_invitations', 'public.session_participants',
                  'public.session_messages', 'public.session_files', 'public.growth_insights',
                  'public.achievements', 'public.session_evaluations']) t;
