drop policy "seed: Users can view messages of their sessions" on public.session_messages;
create policy "Participants can view the messages of their sessions" on public.session_messages
  for select to authenticated
  using (session_id = any (array(select convo.my_session_ids())));
