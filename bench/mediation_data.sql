-- Mediation benchmark data: 20,000 profiles, 10,000 sessions with 2–6 accepted participants
-- (host included), 1,000,000 session_messages spread over 30 days.
insert into auth.users (id, email, raw_user_meta_data)
select bench.user_id(n), 'bench' || n || '@example.test', jsonb_build_object('full_name', 'Bench User ' || n)
from generate_series(1, 20000) n
on conflict (id) do nothing;
create or replace function bench.session_id(n int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-9000-' || lpad(n::text, 12, '0'))::uuid
$$;
insert into public.sessions (id, host_id, title, status)
select bench.session_id(i), bench.user_id(((i * 7) % 20000) + 1), 'Session ' || i, 'in_progress'
from generate_series(1, 10000) i;
insert into public.session_participants (session_id, profile_id, role, invitation_status, joined_at)
select bench.session_id(i), bench.user_id(((i * 13 + j * 1009) % 20000) + 1), 'participant', 'accepted', now()
from generate_series(1, 10000) i, generate_series(1, 5) j
where j <= 1 + (i % 5)
on conflict do nothing;
insert into public.session_messages (session_id, session_participant_id, profile_id, content, message_type, "timestamp")
select sp.session_id, sp.id, sp.profile_id, 'message ' || g || ' in ' || sp.session_id, 'user_typed_message',
       now() - (((sp.id * 37 + g * 1013) % 2592000) * interval '1 second')
from public.session_participants sp, generate_series(1, 25) g;
-- vacuumed, not only analyzed: the state autovacuum leaves, whether or not it has run yet
vacuum analyze;
