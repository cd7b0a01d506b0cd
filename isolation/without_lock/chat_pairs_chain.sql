-- chat_pairs_chain without its lock: the BEFORE INSERT trigger that links every message written
-- into a session into the session's tree (convo.chat_messages_claim_session) no longer locks the
-- session row when it reads the session. The second call's question then reads the current leaf
-- while the first pair is uncommitted (none: the session was empty), and the two pairs fork: two
-- first messages, siblings "1 of 2" and "2 of 2", and the history shows only the newer turn. The
-- second call still waits, but only at its update of last_message_at, after its question was
-- linked.
-- function: convo.chat_messages_claim_session()
-- shows: second question|               |2 of 2
select pg_temp.take_out('convo.chat_messages_claim_session()',
                        E'  from public.chat_sessions s where s.id = new.session_id\n  for no key update;\n',
                        E'  from public.chat_sessions s where s.id = new.session_id;\n');
