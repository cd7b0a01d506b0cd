-- Conversation trees (domain 11), branches: regenerate_reply, edit_user_message, switch_branch,
-- and get_chat_history / get_chat_context following the current branch, with sibling positions.
begin;
select plan(60);

select tests.create_supabase_user('brancher', 'brancher@trees.test') as me \gset
select tests.create_supabase_user('stranger', 'stranger@trees.test') as other \gset
\set s '''b0b0b0b0-0000-4000-8000-000000000001'''
\set t '''b0b0b0b0-0000-4000-8000-000000000002'''

-- a linear session of three turns, stored as the seed does
select tests.value_of(format($$ select public.store_chat_pair(p_user_message => 'first question', p_ai_response => 'first answer', p_session_id => %L) $$, :s), 'brancher') as a1 \gset
select tests.value_of(format($$ select public.store_chat_pair(p_user_message => 'second question', p_ai_response => 'second answer', p_session_id => %L) $$, :s), 'brancher') as a2 \gset
select tests.value_of(format($$ select public.store_chat_pair(p_user_message => 'third question', p_ai_response => 'third answer', p_session_id => %L) $$, :s), 'brancher') as a3 \gset
select reply_to as u1 from public.chat_messages where id = :'a1' \gset
select reply_to as u2 from public.chat_messages where id = :'a2' \gset
select reply_to as u3 from public.chat_messages where id = :'a3' \gset

-- the tree of a linear session
select results_eq(format($$ select m.message_text, p.message_text from public.chat_messages m
                            left join public.chat_messages p on p.id = m.parent_id
                            where m.session_id = %L order by m."timestamp" $$, :s),
  $$ values ('first question', null), ('first answer', 'first question'), ('second question', 'first answer'),
            ('second answer', 'second question'), ('third question', 'second answer'), ('third answer', 'third question') $$,
  'store_chat_pair continues the branch: each message''s parent is the one before it');
select is(convo.chat_session_tip(:s), :'a3'::uuid, 'the current leaf is the newest reply');
select is(tests.value_of(format('select s.current_leaf_id from public.chat_sessions s where s.id = %L', :s), 'brancher'), :'a3',
  'current_leaf_id: the computed column a client selects');
select results_eq(format($$ select user_message, ai_response, user_sibling_index, user_sibling_count, ai_sibling_index, ai_sibling_count
                            from public.get_chat_history(p_session_id => %L, p_user_id => %L) $$, :s, :'me'),
  $$ values ('third question', 'third answer', 1, 1, 1, 1), ('second question', 'second answer', 1, 1, 1, 1),
            ('first question', 'first answer', 1, 1, 1, 1) $$,
  'a linear session is a tree without siblings');

-- regenerate the second reply
select tests.value_of(format($$ select public.regenerate_reply(%L, 'second answer, again') $$, :'u2'), 'brancher') as a2b \gset
select is((select reply_to from public.chat_messages where id = :'a2b'), :'u2'::uuid, 'the regenerated reply answers the same message');
select is(convo.chat_session_tip(:s), :'a2b'::uuid, 'and is the current leaf');
select results_eq(format($$ select user_message, ai_response, ai_sibling_index, ai_sibling_count
                            from public.get_chat_history(p_session_id => %L, p_user_id => %L) $$, :s, :'me'),
  $$ values ('second question', 'second answer, again', 2, 2), ('first question', 'first answer', 1, 1) $$,
  'history follows the new branch: the third turn is on the old one; "2 / 2"');
select is(tests.row_count(format('select * from public.get_chat_history(p_session_id => %L)', :s), 'brancher'), 2::bigint,
  'as the user, the same branch');
select results_eq(format($$ select user_message, ai_response from public.get_chat_history(p_user_id => %L) $$, :'me'),
  $$ values ('third question', 'third answer'), ('second question', 'second answer, again'), ('first question', 'first answer') $$,
  'without a session: every turn, each user message with its newest reply');

-- continue on the new branch, then switch back to the old reply
select tests.value_of(format($$ select public.store_chat_pair(p_user_message => 'fourth question', p_ai_response => 'fourth answer', p_session_id => %L) $$, :s), 'brancher') as a4 \gset
select is((select previous_id from public.chat_messages where id = (select reply_to from public.chat_messages where id = :'a4')),
  :'a2b'::uuid, 'the next pair follows the regenerated reply');
select is(tests.value_of(format($$ select public.switch_branch(%L) $$, :'a2'), 'brancher'), :'a3',
  'switch_branch to the old reply: its newest leaf (the third answer) becomes current');
select results_eq(format($$ select user_message, ai_response, ai_sibling_index, ai_sibling_count
                            from public.get_chat_history(p_session_id => %L, p_user_id => %L) $$, :s, :'me'),
  $$ values ('third question', 'third answer', 1, 1), ('second question', 'second answer', 1, 2), ('first question', 'first answer', 1, 1) $$,
  'history is the old branch again: "1 / 2" on the second reply');
select is(tests.value_of(format($$ select public.switch_branch(%L) $$, :'u2'), 'brancher'), :'a4',
  'switch_branch to a user message: the newest leaf anywhere under it');
select is(tests.value_of(format($$ select public.switch_branch(%L) $$, :'a3'), 'brancher'), :'a3',
  'switch_branch to a leaf: that leaf');
select tests.value_of(format($$ select public.store_chat_pair(p_user_message => 'after the switch', p_ai_response => 'on the old branch', p_session_id => %L) $$, :s), 'brancher') as a5 \gset
select is((select previous_id from public.chat_messages where id = (select reply_to from public.chat_messages where id = :'a5')),
  :'a3'::uuid, 'a pair stored after a switch continues the picked branch');
select is(convo.chat_session_tip(:s), :'a5'::uuid, 'and is the current leaf from then on');

-- edit the first message: a new root with its reply
select tests.value_of(format($$ select public.edit_user_message(%L, 'first question, edited', 'edited answer', p_mood => 'curious') $$, :'u1'), 'brancher') as e1 \gset
select reply_to as eu1 from public.chat_messages where id = :'e1' \gset
select results_eq(format($$ select message_text, previous_id, mood_detected from public.chat_messages where id = %L $$, :'eu1'),
  format($$ values ('first question, edited'::text, null::uuid, 'curious'::text) $$),
  'editing the first message makes a second first message (no parent)');
select results_eq(format($$ select user_message, ai_response, user_sibling_index, user_sibling_count
                            from public.get_chat_history(p_session_id => %L, p_user_id => %L) $$, :s, :'me'),
  $$ values ('first question, edited', 'edited answer', 2, 2) $$,
  'history: only the edited turn, "2 / 2"');
select tests.value_of(format($$ select public.edit_user_message(%L, 'third question, edited', 'third edited answer') $$, :'u3'), 'brancher') as e3 \gset
select is((select previous_id from public.chat_messages where id = (select reply_to from public.chat_messages where id = :'e3')),
  :'a2'::uuid, 'editing a later message: a sibling that follows the same reply');
select results_eq(format($$ select user_message, user_sibling_index, user_sibling_count, ai_sibling_index, ai_sibling_count
                            from public.get_chat_history(p_session_id => %L, p_user_id => %L) $$, :s, :'me'),
  $$ values ('third question, edited', 2, 2, 1, 1), ('second question', 1, 1, 1, 2), ('first question', 1, 2, 1, 1) $$,
  'positions on the branch: the edited third, the first of two second replies, the first of two first messages');
select is(tests.row_count(format('select * from public.get_chat_history(1, 2, %L, %L)', :s, :'me')), 1::bigint, 'p_limit / p_offset along the branch');
select is(tests.value_of(format('select user_message from public.get_chat_history(1, 2, %L, %L)', :s, :'me')), 'first question', '... the third pair from the leaf');

-- the context window follows the branch too
select is(tests.value_of(format($$ select string_agg(m ->> 'content', ' | ' order by n)
                                   from jsonb_array_elements(public.get_chat_context(1000, %L) -> 'messages') with ordinality e(m, n) $$, :s), 'brancher'),
  'first question | first answer | second question | second answer | third question, edited | third edited answer',
  'get_chat_context(p_session_id): the current branch, oldest first');
select is(tests.value_of(format($$ select string_agg((m ->> 'sibling_index') || '/' || (m ->> 'sibling_count'), ' ' order by n)
                                   from jsonb_array_elements(public.get_chat_context(1000, %L) -> 'messages') with ordinality e(m, n) $$, :s), 'brancher'),
  '1/2 1/1 1/1 1/2 2/2 1/1', '... each message with its sibling position');
select is(tests.value_of(format($$ select (public.get_chat_context(1000, %L) -> 'messages' -> 1 ->> 'parent_id') $$, :s), 'brancher'),
  :'u1', '... and its parent');
select is(tests.value_of(format($$ select jsonb_array_length(public.get_chat_context(1000) -> 'messages') $$), 'brancher'),
  ((select count(*) from public.chat_messages where user_id = :'me' and sender_type = 'user') * 2)::text,
  'without a session: every turn of the user, once each (a regenerated turn is not counted twice)');
select is(tests.value_of(format($$ select (public.get_chat_context(1000) ->> 'message_tokens')::bigint
                                     = (select sum(m.token_count) from public.chat_messages m where m.user_id = %L
                                        and (m.sender_type = 'user' or m.id = (select r.id from public.chat_messages r where r.reply_to = m.reply_to
                                                                                order by r."timestamp" desc, r.id desc limit 1))) $$, :'me'), 'brancher'),
  'true', '... and message_tokens counts exactly those');
select is(tests.value_of(format($$ select jsonb_array_length(public.get_chat_context(
                                     (select sum(m.token_count)::int from public.chat_messages m where m.user_id = %L
                                        and (m.sender_type = 'user' or m.id = (select r.id from public.chat_messages r where r.reply_to = m.reply_to
                                                                                order by r."timestamp" desc, r.id desc limit 1)))) -> 'messages') $$, :'me'), 'brancher'),
  ((select count(*) from public.chat_messages where user_id = :'me' and sender_type = 'user') * 2)::text,
  '... and a budget of exactly that holds them all (the walk counts only the newest reply of a turn: src/tokens.rs)');

-- direct inserts are linked into the tree too
select tests.affected(format($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id)
                               values (auth.uid(), 'typed directly', 'user', %L) $$, :s), 'brancher');
select is((select previous_id from public.chat_messages where message_text = 'typed directly'), :'e3'::uuid,
  'a message inserted directly follows the current leaf');
select is(tests.sqlstate_of(format($$ insert into public.chat_messages (user_id, message_text, sender_type, session_id, previous_id)
                                      values (auth.uid(), 'x', 'user', %L, %L) $$, :t, :'a1'), 'brancher'), '23503',
  'previous_id in another session: 23503');
select is(tests.sqlstate_of(format($$ insert into public.chat_messages (user_id, message_text, sender_type, previous_id)
                                      values (auth.uid(), 'x', 'user', %L) $$, :'a1'), 'brancher'), '22023',
  'previous_id outside a session: 22023');

-- store_chat_pair: p_user_id may be omitted by a signed-in user (the defect: no such function, 404)
select ok(tests.value_of($$ select public.store_chat_pair(p_user_message => 'no user id', p_ai_response => 'fine') $$, 'brancher') is not null,
  'store_chat_pair without p_user_id, as the user');
select is(tests.sqlstate_of($$ select public.store_chat_pair(p_user_message => 'no user id', p_ai_response => 'fine') $$, 'service_role'), '22023',
  '... the service role must name the user');
select is(tests.sqlstate_of($$ select public.store_chat_pair(p_ai_response => 'fine') $$, 'brancher'), '22023',
  '... a missing message is blank: 22023');
select tests.value_of(format($$ select public.store_chat_pair(p_user_message => 'q', p_ai_response => 'a', p_session_id => %L,
                              p_model => 'gpt-4o-mini', p_prompt_tokens => 5, p_completion_tokens => 3) $$, :t), 'brancher') as am \gset
select is((select model from public.chat_messages where id = :'am'), 'gpt-4o-mini', 'p_model is kept on the reply');

-- the service role acts for the user it names
select tests.value_of(format($$ select public.regenerate_reply(%L, 'from the backend', p_user_id => %L) $$, :'u3', :'me'), 'service_role') as a3c \gset
select is((select user_id from public.chat_messages where id = :'a3c'), :'me'::uuid, 'regenerate_reply by the service role, for p_user_id');
select is(convo.chat_session_tip(:s), :'a3c'::uuid, '... current');
select is(tests.value_of(format($$ select public.switch_branch(%L, %L) $$, :'a2b', :'me'), 'service_role'), :'a4',
  'switch_branch by the service role');

-- refusals: nothing written
select count(*) as before from public.chat_messages \gset
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x') $$, :'a1'), 'brancher'), '22023', 'regenerate an AI message: 22023');
select is(tests.sqlstate_of(format($$ select public.edit_user_message(%L, 'x', 'y') $$, :'a1'), 'brancher'), '22023', 'edit an AI message: 22023');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x') $$, :'u1'), 'stranger'), 'PT404', 'another user''s message: PT404');
select is(tests.sqlstate_of($$ select public.regenerate_reply('b0b0b0b0-0000-4000-8000-00000000dead', 'x') $$, 'brancher'), 'PT404',
  '... the same answer as a message that does not exist');
select is(tests.sqlstate_of(format($$ select public.edit_user_message(%L, 'x', 'y') $$, :'u1'), 'stranger'), 'PT404', 'edit another user''s message: PT404');
select is(tests.sqlstate_of(format($$ select public.switch_branch(%L) $$, :'a1'), 'stranger'), 'PT404', 'switch to another user''s message: PT404');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x', p_user_id => %L) $$, :'u1', :'other'), 'service_role'), 'PT404',
  'the service role acting for a user who does not own the message: PT404');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x', p_user_id => %L) $$, :'u1', :'other'), 'brancher'), '42501',
  'a user naming someone else: 42501');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x') $$, :'u1'), 'anon'), '42501', 'anon: 42501');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, '   ') $$, :'u1'), 'brancher'), '22023', 'a blank reply: 22023');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, repeat('x', 20001)) $$, :'u1'), 'brancher'), '22023', 'a reply over 20000 characters: 22023');
select is(tests.sqlstate_of(format($$ select public.edit_user_message(%L, repeat('x', 5001), 'y') $$, :'u1'), 'brancher'), '22023', 'a message over 5000 characters: 22023');
select is(tests.sqlstate_of(format($$ select public.edit_user_message(%L, 'x', 'y', p_sentiment => 1.5) $$, :'u1'), 'brancher'), '22023', 'sentiment out of range: 22023');
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x', p_model => 'm') $$, :'u1'), 'brancher'), '22023', 'a model without usage: 22023');
select is(tests.sqlstate_of($$ select public.regenerate_reply(null, 'x') $$, 'brancher'), '22023', 'no message id: 22023');
select (select id from public.chat_messages where user_id = :'me' and session_id is null and sender_type = 'user' limit 1) as loose \gset
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x') $$, :'loose'), 'brancher'), '22023', 'a message outside a session: 22023');
select is(tests.sqlstate_of(format($$ select public.switch_branch(%L) $$, :'loose'), 'brancher'), '22023', 'switch to a message outside a session: 22023');
select is(tests.sqlstate_of(format($$ select public.store_chat_pair(p_user_message => ' ', p_ai_response => 'x', p_session_id => %L) $$, :s), 'stranger'), '22023',
  'a blank message into someone else''s session: 22023, as into a session that does not exist (content first: no existence oracle)');
select is(tests.sqlstate_of($$ select public.store_chat_pair(p_user_message => ' ', p_ai_response => 'x', p_session_id => 'b0b0b0b0-0000-4000-8000-00000000beef') $$, 'stranger'), '22023',
  '... the same answer');
select is((select count(*) from public.chat_messages), :'before'::bigint, 'nothing was written by the refused calls');
select unalike(tests.error_of($$ select public.regenerate_reply('b0b0b0b0-0000-4000-8000-00000000dead', 'SECRET-TEXT') $$, 'brancher'),
  '%SECRET-TEXT%', 'no error repeats the caller''s text');

-- quotas apply as to store_chat_pair
insert into public.user_token_limits (user_id, daily_token_limit) values (:'me', 10);
select is(tests.sqlstate_of(format($$ select public.regenerate_reply(%L, 'x', 'gpt-4o', 100, 100) $$, :'u1'), 'brancher'), 'PT429',
  'over the daily token limit: PT429');

select * from finish();
rollback;
