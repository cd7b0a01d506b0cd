-- quota_two_writers without its lock: the limit is checked before adding, from a plain read of
-- the day's row, instead of after adding under the row lock the upsert takes. Both calls read the
-- same committed total, both pass the check, and the day ends over its limit.
-- function: convo.add_token_usage(text, uuid, bigint, bigint, integer, bigint)
-- shows: 1100|
select pg_temp.take_out('convo.add_token_usage(text, uuid, bigint, bigint, integer, bigint)',
                        E'  insert into public.token_usage_daily as u\n',
                        E'  select coalesce(sum(d.prompt_tokens + d.completion_tokens), 0) into v_total\n'
                         '  from public.token_usage_daily d\n'
                         '  where d.subject_kind = p_subject_kind and d.subject_id = p_subject_id\n'
                         '    and d.usage_date = (now() at time zone ''UTC'')::date;\n'
                         '  if p_daily_token_limit is not null\n'
                         '     and v_total + p_prompt_tokens + p_completion_tokens > p_daily_token_limit then\n'
                         '    raise exception ''daily token limit reached'' using errcode = ''PT429'';\n'
                         '  end if;\n'
                         '  p_daily_token_limit := null;  -- checked above, not after adding\n'
                         '  insert into public.token_usage_daily as u\n');
