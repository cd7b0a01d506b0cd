-- A context window reads about the rows it returns under the plans PL/pgSQL keeps, too. After five
-- calls a backend may run get_chat_context's statements with generic plans, which estimate a
-- user's rows as the table's average; with many light users and one heavy one, the statement that
-- reads the window's replies by id took the heavy user's whole index entries as a bitmap
-- (100,000 in the bench: 5 ms instead of 1; migrations/…_tokens_window_replies_by_id.sql). The
-- same for the memories the window takes, which were also walked by sorting all of the user's,
-- and for an SMS session's window (load_conversation_context).
-- Generic plans are forced here (plan_cache_mode), and the reads are measured through the
-- transaction's own index statistics (tests.index_entries_read: entries read, every index of the
-- table, what pg_stat_user_indexes calls idx_tup_read).
begin;
select plan(8);

select tests.create_supabase_user('heavy', 'heavy-generic@example.test') as heavy \gset
-- the heavy user: 5,000 turns, one a minute
insert into public.chat_messages (id, user_id, message_text, sender_type, reply_to, "timestamp")
select case when ai then ('62626262-0000-4000-b000-' || lpad(i::text, 12, '0'))::uuid
            else ('62626262-0000-4000-a000-' || lpad(i::text, 12, '0'))::uuid end,
       :'heavy', i || ' ' || repeat(case when ai then 'answer ' else 'question ' end, 30),
       case when ai then 'ai' else 'user' end,
       case when ai then ('62626262-0000-4000-a000-' || lpad(i::text, 12, '0'))::uuid end,
       now() - (5001 - i) * interval '1 minute' + case when ai then interval '1 second' else interval '0' end
from generate_series(1, 5000) i, unnest(array[false, true]) ai;
-- 400 light users of one turn each: the table's average user is small
select tests.create_supabase_user('light' || n, 'light' || n || '-generic@example.test') from generate_series(1, 400) n;
insert into public.chat_messages (user_id, message_text, sender_type)
select tests.get_supabase_uid('light' || n), 'hello', 'user' from generate_series(1, 400) n;
-- and memories: 2,000 of the heavy user, one of each light user
insert into public.user_memories (user_id, memory_key, memory_value, importance)
select :'heavy', 'fact ' || i, 'something worth remembering, number ' || i, (array['high', 'medium', 'low'])[1 + i % 3] from generate_series(1, 2000) i;
insert into public.user_memories (user_id, memory_key, memory_value)
select tests.get_supabase_uid('light' || n), 'name', 'Light' from generate_series(1, 400) n;
-- and SMS sessions: one of 5,000 messages, 400 of one message
insert into public.user_sessions (id, phone_number, assigned_persona)
select ('62626262-0000-4000-c000-' || lpad(n::text, 12, '0'))::uuid, '+1555062' || lpad(n::text, 4, '0'), 'samantha'
from generate_series(1, 401) n;
insert into public.messages (session_id, role, content, created_at)
select '62626262-0000-4000-c000-000000000001', case when i % 2 = 0 then 'assistant' else 'user' end,
       i || ' ' || repeat('words ', 30), now() - (5001 - i) * interval '1 minute'
from generate_series(1, 5000) i;
insert into public.messages (session_id, role, content)
select ('62626262-0000-4000-c000-' || lpad(n::text, 12, '0'))::uuid, 'user', 'hi' from generate_series(2, 401) n;
analyze public.chat_messages, public.user_memories, public.messages;

set local plan_cache_mode = force_generic_plan;
select tests.authenticate_as('heavy');
select tests.index_entries_read('public.chat_messages') as r0 \gset
select jsonb_array_length(public.get_chat_context(4000) -> 'messages') as window_rows \gset
select tests.index_entries_read('public.chat_messages') as r1 \gset
select ok(:window_rows between 40 and 200, format('the window holds %s messages of 10,000', :window_rows));
select ok(:r1 - :r0 <= 5 * :window_rows + 20,
  format('get_chat_context(4000), generic plans: %s index entries read for a window of %s (bound: 5 per message + 20), not the user''s', :r1 - :r0, :window_rows));
-- and again, now that every statement's plan is kept
select jsonb_array_length(public.get_chat_context(4000) -> 'messages') as again_rows \gset
select tests.index_entries_read('public.chat_messages') as r2 \gset
select is(:again_rows, :window_rows, 'the same window the second time');
select ok(:r2 - :r1 <= 5 * :window_rows + 20,
  format('the second call: %s index entries read for a window of %s', :r2 - :r1, :window_rows));

-- the memories a window takes: read by id as well, not all of the user's
select tests.index_entries_read('public.user_memories') as m0 \gset
select jsonb_array_length(public.get_chat_context(4000, null, 500) -> 'memories') as memory_rows \gset
select tests.index_entries_read('public.user_memories') as m1 \gset
select ok(:memory_rows between 10 and 100, format('the window takes %s memories of 2,000', :memory_rows));
-- the walk (convo.fit_memories) goes down the user's memories in order, off an index, passing
-- those that do not fit, so it reads at most one per token of the budget; then each taken by id
-- (the JSON, and recording the read)
select ok(:m1 - :m0 <= 500 + 2 * :memory_rows + 20,
  format('get_chat_context(4000, p_memory_tokens => 500), generic plans: %s index entries of user_memories read for %s memories (bound: the budget, 500, + 2 per memory + 20), not all 2,000', :m1 - :m0, :memory_rows));
select tests.clear_authentication();

-- An SMS session's window (load_conversation_context, the service role): one long session among
-- many short ones, its messages read by id as well
select tests.authenticate_as_service_role();
select tests.index_entries_read('public.messages') as s0 \gset
select jsonb_array_length(public.load_conversation_context('62626262-0000-4000-c000-000000000001', 4000) -> 'messages') as sms_rows \gset
select tests.index_entries_read('public.messages') as s1 \gset
select ok(:sms_rows between 40 and 200, format('the SMS window holds %s messages of 5,000', :sms_rows));
-- the walk (convo.fit_session_messages) fetches 32 at a time through an incremental sort, which
-- reads ahead (up to 2 per message + 64), then each taken by id
select ok(:s1 - :s0 <= 3 * :sms_rows + 64 + 20,
  format('load_conversation_context(4000), generic plans: %s index entries of messages read for a window of %s (bound: 3 per message + 64 + 20), not the session''s 5,000', :s1 - :s0, :sms_rows));
select tests.clear_authentication();

select * from finish();
rollback;
