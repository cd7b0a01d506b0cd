-- Steady state: the 8 phones have a session with a recent user message (no rollover due).
delete from public.user_sessions where phone_number in (select bench.phone(n) from generate_series(1, 8) n);
insert into public.user_sessions (phone_number, assigned_persona, metadata)
select bench.phone(n), 'default', jsonb_build_object('session_number', 1, 'last_session_started_at', now() - interval '10 minutes')
from generate_series(1, 8) n;
insert into public.messages (session_id, role, content, created_at)
select id, 'user', 'hi', now() - interval '5 minutes' from public.user_sessions
where phone_number in (select bench.phone(n) from generate_series(1, 8) n);
truncate bench.rollover_log;
