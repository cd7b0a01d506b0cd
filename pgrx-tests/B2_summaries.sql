-- Conversation trees (domain 11), rolling summaries: chat_summaries, and get_chat_context(…,
-- p_summary_tokens) putting memories, then the newest summary that ends on the current branch
-- before the oldest turn in the window, then the newest whole turns, within p_max_tokens.
begin;
select plan(27);

select tests.create_supabase_user('summariser', 'summariser@trees.test') as me \gset
select tests.create_supabase_user('nosy', 'nosy@trees.test') as other \gset
\set s '''b2b2b2b2-0000-4000-8000-000000000001'''

-- six turns of about 25 tokens each
create temporary table turn (n int primary key, u uuid, a uuid, tokens int);
grant all on turn to public;
do $$
declare
  v_reply uuid;
begin
  perform tests.authenticate_as('summariser');
  for i in 1..6 loop
    v_reply := public.store_chat_pair(p_user_message => format('question %s: %s', i, repeat('tell me more about it ', 2)),
                                      p_ai_response => format('answer %s: %s', i, repeat('here is some more ', 2)),
                                      p_session_id => 'b2b2b2b2-0000-4000-8000-000000000001');
    insert into pg_temp.turn (n, a) values (i, v_reply);
  end loop;
  perform tests.reset_authentication();
end
$$;
update turn t set u = m.reply_to, tokens = m.token_count + (select q.token_count from public.chat_messages q where q.id = m.reply_to)
from public.chat_messages m where m.id = t.a;
select u as u1, a as a1 from turn where n = 1 \gset
select u as u2, a as a2 from turn where n = 2 \gset
select u as u3, a as a3 from turn where n = 3 \gset
select u as u4, a as a4 from turn where n = 4 \gset
select sum(tokens) filter (where n >= 5) as last_two, sum(tokens) filter (where n >= 4) as last_three, sum(tokens) as all_six from turn \gset

-- summaries, written as the user
select tests.value_of(format($$ insert into public.chat_summaries (session_id, through_message_id, summary, model)
                                values (%L, %L, 'They asked about it twice.', 'summary-model') returning id $$, :s, :'a2'), 'summariser') as sum2 \gset
select tests.value_of(format($$ insert into public.chat_summaries (session_id, through_message_id, summary)
                                values (%L, %L, 'They asked about it four times.') returning id $$, :s, :'a4'), 'summariser') as sum4 \gset
select is((select token_count from public.chat_summaries where id = :'sum4'), convo.count_tokens('They asked about it four times.'),
  'a summary''s token_count is computed by the database');
select is(tests.sqlstate_of(format($$ insert into public.chat_summaries (session_id, through_message_id, summary, token_count) values (%L, %L, 'x', 1) $$, :s, :'a2'), 'summariser'), '428C9',
  '... a client''s value is refused');
select (select token_count from public.chat_summaries where id = :'sum4') as sum4_tokens \gset
select (select token_count from public.chat_summaries where id = :'sum2') as sum2_tokens \gset

create function pg_temp.ctx(p_max int, p_summary int) returns jsonb language sql as $$
  select public.get_chat_context(p_max, 'b2b2b2b2-0000-4000-8000-000000000001', p_summary_tokens => p_summary)
$$;
grant execute on function pg_temp.ctx(int, int) to authenticated;

-- the window holds turns 5 and 6; the newest summary that ends before turn 5 covers 1-4
select tests.value_of(format('select pg_temp.ctx(%s, 20)::text', :last_two + 20), 'summariser')::jsonb as c \gset
select is((:'c'::jsonb -> 'summary' ->> 'id')::uuid, :'sum4'::uuid, 'the summary through turn 4, before a window of turns 5-6');
select is(jsonb_array_length(:'c'::jsonb -> 'messages'), 4, '... with turns 5 and 6');
select is((:'c'::jsonb -> 'messages' -> 0 ->> 'id')::uuid, (select u from turn where n = 5), '... oldest first');
select is((:'c'::jsonb ->> 'summary_tokens')::int, :sum4_tokens, 'summary_tokens');
select is((:'c'::jsonb ->> 'total_tokens')::int, :last_two + :sum4_tokens, 'total_tokens = summary + messages');
select ok((:'c'::jsonb ->> 'total_tokens')::int <= (:'c'::jsonb ->> 'max_tokens')::int, 'within p_max_tokens');
select is(:'c'::jsonb -> 'summary' ->> 'content', 'They asked about it four times.', 'the summary''s text');

-- a window of turns 4-6: the summary through turn 4 overlaps it; the one through turn 2 is used
select tests.value_of(format('select pg_temp.ctx(%s, 20)::text', :last_three + 20), 'summariser')::jsonb as c \gset
select is((:'c'::jsonb -> 'summary' ->> 'id')::uuid, :'sum2'::uuid, 'a summary that reaches into the window is not used: the older one is');
select is(jsonb_array_length(:'c'::jsonb -> 'messages'), 6, '... with turns 4-6');

-- nothing older than the window: no summary
select tests.value_of(format('select pg_temp.ctx(%s, 20)::text', :all_six + 20), 'summariser')::jsonb as c \gset
select ok(:'c'::jsonb -> 'summary' = 'null'::jsonb, 'all history fits: no summary');
select is(jsonb_array_length(:'c'::jsonb -> 'messages'), 12, '... every turn');

-- the summary's share is kept from the turns: p_summary_tokens = what turn 5 costs
select tests.value_of(format('select pg_temp.ctx(%s, %s)::text', :last_two, (select tokens from turn where n = 5)), 'summariser')::jsonb as c \gset
select is(jsonb_array_length(:'c'::jsonb -> 'messages'), 2, 'the turns get p_max_tokens - p_summary_tokens: only turn 6');
select is((:'c'::jsonb -> 'summary' ->> 'id')::uuid, :'sum4'::uuid, '... and the summary before turn 6 (through 4: nothing newer ends before 6)');

-- a summary too big for what is left is not used; an older one that fits is
select tests.value_of(format($$ insert into public.chat_summaries (session_id, through_message_id, summary)
                                values (%L, %L, repeat('a much longer summary of everything so far ', 20)) returning id $$, :s, :'a4'), 'summariser') as big4 \gset
select tests.value_of(format('select pg_temp.ctx(%s, 20)::text', :last_two + 20), 'summariser')::jsonb as c \gset
select is((:'c'::jsonb -> 'summary' ->> 'id')::uuid, :'sum4'::uuid, 'the newest summary is too big: the one before it that fits');
select tests.value_of(format('select pg_temp.ctx(%s, 1)::text', :last_two + 1), 'summariser')::jsonb as c \gset
select ok(:'c'::jsonb -> 'summary' = 'null'::jsonb, 'no summary fits: none');
select is(jsonb_array_length(:'c'::jsonb -> 'messages'), 4, '... the turns still do');
select tests.value_of(format('select pg_temp.ctx(%s, 400)::text', :last_two + 400), 'summariser')::jsonb as c \gset
select is((:'c'::jsonb -> 'summary' ->> 'id')::uuid, :'big4'::uuid, 'with room for it, the newest summary through turn 4');
select ok(:'c'::jsonb -> 'summary' is not null and (:'c'::jsonb ->> 'total_tokens')::int <= :last_two + 400, '... within the budget');
select tests.value_of(format('select pg_temp.ctx(%s, 0)::text', :last_two), 'summariser')::jsonb as c \gset
select ok(:'c'::jsonb -> 'summary' = 'null'::jsonb, 'p_summary_tokens 0 (the default): no summary');

-- the branch switched after summarising: a summary off the current branch is never used
select tests.value_of(format($$ select public.regenerate_reply(%L, 'answer 3, regenerated') $$, :'u3'), 'summariser') as a3b \gset
select tests.value_of(format('select pg_temp.ctx(%s, 400)::text', (select tokens from turn where n = 3) + 400), 'summariser')::jsonb as c \gset
select is((:'c'::jsonb -> 'summary' ->> 'id')::uuid, :'sum2'::uuid,
  'after regenerating turn 3: the summaries through turn 4 are off the branch; the one through turn 2 is used');
select is(:'c'::jsonb -> 'messages' -> -1 ->> 'content', 'answer 3, regenerated', '... before the new reply');
select tests.value_of(format($$ select public.edit_user_message(%L, 'question 1, edited', 'answer 1, edited') $$, :'u1'), 'summariser') as e1 \gset
select tests.value_of('select pg_temp.ctx(1000, 400)::text', 'summariser')::jsonb as c \gset
select ok(:'c'::jsonb -> 'summary' = 'null'::jsonb, 'after editing the first message: no summary is on the new branch');

-- access and bad input
select is(tests.row_count('select * from public.chat_summaries', 'nosy'), 0::bigint, 'another user reads no summary');
select is(tests.sqlstate_of(format($$ insert into public.chat_summaries (session_id, through_message_id, summary) values (%L, %L, 'mine now') $$, :s, :'a2'), 'nosy'), '23503',
  'another user''s session and message: 23503');
select is(tests.sqlstate_of(format($$ select public.get_chat_context(100, p_summary_tokens => 10) $$), 'summariser'), '22023',
  'p_summary_tokens without p_session_id: 22023');

select * from finish();
rollback;
