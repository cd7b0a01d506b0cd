-- retention_vs_writer without its lock: the SMS batch of convo.expire_rows takes its rows with a
-- plain FOR UPDATE instead of FOR UPDATE SKIP LOCKED. The run then waits for the writer's
-- transaction to end before it can finish.
-- function: convo.expire_rows(text, timestamp with time zone, integer, boolean, uuid, text)
-- shows: step retention_run: <... completed>
select pg_temp.take_out('convo.expire_rows(text, timestamp with time zone, integer, boolean, uuid, text)',
                        E'and (p_session_id is null or t.session_id = p_session_id)\n         order by t.created_at limit v_limit for update skip locked);',
                        E'and (p_session_id is null or t.session_id = p_session_id)\n         order by t.created_at limit v_limit for update);');
