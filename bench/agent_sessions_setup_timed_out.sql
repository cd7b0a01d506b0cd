-- Race round 2: every phone's session timed out (newest user message 2 hours old).
delete from public.user_sessions where phone_number in (select bench.phone(n) from generate_series(1, 8) n);
insert into public.user_sessions (phone_number, assigned_persona, metadata)
select bench.phone(n), 'default', jsonb_build_object('session_number', 1, 'last_session_started_at', now() - interval '3 hours')
from generate_series(1, 8) n;
insert into public.messages (session_id, role, content, created_at)
select id, 'user', 'hi', now() - interval '2 hours' from public.user_sessions
where phone_number in (select bench.phone(n) from generate_series(1, 8) n);
truncate bench.rollover_log;
