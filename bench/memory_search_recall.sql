-- Recall@10 for the benchmark user's queries (scripts/bench_memory_search.sh), each against exact
-- brute-force search in the same database: match_memories, the service role's unfiltered HNSW
-- search (against exact search over all users), and, for contrast, a user filter on the global
-- HNSW index without and with pgvector 0.8's iterative scan. Prints one line per measure.
set max_parallel_workers_per_gather = 0;

-- exact: the user's rows by the user_id index, sorted by distance (no HNSW: index scans off)
set enable_indexscan = off;
create temp table exact_user as
select q.q, m.id from bench.search_queries q,
  lateral (select m.id from public.user_memories m where m.user_id = bench.search_user_id(1)
           order by m.embedding <=> q.v limit 10) m;
create temp table exact_all as
select q.q, m.id from bench.search_queries q,
  lateral (select m.id from public.user_memories m order by m.embedding <=> q.v limit 10) m;
reset enable_indexscan;

create temp table got_match as
select q.q, m.id from bench.search_queries q,
  lateral public.match_memories(q.v, 10, '{}', bench.search_user_id(1)) m;
create temp table got_hnsw as
select q.q, m.id from bench.search_queries q,
  lateral (select m.id from public.user_memories m order by m.embedding <=> q.v limit 10) m;
-- the user filter on the global index (sorting off so that the planner takes the HNSW index)
set enable_sort = off;
set hnsw.iterative_scan = off;
create temp table got_filtered as
select q.q, m.id from bench.search_queries q,
  lateral (select m.id from public.user_memories m where m.user_id = bench.search_user_id(1)
           order by m.embedding <=> q.v limit 10) m;
set hnsw.iterative_scan = relaxed_order;
create temp table got_iterative as
select q.q, m.id from bench.search_queries q,
  lateral (select m.id from public.user_memories m where m.user_id = bench.search_user_id(1)
           order by m.embedding <=> q.v limit 10) m;
reset enable_sort;
reset hnsw.iterative_scan;

create function pg_temp.recall(p_got regclass, p_exact regclass) returns text language plpgsql as $$
declare r text;
begin
  execute format($q$ select format('%%s (%%s rows for %%s queries)',
                                   round((select count(*) from %s g join %s e using (q, id))::numeric
                                         / (10 * (select count(*) from bench.search_queries)), 3),
                                   (select count(*) from %s), (select count(*) from bench.search_queries)) $q$,
                 p_got, p_exact, p_got) into r;
  return r;
end $$;
select 'recall@10 match_memories (user 1, exact per-user scan)      ' || pg_temp.recall('got_match', 'exact_user');
select 'recall@10 service role, unfiltered HNSW (ef_search 40)      ' || pg_temp.recall('got_hnsw', 'exact_all');
select 'recall@10 user filter on global HNSW, no iterative scan     ' || pg_temp.recall('got_filtered', 'exact_user');
select 'recall@10 user filter on global HNSW, iterative relaxed     ' || pg_temp.recall('got_iterative', 'exact_user');
