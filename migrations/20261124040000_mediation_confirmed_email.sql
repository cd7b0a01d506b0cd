-- Mediation: an email invitation reaches its address only once the address is confirmed.
--
-- Until now the invitations sent to name@example.com were attached to whichever account had that
-- email, confirmed or not, at sign-up or when the host invited. Where Supabase Auth asks new users
-- to confirm their email, auth.users gets the row (email set, email_confirmed_at null) at sign-up,
-- so anyone could sign up with someone else's address, never confirm it, and be handed the
-- invitations sent to it: see them in session_invitations, get the pending participant row,
-- accept it and read the session. Now an address is the user's once auth.users.email_confirmed_at
-- is set:
--   * convo.my_email() (the invitee's side of the session_invitations policy) is null until then;
--   * an invitation attaches only to a user whose address is confirmed: when the host invites,
--     and when the address is confirmed (an AFTER UPDATE OF email_confirmed_at trigger). Where
--     confirmation is off, GoTrue sets email_confirmed_at at sign-up, so nothing changes there.
-- Participant rows attached before this migration are left as they are.

create or replace function convo.my_email()
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

create or replace function convo.attach_session_invitation(p_invitation_id uuid)
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

-- Confirming the address attaches what was sent to it (sign-up and email changes already fire
-- convo.attach_invitations_of_new_email; for a user not yet confirmed it now attaches nothing).
create trigger on_auth_user_email_confirmed_attach_invitations
  after update of email_confirmed_at on auth.users
  for each row when (new.email is not null and old.email_confirmed_at is null
                     and new.email_confirmed_at is not null)
  execute function convo.attach_invitations_of_new_email();
comment on function convo.attach_invitations_of_new_email() is
  'AFTER INSERT, UPDATE OF email and UPDATE OF email_confirmed_at on auth.users: attaches the pending session invitations addressed to the user''s (new) email, once that address is confirmed.';
