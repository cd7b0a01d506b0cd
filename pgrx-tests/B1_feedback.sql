-- Conversation trees (domain 11), feedback: a signed-in user rates AI replies of their own (+1 /
-- -1, a reason from a closed set, a comment), one rating per reply, changeable and deletable; the
-- service role reads the daily aggregate per model.
begin;
select plan(29);

select tests.create_supabase_user('rater', 'rater@trees.test') as me \gset
select tests.create_supabase_user('other_rater', 'other-rater@trees.test') as other \gset
select tests.value_of($$ select public.store_chat_pair(p_user_message => 'q1', p_ai_response => 'a1', p_model => 'model-a', p_prompt_tokens => 1, p_completion_tokens => 1) $$, 'rater') as a1 \gset
select tests.value_of($$ select public.store_chat_pair(p_user_message => 'q2', p_ai_response => 'a2', p_model => 'model-b', p_prompt_tokens => 1, p_completion_tokens => 1) $$, 'rater') as a2 \gset
select tests.value_of($$ select public.store_chat_pair(p_user_message => 'q3', p_ai_response => 'a3') $$, 'rater') as a3 \gset
select tests.value_of($$ select public.store_chat_pair(p_user_message => 'theirs', p_ai_response => 'their reply', p_model => 'model-a', p_prompt_tokens => 1, p_completion_tokens => 1) $$, 'other_rater') as theirs \gset
select reply_to as q1 from public.chat_messages where id = :'a1' \gset

select has_table('public', 'message_feedback', 'message_feedback exists');
select ok((select relrowsecurity from pg_class where oid = 'public.message_feedback'::regclass), 'RLS is on');

-- a user rates their own AI replies
select is(tests.affected(format($$ insert into public.message_feedback (message_id, rating, reason) values (%L, -1, 'inaccurate') $$, :'a1'), 'rater'), 1::bigint,
  'a thumbs down with a reason');
select is(tests.affected(format($$ insert into public.message_feedback (message_id, rating, comment) values (%L, 1, 'spot on') $$, :'a2'), 'rater'), 1::bigint,
  'a thumbs up with a comment');
select is(tests.affected(format($$ insert into public.message_feedback (message_id, rating) values (%L, 1)
                                   on conflict (user_id, message_id) do update set rating = excluded.rating, reason = excluded.reason $$, :'a1'), 'rater'), 1::bigint,
  'changed by an upsert on (user_id, message_id)');
select results_eq(format($$ select rating::int, reason from public.message_feedback where message_id = %L $$, :'a1'),
  $$ values (1, null::text) $$, '... now +1 without a reason');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating) values (%L, -1) $$, :'a1'), 'rater'), '23505',
  'a second rating of the same reply: 23505 (one per user and reply)');
select is(tests.row_count('select * from public.message_feedback', 'rater'), 2::bigint, 'the user reads their own ratings');
select is(tests.row_count('select * from public.message_feedback', 'other_rater'), 0::bigint, 'another user reads none of them');
select is(tests.affected(format($$ update public.message_feedback set rating = -1 where message_id = %L $$, :'a1'), 'other_rater'), 0::bigint,
  'another user changes none of them');
select is(tests.affected(format($$ delete from public.message_feedback where message_id = %L $$, :'a1'), 'other_rater'), 0::bigint,
  'another user deletes none of them');

-- refusals
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating) values (%L, 1) $$, :'theirs'), 'rater'), '23503',
  'another user''s reply: 23503');
select is(tests.sqlstate_of($$ insert into public.message_feedback (message_id, rating) values ('b1b1b1b1-0000-4000-8000-00000000dead', 1) $$, 'rater'), '23503',
  '... the same answer as a reply that does not exist');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating) values (%L, 1) $$, :'q1'), 'rater'), '22023',
  'a user message: 22023 (only AI replies are rated)');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating) values (%L, 2) $$, :'a3'), 'rater'), '23514',
  'a rating other than +1 / -1: 23514');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating) values (%L, 0) $$, :'a3'), 'rater'), '23514',
  '... 0 too');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating, reason) values (%L, -1, 'because') $$, :'a3'), 'rater'), '23514',
  'a reason outside the set: 23514');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating, comment) values (%L, -1, repeat('x', 1001)) $$, :'a3'), 'rater'), '23514',
  'a comment over 1000 characters: 23514');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (user_id, message_id, rating) values (%L, %L, 1) $$, :'other', :'theirs'), 'rater'), '23503',
  'rating for someone else: refused (their reply is not visible: 23503)');
select is(tests.sqlstate_of(format($$ update public.message_feedback set message_id = %L where message_id = %L $$, :'theirs', :'a2'), 'rater'), '23503',
  'moving a rating to another user''s reply: 23503');
select is(tests.sqlstate_of(format($$ insert into public.message_feedback (message_id, rating) values (%L, 1) $$, :'a3'), 'anon'), '42501',
  'anon: 42501');
select is(tests.value_of(format($$ select created_at = '2000-01-01' from public.message_feedback where message_id = %L $$, :'a2'), 'rater'), 'false',
  'created_at is the server''s');
select is(tests.sqlstate_of(format($$ update public.message_feedback set created_at = '2000-01-01' where message_id = %L $$, :'a2'), 'rater'), 'ok',
  '... a client writing it back is not refused');

-- the backend rates for a user (service role), and reads the aggregate
select is(tests.affected(format($$ insert into public.message_feedback (user_id, message_id, rating, reason) values (%L, %L, -1, 'too_long') $$, :'other', :'theirs'), 'service_role'), 1::bigint,
  'the service role rates for the user it names');
select results_eq($$ select model, up, down, up_reasons, down_reasons from public.message_feedback_daily order by model $$,
  $$ values ('model-a'::text, 1::bigint, 1::bigint, '{}'::jsonb, '{"too_long": 1}'::jsonb), ('model-b', 1, 0, '{}', '{}') $$,
  'message_feedback_daily: up and down with reasons, per model and day');
select is(tests.sqlstate_of('select * from public.message_feedback_daily', 'rater'), '42501', 'the aggregate is not for users');
select is(tests.sqlstate_of($$ insert into public.message_feedback_daily (model) values ('x') $$, 'service_role'), '42501',
  'and read-only for everyone: 42501 (not the rewriter''s 55000, an HTTP 500)');

-- a reply's rating goes with the reply
select is(tests.affected(format($$ delete from public.chat_messages where id = %L $$, :'q1'), 'rater'), 1::bigint, 'deleting the turn');
select is((select count(*) from public.message_feedback where user_id = :'me'), 1::bigint, '... deletes the rating of its reply');

select * from finish();
rollback;
