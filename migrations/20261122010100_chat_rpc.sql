-- Companion chat: store_chat_pair, the atomic chat-turn insert (Rust: src/chat.rs).
--
-- Clients call it unchanged: supabase.rpc('store_chat_pair', {p_user_id, p_user_message,
-- p_ai_response, p_session_id}), with two optional extras for the user message (p_mood,
-- p_sentiment). Security invoker: the inserts go through chat_messages' RLS (a user stores only for
-- auth.uid()) and foreign keys (service_role for any existing user); anon may not execute it.

grant execute on function convo.store_chat_pair(uuid, text, text, uuid, text, double precision)
  to authenticated, service_role;

create function public.store_chat_pair(
  p_user_id uuid,
  p_user_message text,
  p_ai_response text,
  p_session_id uuid default null,
  p_mood text default null,
  p_sentiment numeric default null
)
returns uuid
-- PL/pgSQL, not SQL: a non-inlined SQL function is parsed and planned on every call, PL/pgSQL
-- keeps its plan (measured: see BENCHMARKS.md).
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  return convo.store_chat_pair(p_user_id, p_user_message, p_ai_response, p_session_id,
                               p_mood, p_sentiment::double precision);
end
$$;

comment on function public.store_chat_pair(uuid, text, text, uuid, text, numeric) is
  'Stores one conversation turn atomically: the user message (with optional p_mood, p_sentiment in [0,1]) and the AI reply, which sorts strictly after it and points at it (reply_to). Returns the AI message id. A signed-in user stores only for themselves (42501 otherwise, from RLS); the service role for any existing user. Refused with 22023 (HTTP 400): blank messages, a user message over 5000 characters, a reply over 20000, sentiment outside 0..1. Unknown user, or a chat session that is not the user''s: 23503 (HTTP 409, as for a bad foreign key). Nothing is written when refused.';

revoke execute on function public.store_chat_pair(uuid, text, text, uuid, text, numeric) from public, anon;
grant execute on function public.store_chat_pair(uuid, text, text, uuid, text, numeric) to authenticated, service_role;
