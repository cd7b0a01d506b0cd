-- Memory and history search (migrations/…_memory_search.sql): keyword search over chat history
-- (always), and, where pgvector is installed, semantic and hybrid search over memories and chat
-- history. Without pgvector the semantic part is reported as skipped, with the reason.
begin;
select plan(72);

select tests.create_supabase_user('a', 'search-a@example.test') as a \gset
select tests.create_supabase_user('b', 'search-b@example.test') as b \gset
select exists (select from pg_extension where extname = 'vector') as has_vector \gset

-- Chat history of two users (as postgres: timestamps as given), sharing some words.
insert into public.chat_sessions (id, user_id) values ('c0000000-0000-4000-8000-000000000001', :'a');
insert into public.chat_messages (id, user_id, message_text, sender_type, session_id, "timestamp") values
  ('c1000000-0000-4000-8000-000000000001', :'a', 'I watched anime with my sister', 'user', null, now() - interval '5 min'),
  ('c1000000-0000-4000-8000-000000000002', :'a', 'anime anime anime marathon tonight', 'user', null, now() - interval '4 min'),
  ('c1000000-0000-4000-8000-000000000003', :'a', 'pizza for dinner', 'user', 'c0000000-0000-4000-8000-000000000001', now() - interval '3 min'),
  ('c1000000-0000-4000-8000-000000000004', :'a', 'we talked about the quantum garden', 'ai', 'c0000000-0000-4000-8000-000000000001', now() - interval '2 min'),
  ('c1000000-0000-4000-8000-000000000005', :'a', 'the garden is quiet', 'user', null, now() - interval '1 min'),
  ('c2000000-0000-4000-8000-000000000001', :'b', 'my secret zebra loves anime', 'user', null, now() - interval '5 min'),
  ('c2000000-0000-4000-8000-000000000002', :'b', 'a quantum garden of my own', 'user', null, now() - interval '4 min');
-- Enough rows for the planner to prefer indexes: b has many messages, a a few hundred.
insert into public.chat_messages (user_id, message_text, sender_type, "timestamp")
select case when n % 10 = 0 then :'a'::uuid else :'b'::uuid end, 'filler message number ' || n, 'user',
       now() - interval '1 day' - n * interval '1 second'
from generate_series(1, 3000) n;
-- as autovacuum would: move the GIN index's pending entries (fastupdate) into the index proper
select gin_clean_pending_list('public.idx_chat_messages_user_tsv') >= 0 as cleaned \gset
analyze public.chat_messages;

create temp table found (id uuid);
grant all on found to authenticated, service_role;


-- Keyword search: search_chat_history --------------------------------------------------------------

select tests.authenticate_as('a');
select results_eq($$ select message_text from public.search_chat_history('anime') $$,
  array['anime anime anime marathon tonight', 'I watched anime with my sister'],
  'a user finds their own messages with the word, best ranked first (ts_rank_cd: more occurrences)');
select is_empty($$ select from public.search_chat_history('zebra') $$,
  'a word only another user wrote finds nothing');
insert into found select id from public.search_chat_history('anime OR garden OR quantum OR secret', 200);
select results_eq($$ select message_text from public.search_chat_history('garden') $$,
  array['the garden is quiet', 'we talked about the quantum garden'], 'equal rank: newest first');
select results_eq($$ select message_text from public.search_chat_history('"quantum garden"') $$,
  array['we talked about the quantum garden'], 'a "quoted phrase" matches the words in that order');
select results_eq($$ select message_text from public.search_chat_history('garden -quantum') $$,
  array['the garden is quiet'], '-word excludes');
select results_eq($$ select message_text from public.search_chat_history('pizza or garden', 20, 'c0000000-0000-4000-8000-000000000001') $$,
  array['we talked about the quantum garden', 'pizza for dinner'],
  '"or", and p_session_id keeps one session');
select results_eq($$ select message_text from public.search_chat_history('ANIME', 1) $$,
  array['anime anime anime marathon tonight'], 'case-insensitive, at most p_limit rows');
select ok((select bool_and(rank > 0) from public.search_chat_history('anime')), 'each row carries its rank');
select is_empty($$ select from public.search_chat_history('!!! ?') $$, 'a query without any word finds nothing (no error)');

-- The index serves a signed-in user (the reason search_chat_history is SECURITY DEFINER): the
-- user's call scans idx_chat_messages_user_tsv (this transaction's own index statistics).
select pg_stat_get_xact_numscans('public.idx_chat_messages_user_tsv'::regclass) as scans_before \gset
select results_eq($$ select message_text from public.search_chat_history('quiet') $$,
  array['the garden is quiet'], 'a rare word among hundreds of the user''s messages');
select cmp_ok(pg_stat_get_xact_numscans('public.idx_chat_messages_user_tsv'::regclass), '>', :'scans_before'::bigint,
  'a signed-in user''s search_chat_history used the GIN index on (user_id, message_tsv)');

-- ...while a plain query under RLS cannot use `@@` as an index condition (it is not LEAKPROOF).
create temp table plan_lines (line text);
grant all on plan_lines to authenticated;
do $$ declare l text; begin
  for l in execute $q$ explain select id from public.chat_messages
                        where message_tsv @@ websearch_to_tsquery('simple', 'quiet') $q$ loop
    insert into plan_lines values (l);
  end loop;
end $$;
select is_empty($$ select from plan_lines where line ~ 'Index Cond: .*message_tsv @@' $$,
  'EXPLAIN under RLS: the user''s own `@@` query is no index condition (hence the definer function)');
select tests.reset_authentication();
truncate plan_lines;
do $$ declare l text; begin
  for l in execute format($q$ explain select id from public.chat_messages
                             where user_id = %L and message_tsv @@ websearch_to_tsquery('simple', 'quiet') $q$,
                          (select id from auth.users where email = 'search-a@example.test')) loop
    insert into plan_lines values (l);
  end loop;
end $$;
select isnt_empty($$ select from plan_lines where line ~ 'idx_chat_messages_user_tsv' $$,
  'EXPLAIN of the definer''s predicate (user_id = … and message_tsv @@ …): the (user_id, message_tsv) index');

-- Never another user's row: everything a found is a's.
select is((select count(*) from found f join public.chat_messages m on m.id = f.id where m.user_id <> :'a'), 0::bigint,
  'search_chat_history never returned another user''s message');
select is((select count(*) from found), 4::bigint, 'a found all four of their own matching messages');

-- The service role names the user and gets the same answer.
select tests.authenticate_as_service_role();
select results_eq(format($$ select message_text from public.search_chat_history('anime', 20, null, %L) $$, :'a'),
  array['anime anime anime marathon tonight', 'I watched anime with my sister'], 'the service role searches the user it names');
select results_eq(format($$ select message_text from public.search_chat_history('zebra', 20, null, %L) $$, :'b'),
  array['my secret zebra loves anime'], '...and only that user');
select throws_ok($$ select * from public.search_chat_history('anime') $$, '22023',
  'p_user_id is required when calling with the service role key', 'the service role naming nobody: 22023');

select tests.authenticate_as('a');
select throws_ok(format($$ select * from public.search_chat_history('zebra', 20, null, %L) $$, :'b'), '42501',
  'p_user_id must be omitted or be the signed-in user', 'a user naming another user: 42501');
select throws_ok(format($$ select * from convo.search_chat_history(%L, 'zebra', 20, null) $$, :'b'), '42501',
  null, 'the definer function itself refuses another user too');
select throws_ok($$ select * from public.search_chat_history('   ') $$, '22023', 'p_query must not be empty', 'a blank query: 22023');
select throws_ok($$ select * from public.search_chat_history(null) $$, '22023', 'p_query must not be empty', 'a null query: 22023');
select throws_ok(format($$ select * from public.search_chat_history(%L) $$, repeat('x', 1001)), '22023',
  'p_query is too long', 'a query over 1000 characters: 22023');
select throws_ok($$ select * from public.search_chat_history('anime', 0) $$, '22023', 'p_limit must be between 1 and 200', 'p_limit 0: 22023');
select throws_ok($$ select * from public.search_chat_history('anime', 201) $$, '22023', 'p_limit must be between 1 and 200', 'p_limit 201: 22023');
select throws_ok($$ select * from public.search_chat_history('anime', -5) $$, '22023', 'p_limit must be between 1 and 200', 'p_limit -5: 22023');

select tests.clear_authentication();
select throws_ok($$ select * from public.search_chat_history('anime') $$, '42501', null, 'anon: 42501');

-- The seed's own search keeps working: `.ilike('message_text', '%…%')` (as the user, and the backend).
select tests.authenticate_as('a');
select results_eq($$ select message_text from public.chat_messages where message_text ilike '%ANIME%' order by "timestamp" desc $$,
  array['anime anime anime marathon tonight', 'I watched anime with my sister'], 'the seed''s ilike search, as the user');
select tests.authenticate_as_service_role();
select results_eq(format($$ select message_text from public.chat_messages where user_id = %L and message_text ilike '%%zebra%%' $$, :'b'),
  array['my secret zebra loves anime'], 'the seed''s ilike search, as the backend');

-- message_tsv is the database's
select tests.authenticate_as('a');
select throws_ok(format($$ insert into public.chat_messages (user_id, message_text, sender_type, message_tsv) values (%L, 'x', 'user', 'x') $$, :'a'),
  '428C9', null, 'message_tsv cannot be written by a client');
select tests.reset_authentication();
select is((select message_tsv from public.chat_messages where id = 'c1000000-0000-4000-8000-000000000005'),
  to_tsvector('simple', 'the garden is quiet'), 'message_tsv: the message''s words, config simple (no stop words dropped)');


-- Semantic and hybrid search (pgvector) ---------------------------------------------------------------

\if :has_vector

-- A 1536-dimension vector: mostly along axis p_axis, with p_tilt along axis p_axis + 1 (so vectors on
-- the same axis are near each other, and the tilt orders them).
create function pg_temp.vec(p_axis integer, p_tilt float8 default 0) returns extensions.vector
language sql immutable as $$
  select ('[' || array_to_string(array(select case when d = p_axis then 1 when d = p_axis + 1 then p_tilt else 0 end
                                       from generate_series(1, 1536) d), ',') || ']')::extensions.vector
$$;
grant execute on function pg_temp.vec(integer, float8) to authenticated, service_role, anon;

select ok((select atttypid = 'extensions.vector'::regtype and atttypmod = 1536 from pg_attribute
           where attrelid = 'public.user_memories'::regclass and attname = 'embedding'),
          'user_memories.embedding is vector(1536)');
select ok((select atttypid = 'extensions.vector'::regtype and atttypmod = 1536 from pg_attribute
           where attrelid = 'public.chat_messages'::regclass and attname = 'embedding'),
          'chat_messages.embedding is vector(1536)');
select results_eq(
  $$ select (c.relname || ' ' || a.amname || ' ' || o.opcname) collate "default"
     from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
     join pg_opclass o on o.oid = i.indclass[0]
     where i.indrelid in ('public.user_memories'::regclass, 'public.chat_messages'::regclass)
       and a.amname in ('hnsw', 'ivfflat') order by 1 $$,
  array['idx_chat_messages_embedding hnsw vector_cosine_ops', 'idx_user_memories_embedding hnsw vector_cosine_ops'],
  'one HNSW cosine index per embedding column; the IVFFlat index is gone');
select is(convo.install_semantic_search(), true, 'convo.install_semantic_search() again: true, nothing to do');
select is((select count(*) from pg_indexes where tablename in ('user_memories', 'chat_messages') and indexdef ~ 'hnsw'),
  2::bigint, '...and no second index');
select ok(not has_function_privilege('authenticated', 'convo.install_semantic_search()', 'execute')
          and not has_function_privilege('service_role', 'convo.install_semantic_search()', 'execute')
          and not has_function_privilege('anon', 'convo.install_semantic_search()', 'execute'),
  'install_semantic_search is for migrations and administrators only');

-- a's memories: axes 1..6 (categories alternate); b's: the very same vectors.
insert into public.user_memories (id, user_id, memory_key, memory_value, memory_category, importance, embedding)
select ('d1000000-0000-4000-8000-00000000000' || i)::uuid, :'a', 'memory_' || i,
       case i when 1 then 'likes green tea' when 2 then 'sister named Mitu' when 3 then 'tea, tea ceremony in Kyoto'
              else 'fact number ' || i end,
       case when i % 2 = 0 then 'family' else 'preference' end, 'medium', pg_temp.vec(10, i * 0.1)
from generate_series(1, 6) i;
insert into public.user_memories (user_id, memory_key, memory_value, embedding)
select :'b', 'memory_' || i, 'b fact ' || i || ' tea', pg_temp.vec(10, i * 0.1) from generate_series(1, 6) i;
insert into public.user_memories (user_id, memory_key, memory_value) values (:'a', 'no_embedding', 'coffee without a vector');

select tests.authenticate_as('a');
select results_eq($$ select memory_key from public.match_memories(pg_temp.vec(10, 0.1), 3) $$,
  array['memory_1', 'memory_2', 'memory_3'], 'match_memories: the user''s nearest memories, best first');
select results_eq($$ select round(similarity::numeric, 6), content, metadata from public.match_memories(pg_temp.vec(10, 0.1), 1) $$,
  $$ values (1.000000, 'likes green tea'::text, '{"memory_key": "memory_1", "memory_category": "preference", "importance": "medium"}'::jsonb) $$,
  'the match_documents shape: content, metadata, similarity = 1 - cosine distance');
select is((select count(*) from public.match_memories(pg_temp.vec(10, 0.1), 200) m
           where m.user_id <> (select auth.uid())), 0::bigint,
  'never another user''s memory (b has identical vectors); memories without an embedding are not matched');
select results_eq($$ select memory_key from public.match_memories(pg_temp.vec(10, 0.1), 2, '{"memory_category": "family"}') $$,
  array['memory_2', 'memory_4'], 'the filter applies before the limit: 2 family memories, not 2 nearest then filtered');
select is_empty($$ select from public.match_memories(pg_temp.vec(10, 0.1), 5, '{"importance": "high"}') $$,
  'a filter nothing matches: no rows');

-- each memory returned counts as a read
select tests.reset_authentication();
select results_eq(format($$ select memory_key, access_count, last_accessed = now() from public.user_memories
                            where user_id = %L and memory_key in ('memory_1', 'memory_2', 'memory_3', 'memory_4', 'memory_5') order by 1 $$, :'a'),
  $$ values ('memory_1'::text, 3, true), ('memory_2', 3, true), ('memory_3', 2, true), ('memory_4', 2, true), ('memory_5', 1, true) $$,
  'access_count / last_accessed: +1 on exactly each memory returned');
select is((select access_count from public.user_memories where user_id = :'b' and memory_key = 'memory_1'), 0,
  'the other user''s memories are untouched');
select tests.authenticate_as_service_role();
select results_eq(format($$ select memory_key, access_count from public.match_memories(pg_temp.vec(10, 0.1), 1, '{}', %L) $$, :'a'),
  $$ values ('memory_1'::text, 4) $$, 'the service role names the user; its read counts too (and the row shows the new count)');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10)) $$, '22023', null, 'the service role naming nobody: 22023');

select tests.authenticate_as('a');
select throws_ok(format($$ select * from public.match_memories(pg_temp.vec(10), 3, '{}', %L) $$, :'b'), '42501', null,
  'a user naming another user: 42501');
select throws_ok($$ select * from public.match_memories(null) $$, '22023', 'the query embedding is required', 'a null embedding: 22023');
select throws_ok($$ select * from public.match_memories('[1,2,3]') $$, '22023', 'the query embedding must have 1536 dimensions',
  'a 3-dimension embedding: 22023');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10), 0) $$, '22023', 'match_count must be between 1 and 200', 'match_count 0: 22023');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10), -1) $$, '22023', 'match_count must be between 1 and 200', 'match_count -1: 22023');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10), 201) $$, '22023', 'match_count must be between 1 and 200', 'match_count 201: 22023');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10), null) $$, '22023', 'match_count must be between 1 and 200', 'match_count null: 22023');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10), 3, '[1]') $$, '22023', 'filter must be a JSON object', 'a filter that is no object: 22023');
select throws_ok($$ select * from public.match_memories(pg_temp.vec(10), 3, '{"source": "x"}') $$, '22023',
  'filter may only use the keys memory_key, memory_category, importance', 'an unknown filter key: 22023');
select tests.reset_authentication();
select is((select sum(access_count) from public.user_memories where user_id = :'a'), 13::bigint,
  'refused calls recorded no read');

-- Embeddings are written by their owner (RLS) and the service role; a wrong dimension is the type's 400.
select tests.authenticate_as('a');
select is(tests.affected(format($$ update public.user_memories set embedding = pg_temp.vec(20) where user_id = %L and memory_key = 'no_embedding' $$, :'a')),
  1::bigint, 'the owner sets their memory''s embedding');
select is(tests.affected(format($$ update public.user_memories set embedding = pg_temp.vec(20) where user_id = %L $$, :'b')),
  0::bigint, 'not another user''s');
select throws_ok(format($$ update public.user_memories set embedding = '[1,2,3]' where user_id = %L $$, :'a'),
  '22000', 'expected 1536 dimensions, not 3', 'a wrong dimension: pgvector''s own error (22000, HTTP 400)');
select lives_ok(format($$ insert into public.chat_messages (user_id, message_text, sender_type, embedding)
                          values (%L, 'tea with embedding', 'user', pg_temp.vec(30)) $$, :'a'),
  'the owner writes a chat message with its embedding');

-- match_chat_messages: b has many messages nearer to the query than a's; a still gets a's own.
select tests.reset_authentication();
insert into public.chat_messages (user_id, message_text, sender_type, embedding)
select :'b', 'b near ' || n, 'user', pg_temp.vec(40, n * 0.001) from generate_series(1, 300) n;
insert into public.chat_messages (user_id, message_text, sender_type, embedding, session_id)
select :'a', 'a tea talk ' || n, case when n % 2 = 0 then 'ai' else 'user' end, pg_temp.vec(40, 0.5 + n * 0.01),
       case when n <= 2 then 'c0000000-0000-4000-8000-000000000001'::uuid end
from generate_series(1, 8) n;
analyze public.chat_messages;
select tests.authenticate_as('a');
select results_eq($$ select content from public.match_chat_messages(pg_temp.vec(40), 3) $$,
  array['a tea talk 1', 'a tea talk 2', 'a tea talk 3'], 'match_chat_messages: the user''s nearest messages, best first');
select results_eq($$ select content from public.match_chat_messages(pg_temp.vec(40), 2, '{"sender_type": "ai"}') $$,
  array['a tea talk 2', 'a tea talk 4'], 'its filter applies inside the search');
-- through the HNSW index (sorting off makes the planner take it), iterative scan skips b's 300 rows
set local enable_sort = off;
select pg_stat_get_xact_numscans('public.idx_chat_messages_embedding'::regclass) as hnsw_before \gset
select results_eq($$ select content from public.match_chat_messages(pg_temp.vec(40), 5) $$,
  array['a tea talk 1', 'a tea talk 2', 'a tea talk 3', 'a tea talk 4', 'a tea talk 5'],
  'through the HNSW index: 5 of the user''s rows although 300 nearer rows are another user''s (iterative scan)');
select cmp_ok(pg_stat_get_xact_numscans('public.idx_chat_messages_embedding'::regclass), '>', :'hnsw_before'::bigint,
  '...and that search did use the HNSW index');
reset enable_sort;
select ok((select 'hnsw.iterative_scan=relaxed_order' = any (proconfig) from pg_proc
           where oid = 'public.match_chat_messages(extensions.vector, integer, jsonb, uuid)'::regprocedure),
  'match_chat_messages runs with hnsw.iterative_scan = relaxed_order');
select throws_ok($$ select * from public.match_chat_messages(pg_temp.vec(40), 3, '{"memory_key": "x"}') $$, '22023',
  'filter may only use the keys session_id, sender_type, mood_detected', 'match_chat_messages: an unknown filter key: 22023');

-- Hybrid: reciprocal rank fusion, k = 60.
select results_eq($$ select memory_key, keyword_rank, semantic_rank, round(score::numeric, 10)
                     from public.hybrid_search_memories('tea', pg_temp.vec(10, 0.3), 3) $$,
  $$ values ('memory_3'::text, 1, 1, round(2 / 61.0, 10)),
            ('memory_1', 2, 5, round(1 / 62.0 + 1 / 65.0, 10)),
            ('memory_4', null, 2, round(1 / 62.0, 10)) $$,
  'hybrid_search_memories: score = 1/(60 + keyword rank) + 1/(60 + semantic rank), best first');
select is((select count(*) from public.hybrid_search_memories('tea', pg_temp.vec(10), 200) h where h.user_id <> :'a'), 0::bigint,
  'hybrid_search_memories: only the user''s memories (b''s are all about tea)');
create temp table hybrid as select * from public.hybrid_search_chat_messages('tea', pg_temp.vec(40), 6);
select ok((select count(*) = 6 and bool_and(score = coalesce(1.0 / (60 + keyword_rank), 0) + coalesce(1.0 / (60 + semantic_rank), 0))
                  and count(*) filter (where keyword_rank is not null and semantic_rank is not null) > 0
                  and array_agg(score) = array_agg(score order by score desc)
           from hybrid),
  'hybrid_search_chat_messages: RRF scores (k = 60), best first, rows found by both searches among them');
select is((select count(*) from public.hybrid_search_chat_messages('near', pg_temp.vec(40), 50)), 9::bigint,
  'hybrid_search_chat_messages: only the user''s messages (b''s 300 "near" messages are nearer)');
select throws_ok($$ select * from public.hybrid_search_memories('', pg_temp.vec(10)) $$, '22023', 'p_query must not be empty',
  'hybrid: an empty query: 22023');
select throws_ok($$ select * from public.hybrid_search_chat_messages('tea', '[1]') $$, '22023',
  'the query embedding must have 1536 dimensions', 'hybrid: a wrong dimension: 22023');

\else
select skip('pgvector is not installed on this server (no vector extension): semantic and hybrid search are disabled, their 41 tests were not run. Install pgvector 0.8 (scripts/bootstrap.sh installs it from Debian''s registry), then `select convo.install_semantic_search();`', 41);
\endif

select * from finish();
rollback;
