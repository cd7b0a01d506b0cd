-- mentor_end_twice without its lock: end_mentor_session reads the conversation without FOR UPDATE.
-- The second caller then reads the row while it is still 'active', its completing UPDATE waits for
-- the first caller, finds the row no longer active and changes nothing, and it returns the stale
-- row it read.
-- function: convo.end_mentor_session(uuid, uuid)
-- shows: active|              |
select pg_temp.take_out('convo.end_mentor_session(uuid, uuid)',
                        E'  where m.id = p_conversation_id and m.user_id = v_uid\n  for update;',
                        E'  where m.id = p_conversation_id and m.user_id = v_uid;');
