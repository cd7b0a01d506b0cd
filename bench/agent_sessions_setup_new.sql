-- Race round 1: the phones have no session yet.
delete from public.user_sessions where phone_number in (select bench.phone(n) from generate_series(1, 8) n);
truncate bench.rollover_log;
