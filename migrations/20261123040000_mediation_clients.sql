-- Mediated sessions, as real clients use them (issue 10) and hardened (issue 11). In this order:
--
--   1. profiles: a signed-in user upserts their own row (Understand.me's
--      `from('profiles').upsert({id, full_name, avatar_url, updated_at})`); id defaults to the caller.
--   2. no existence oracles through client-chosen ids or a globally unique storage path.
--   3. invitations by email (session_invitations, rpc/invite_to_session), without ever telling the
--      host whether an address has an account.
--   4. session_participants: who sees which row; the answer rule (declining is final until the
--      host invites again); joined_at and sign_off_timestamp are the server's.
--   5. session_messages: a participant posts {session_id, content, message_type}; the author and
--      their participant row are filled in by the database.
--   6. session_feedback_summary: one answer for "not yours" and "does not exist"; the acting user.
--   7. a length bound on every text / jsonb column of these tables (<table>_<column>_length_check).
--
-- Throughout: no error message contains caller text (values go to DETAIL, or nowhere), and the
-- other server-maintained columns (sessions.created_at, session_messages.timestamp / is_edited,
-- session_files.uploaded_at, growth_insights.generated_at, achievements.achieved_at,
-- session_evaluations.submitted_at) were already outside the API roles' column privileges.
-- Only this file changes behaviour; the landed mediation migration is left as it was.


-- 1. profiles: the user's own upsert ----------------------------------------------------------------
-- PostgREST turns `.upsert(row)` into INSERT ... ON CONFLICT (id) DO UPDATE SET <every sent column>:
-- it needs an INSERT policy, INSERT and UPDATE privileges on the sent columns (id included: the
-- UPDATE policy's WITH CHECK keeps id = the caller, so the row can never move), and the SELECT
-- policy for the returned row. The profile usually exists already (created at sign-up), so the
-- upsert mostly takes its UPDATE branch.
alter table public.profiles alter column id set default auth.uid();

create policy "Users can create their own profile" on public.profiles
  for insert to authenticated
  with check (id = (select auth.uid()));

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

-- Email invitations find the invitee by address, case-insensitively (see convo.attach_session_invitation).
create index idx_profiles_email_lower on public.profiles (lower(email));


-- 2. Client-chosen ids are existence oracles ---------------------------------------------------------
-- A user could POST a session (or a session file) with the id of someone else's row: a 409 says
-- that the id exists. Ids are the server's to choose (gen_random_uuid()); the seed's createSession
-- never sends one. Sending an id is now refused (42501) whether or not it exists.
revoke insert (id) on public.sessions from authenticated;
revoke insert (id) on public.session_files from authenticated;

-- A globally unique storage_path answered "409" for a path in somebody else's session. The path
-- is unique within its session; another session's paths are not visible and do not collide.
-- (The other unique keys cannot leak: session_participants (session_id, profile_id) and
-- session_invitations (session_id, email) are written only by the session's host, see below for
-- the one case that needed care; session_evaluations (session_id, evaluator_profile_id) only by
-- the evaluator for themselves, and RLS refuses a row before its uniqueness is checked;
-- session_files.ipfs_cid and the identity ids are not writable by API roles.)
alter table public.session_files drop constraint session_files_storage_path_key;
alter table public.session_files
  add constraint session_files_session_id_storage_path_key unique (session_id, storage_path);
-- The backend's lookup by path (the seed's pin-to-IPFS Edge Function: .eq('storage_path', path)).
create index idx_session_files_storage_path on public.session_files (storage_path);


-- 3. Invitations by email -------------------------------------------------------------------------------
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
alter table public.session_participants add column invitation_id uuid;
alter table public.session_participants
  add constraint session_participants_invitation_id_fkey foreign key (invitation_id)
    references public.session_invitations (id) on delete cascade;
create index idx_session_participants_invitation on public.session_participants (invitation_id);
comment on column public.session_participants.invitation_id is
  'The email invitation this row came from (null for invitations by profile id). Such a row is visible only to the invitee until accepted.';

-- The caller's own address (auth.users is not readable by API roles).
create function convo.my_email()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select lower(btrim(u.email)) from auth.users u where u.id = auth.uid()
$$;
comment on function convo.my_email() is 'The caller''s email address (auth.users.email), trimmed and lower-cased; null without one.';
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
  where i.id = p_invitation_id and i.status = 'pending'
  on conflict (session_id, profile_id) do update
    set invitation_status = 'pending', role = excluded.role
    where public.session_participants.invitation_id = excluded.invitation_id
      and public.session_participants.invitation_status <> 'accepted';
end
$$;
comment on function convo.attach_session_invitation(uuid) is
  'Gives the user whose email is the invitation''s address (if any) a pending participant row linked to the invitation.';
revoke execute on function convo.attach_session_invitation(uuid) from public;

-- Sign-up, and an email change: the pending invitations of that address are attached. These fire
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
  'AFTER INSERT / UPDATE OF email on auth.users: attaches the pending session invitations addressed to the user''s (new) email.';
revoke execute on function convo.attach_invitations_of_new_email() from public;

create trigger on_auth_user_created_attach_invitations
  after insert on auth.users
  for each row when (new.email is not null)
  execute function convo.attach_invitations_of_new_email();
create trigger on_auth_user_email_changed_attach_invitations
  after update of email on auth.users
  for each row when (new.email is not null and old.email is distinct from new.email)
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

select convo.install_fill_column_defaults('public.session_invitations');

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


-- 4. session_participants: visibility, answers, the host's renewal ------------------------------------------
-- Others see a row from an email invitation only once it is accepted (see above).
drop policy "Members can view the participants of their sessions" on public.session_participants;
create policy "Members can view the participants of their sessions" on public.session_participants
  for select to authenticated
  using (
    profile_id = (select auth.uid())
    or (session_id = any (array(select convo.my_session_ids()))
        and (invitation_id is null or invitation_status = 'accepted'))
  );

-- The answer rule (issue 11 #6): the invitee goes pending → accepted, pending → declined, or
-- accepted → declined (leaving). Declining is final until the host invites again: a declined
-- invitee changes nothing of their row any more (not its status, perspective or sign-off). The host renews a declined invitation by
-- profile id with PATCH {invitation_status: 'pending'} on that row (and an email invitation with
-- invite_to_session), and changes nothing else of someone else's row.
drop policy "Participants can update their own participation" on public.session_participants;
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

-- The host removes visible participants only (a hidden row goes by revoking its invitation).
drop policy "Hosts can remove participants" on public.session_participants;
create policy "Hosts can remove participants" on public.session_participants
  for delete to authenticated
  using (
    session_id = any (array(select convo.my_hosted_session_ids()))
    and role <> 'host'
    and (invitation_id is null or invitation_status = 'accepted')
  );

-- joined_at and sign_off_timestamp are the server's: whatever a client sends (the seed's PATCH
-- may send them) is replaced by the old value, then session_participants_stamp sets them
-- (joined_at: now() at every acceptance; sign_off_timestamp: now() at sign-off).
select convo.install_keep_server_columns('public.session_participants', array['joined_at', 'sign_off_timestamp']);

create or replace function convo.session_participants_stamp()
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


-- 5. session_messages: the author and their participant row are filled in ------------------------------
-- A client posts {session_id, content, message_type} (profile_id optional). For API roles:
-- profile_id defaults to the caller, and session_participant_id is the caller's own row of that
-- session. A profile_id or participant id that is not the caller's is kept as sent, and the insert
-- policy refuses it (42501). Runs as the caller: their own participant row is always readable.
alter table public.session_messages alter column profile_id set default auth.uid();

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


-- 6. session_feedback_summary: one answer for "not yours" and "does not exist"; the acting user ---------
-- A stranger got 403 for someone else's session and 404 for an unknown id. Now both are 42501
-- (HTTP 403) with one message, the same as a participant who is not the host. p_user_id: the
-- service role names the host it asks for (convo.acting_user). Dropped and recreated (the
-- signature changes; no second overload is left for PostgREST to choose from).
drop function public.session_feedback_summary(uuid);
drop function convo.session_feedback_summary(uuid);

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


-- 7. Bounds on every text / jsonb column (issue 11 #9) ----------------------------------------------------
-- So that a write of any size is a 400 (23514), whatever the path. Enumerated columns (status,
-- role, message_type …) are already bounded by their value checks. Backend-written columns get
-- bounds too: the service role is a path. profiles.email is auth.users' copy (not writable by
-- users): 320 characters is the longest valid address (RFC 5321).
alter table public.profiles
  add constraint profiles_email_length_check check (char_length(email) <= 320),
  add constraint profiles_full_name_length_check check (char_length(full_name) <= 200),
  add constraint profiles_avatar_url_length_check check (char_length(avatar_url) <= 2048),
  add constraint profiles_preferred_communication_style_length_check
    check (octet_length(preferred_communication_style::text) <= 16384),
  add constraint profiles_personality_llm_context_length_check
    check (octet_length(personality_llm_context::text) <= 65536);

alter table public.sessions
  add constraint sessions_title_length_check check (char_length(title) <= 200),
  add constraint sessions_description_context_length_check check (char_length(description_context) <= 10000),
  add constraint sessions_session_type_length_check check (char_length(session_type) <= 64),
  add constraint sessions_goals_length_check check (octet_length(goals::text) <= 16384),
  add constraint sessions_rules_length_check check (octet_length(rules::text) <= 16384),
  add constraint sessions_ai_synthesis_summary_length_check check (char_length(ai_synthesis_summary) <= 50000),
  add constraint sessions_final_summary_pdf_url_length_check check (char_length(final_summary_pdf_url) <= 2048);

alter table public.session_participants
  add constraint session_participants_perspective_text_length_check check (char_length(perspective_text) <= 10000);

alter table public.session_messages
  add constraint session_messages_content_length_check check (char_length(content) <= 20000),
  add constraint session_messages_sentiment_analysis_length_check
    check (octet_length(sentiment_analysis::text) <= 16384);

alter table public.session_files
  add constraint session_files_file_name_length_check check (char_length(file_name) <= 255),
  add constraint session_files_storage_path_length_check check (char_length(storage_path) <= 1024),
  add constraint session_files_ipfs_cid_length_check check (char_length(ipfs_cid) <= 128),
  add constraint session_files_file_type_length_check check (char_length(file_type) <= 255),
  add constraint session_files_description_length_check check (char_length(description) <= 2000),
  add constraint session_files_ai_analysis_snippet_length_check check (char_length(ai_analysis_snippet) <= 10000);

alter table public.growth_insights
  add constraint growth_insights_insight_type_length_check check (char_length(insight_type) <= 64),
  add constraint growth_insights_insight_data_length_check check (octet_length(insight_data::text) <= 65536);

alter table public.achievements
  add constraint achievements_badge_id_length_check check (char_length(badge_id) <= 64),
  add constraint achievements_details_length_check check (octet_length(details::text) <= 16384);

alter table public.session_evaluations
  add constraint session_evaluations_feedback_worked_well_length_check check (char_length(feedback_worked_well) <= 5000),
  add constraint session_evaluations_feedback_could_improve_length_check check (char_length(feedback_could_improve) <= 5000),
  add constraint session_evaluations_feedback_alex_specific_length_check check (char_length(feedback_alex_specific) <= 5000);
