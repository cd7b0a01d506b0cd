-- Swap our select policy on session_messages for the seed's naive EXISTS policy (bench only).
drop policy "Participants can view the messages of their sessions" on public.session_messages;
create policy "seed: Users can view messages of their sessions" on public.session_messages
  for select using (exists (select 1 from public.session_participants sp
                            where sp.session_id = session_messages.session_id and sp.profile_id = auth.uid()));
