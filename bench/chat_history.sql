-- A long chat history for get_chat_context: bench user 100000 with 50,000 turns (100,000
-- messages, one turn a minute, texts from bench.chat_samples), written as the seed backend would
-- (as postgres: the stored token_count is computed by the inserts, like any insert's).
insert into auth.users (id, email, raw_user_meta_data)
values (bench.user_id(100000), 'history@example.test', '{"full_name": "History User"}')
on conflict (id) do nothing;
create or replace function bench.history_message_id(i int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-a000-' || lpad(i::text, 12, '0'))::uuid
$$;
insert into public.chat_messages (id, user_id, message_text, sender_type, "timestamp")
select bench.history_message_id(i), bench.user_id(100000), s.user_text, 'user',
       now() - (50001 - i) * interval '1 minute'
from generate_series(1, 50000) i
join bench.chat_samples s on s.id = 1 + i % (select count(*) from bench.chat_samples);
insert into public.chat_messages (user_id, message_text, sender_type, "timestamp", reply_to)
select bench.user_id(100000), s.ai_text, 'ai',
       now() - (50001 - i) * interval '1 minute' + interval '20 seconds', bench.history_message_id(i)
from generate_series(1, 50000) i
join bench.chat_samples s on s.id = 1 + i % (select count(*) from bench.chat_samples);
-- vacuumed, not only analyzed: index-only scans then skip the heap, as they do once autovacuum has
-- visited the table (which it otherwise may or may not have done by the time a round runs)
vacuum analyze public.chat_messages;
