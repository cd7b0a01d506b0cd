-- Bench users whose chat histories differ a thousandfold: user 1000000 + k holds 10^k messages,
-- 10^k / 2 turns of ~25 tokens a message, for k = 3 .. max_k (psql -v max_k=N; 6 in make bench).
-- Each side is written by one statement, so all of a user's messages share one timestamp (as an
-- import or backfill leaves them). In one table: the largest holds ~90% of it, the smallest 0.1%.
select set_config('bench.size_max_exp', :'max_k', false) \g /dev/null
insert into auth.users (id, email, raw_user_meta_data)
select bench.user_id(1000000 + k), 'size' || k || '@example.test', '{"full_name": "Size User"}'
from generate_series(3, 6) k  -- all four users exist, so every variant has someone to read
on conflict (id) do nothing;
do $$
declare
  k int;
begin
  for k in 3..current_setting('bench.size_max_exp')::int loop
    insert into public.chat_messages (id, user_id, message_text, sender_type)
    select ('00000000-0000-4000-b00' || k || '-' || lpad(i::text, 12, '0'))::uuid, bench.user_id(1000000 + k),
           'question ' || i || ': ' || repeat('tell me more about that ', 4), 'user'
    from generate_series(1, (10 ^ k)::int / 2) i;
    insert into public.chat_messages (user_id, message_text, sender_type, reply_to)
    select bench.user_id(1000000 + k), 'answer ' || i || ': ' || repeat('here is a little more ', 4), 'ai',
           ('00000000-0000-4000-b00' || k || '-' || lpad(i::text, 12, '0'))::uuid
    from generate_series(1, (10 ^ k)::int / 2) i;
  end loop;
end
$$;
-- vacuumed, not only analyzed: index-only scans then skip the heap, as they do once autovacuum has
-- visited the table (which it otherwise may or may not have done by the time a round runs)
vacuum analyze public.chat_messages;
