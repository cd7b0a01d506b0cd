-- chat_pairs_chain without its lock: convo.claim_chat_session, which every message written into a
-- session goes through (the BEFORE INSERT trigger that links it into the session's tree), no
-- longer locks the session row when it looks up its owner. The second call's question then reads
-- the current leaf while the first pair is uncommitted (none: the session was empty), and the two
-- pairs fork: two first messages, siblings "1 of 2" and "2 of 2", and the history shows only the
-- newer turn. The second call still waits, but only at its update of last_message_at, after its
-- question was linked.
-- function: convo.claim_chat_session(uuid, uuid)
-- shows: second question|               |2 of 2
select pg_temp.take_out('convo.claim_chat_session(uuid, uuid)',
                        E'  select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id\n  for no key update;\n',
                        E'  select s.user_id into v_owner from public.chat_sessions s where s.id = p_session_id;\n');
