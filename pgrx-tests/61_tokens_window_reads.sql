-- A context window reads about the rows it returns, whatever the user's history: a user whose
-- 20,000 messages all share one timestamp (one statement wrote them: an import, a backfill) gets
-- get_chat_context(4000) by walking the turns index in its exact order, not by sorting the
-- history (migrations/…_tokens_window_indexes.sql, src/tokens.rs). Measured through the
-- current transaction's own table statistics (pg_stat_xact_user_tables): rows fetched from
-- chat_messages, and sequential scans of it.
begin;
select plan(8);

select tests.create_supabase_user('heavy', 'heavy-window@example.test') as heavy \gset
insert into public.chat_sessions (id, user_id, title) values ('61616161-0000-4000-8000-000000000001', :'heavy', 'one long thread');
-- 10,000 turns of ~60 tokens each, written as an import does: one statement, every message of
-- the user with the same timestamp (now()), each turn following the previous one (previous_id:
-- rows sharing a timestamp have no order of their own for the session's tree to follow)
insert into public.chat_messages (id, user_id, session_id, message_text, sender_type, reply_to, previous_id)
select case when ai then ('61616161-0000-4000-b000-' || lpad(i::text, 12, '0'))::uuid
            else ('61616161-0000-4000-a000-' || lpad(i::text, 12, '0'))::uuid end,
       :'heavy', '61616161-0000-4000-8000-000000000001',
       i || ' ' || repeat(case when ai then 'answer ' else 'question ' end, 60),
       case when ai then 'ai' else 'user' end,
       case when ai then ('61616161-0000-4000-a000-' || lpad(i::text, 12, '0'))::uuid end,
       case when not ai and i > 1 then ('61616161-0000-4000-b000-' || lpad((i - 1)::text, 12, '0'))::uuid end
from generate_series(1, 10000) i, unnest(array[false, true]) ai
order by i, ai;
analyze public.chat_messages;

create function pg_temp.chat_reads() returns table (fetched bigint, seq_scans bigint)
language sql as $$
  select coalesce(idx_tup_fetch, 0), coalesce(seq_scan, 0)
  from pg_catalog.pg_stat_xact_user_tables where relid = 'public.chat_messages'::regclass
$$;
grant execute on function pg_temp.chat_reads() to authenticated;

select tests.authenticate_as('heavy');
select fetched as f0, seq_scans as s0 from pg_temp.chat_reads() \gset
select jsonb_array_length(public.get_chat_context(4000) -> 'messages') as window_rows \gset
select fetched as f1, seq_scans as s1 from pg_temp.chat_reads() \gset
select ok(:window_rows between 40 and 80, format('the window holds %s messages of 20,000', :window_rows));
select is((:s1 - :s0)::bigint, 0::bigint, 'get_chat_context(4000): no sequential scan of chat_messages');
-- per message: the walk, the JSON, and its position among its siblings (reading them)
select ok(:f1 - :f0 <= 5 * :window_rows + 20,
  format('get_chat_context(4000): %s rows fetched for a window of %s (bound: 5 per message + 20), not the history', :f1 - :f0, :window_rows));

select jsonb_array_length(public.get_chat_context(4000, '61616161-0000-4000-8000-000000000001') -> 'messages') as session_rows \gset
select fetched as f2, seq_scans as s2 from pg_temp.chat_reads() \gset
select is(:session_rows, :window_rows, 'the session''s window is the same window (all turns are in it)');
select is((:s2 - :s1)::bigint, 0::bigint, 'get_chat_context(4000, p_session_id): no sequential scan');
select ok(:f2 - :f1 <= 5 * :session_rows + 20,
  format('get_chat_context(4000, p_session_id): %s rows fetched for a window of %s', :f2 - :f1, :session_rows));

-- and the window is the newest turns, in order: the last ids written come first
select is((public.get_chat_context(4000) -> 'messages' -> -2 ->> 'id')::uuid,
  '61616161-0000-4000-a000-000000010000'::uuid, 'the newest turn (highest id on a timestamp tie) ends the window');
select is((select count(*) from jsonb_array_elements(public.get_chat_context(4000) -> 'messages') m
           where m ->> 'role' = 'user'), (:window_rows / 2)::bigint, 'only complete turns: a user message and its reply each');
select tests.clear_authentication();

select * from finish();
rollback;
