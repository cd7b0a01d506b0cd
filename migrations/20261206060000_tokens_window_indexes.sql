-- Context windows cost the same whatever a user's history (tokens domain).
--
-- convo.fit_chat_turns walks a user's turns newest first, `order by "timestamp" desc, id desc`,
-- and stops once the budget is spent. The (user_id, "timestamp" desc) index gives that order only
-- up to ties on "timestamp": rows written by one statement share it (an import, a backfill, a
-- seed), and then PostgreSQL sorts the whole tied group by id before the first row comes out:
-- measured, a user with 200,000 messages of one timestamp took ~1.2 s per get_chat_context(4000)
-- where a user with 1,000 takes ~3 ms. These indexes give the walk its exact order, and only the
-- rows it reads (the user messages that start turns), so it reads about as many rows as fit the
-- window. The session variant has its own, for get_chat_context(…, p_session_id).
create index idx_chat_messages_user_turns on public.chat_messages (user_id, "timestamp" desc, id desc)
  where sender_type = 'user';
create index idx_chat_messages_session_turns on public.chat_messages (session_id, "timestamp" desc, id desc)
  where sender_type = 'user';
-- A chat session's messages are its owner's (chat_clients: a message names a session of its own
-- user), so session_id determines user_id. Without telling the planner, it multiplies the two
-- selectivities, expects a hundred rows where a long session has thousands, and combines both
-- indexes and sorts instead of walking the session's index (measured: 20,000 rows fetched for a
-- window of 62 messages).
create statistics public.chat_messages_session_user (dependencies) on session_id, user_id
  from public.chat_messages;
analyze public.chat_messages;

comment on index public.idx_chat_messages_user_turns is
  'The context window''s walk over a user''s turns (convo.fit_chat_turns), newest first, in its exact order.';
comment on index public.idx_chat_messages_session_turns is
  'The context window''s walk over one chat session''s turns (convo.fit_chat_turns), newest first, in its exact order.';

-- Supabase's advisor (splinter, function_search_path_mutable) flags functions without a pinned
-- search_path. These two build a search result's metadata; pinned, they are no longer inlined,
-- which costs a function call per returned row (at most 200).
alter function convo.memory_metadata(text, text, text) set search_path = '';
alter function convo.chat_message_metadata(uuid, text, text) set search_path = '';
