-- store_chat_pair before/after the conversation-tree migrations (scripts/bench.sh, "trees"): the
-- chat session each bench user (bench.user_id(1..200), bench/baselines.sql) writes into,
-- bench.trees_session(n), created up front, so that bench/trees_store_pair_session.pgbench
-- measures the steady state (a session that exists) and not its creation. Loaded alike into the
-- database migrated up to just before the trees and into the fully migrated one; needs nothing
-- the trees added.
create or replace function bench.trees_session(n int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-9000-' || lpad(n::text, 12, '0'))::uuid
$$;
grant execute on function bench.trees_session(int) to authenticated, service_role;

insert into public.chat_sessions (id, user_id)
select bench.trees_session(n), bench.user_id(n)
from generate_series(1, 200) n
on conflict (id) do nothing;
-- and 99 older sessions each, so that chat_sessions is not a table of 200 rows, whose lookups the
-- planner makes sequential scans and hash joins, or not, depending on its bloat of the moment
insert into public.chat_sessions (id, user_id, created_at)
select ('00000000-0000-4000-9200-' || lpad((n * 1000 + k)::text, 12, '0'))::uuid, bench.user_id(n),
       now() - k * interval '1 day'
from generate_series(1, 200) n cross join generate_series(1, 99) k
on conflict (id) do nothing;
analyze public.chat_sessions;
