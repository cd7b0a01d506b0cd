-- Memory-search benchmark data (scripts/bench_memory_search.sh): :users users × :per_user memories
-- each, 1536-dimension "random but clustered" embeddings, generated in SQL and deterministic
-- (md5-based, no random()). Never part of the schema.
--
-- Shape: 64 cluster centres (entries uniform in [-1, 1]); memory i = centre[i % 64] + a[i % 1009]
-- + b[i % 997], where a and b are pools of smaller noise vectors (scales 0.5 and 0.25). Since
-- 1009 and 997 are coprime, every memory's vector is distinct. User u owns memories i ≡ u
-- (mod :users), i.e. 8 of the 64 clusters (~:per_user / 8 memories in each).
set maintenance_work_mem = '2GB';
set max_parallel_workers_per_gather = 0;
create schema if not exists bench;
grant usage on schema bench to authenticated, service_role;

create or replace function bench.search_user_id(n int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-a000-' || lpad(n::text, 12, '0'))::uuid
$$;
grant execute on function bench.search_user_id(int) to authenticated, service_role;

-- A deterministic vector: entries uniform in [-scale, scale] from md5(seed:dimension).
create or replace function bench.noise(p_seed text, p_scale float8) returns extensions.vector
language sql immutable as $$
  select ('[' || string_agg(((('x' || substr(md5(p_seed || ':' || d), 1, 8))::bit(32)::int / 2147483648.0) * p_scale)::text,
                            ',' order by d) || ']')::extensions.vector
  from generate_series(1, 1536) d
$$;

insert into auth.users (id, email, raw_user_meta_data)
select bench.search_user_id(n), 'search' || n || '@example.test', '{"full_name": "Search Bench User"}'
from generate_series(1, :users) n
on conflict (id) do nothing;

create table bench.centres as select c, bench.noise('c' || c, 1.0) as v from generate_series(0, 63) c;
create table bench.noise_a as select k, bench.noise('a' || k, 0.5) as v from generate_series(0, 1008) k;
create table bench.noise_b as select k, bench.noise('b' || k, 0.25) as v from generate_series(0, 996) k;

-- Loaded without the HNSW index (built once afterwards: much faster than row by row).
drop index if exists public.idx_user_memories_embedding;
insert into public.user_memories (user_id, memory_key, memory_value, memory_category, importance, embedding)
select bench.search_user_id(((i - 1) % :users) + 1), 'memory_' || i, 'remembered fact number ' || i,
       case i % 3 when 0 then 'preference' when 1 then 'family' else 'goal' end,
       case i % 3 when 0 then 'high' when 1 then 'medium' else 'low' end,
       c.v + a.v + b.v
from generate_series(1, :users * :per_user) i
join bench.centres c on c.c = i % 64
join bench.noise_a a on a.k = i % 1009
join bench.noise_b b on b.k = i % 997;
\timing on
create index idx_user_memories_embedding on public.user_memories using hnsw (embedding extensions.vector_cosine_ops);
\timing off

-- Query embeddings: for the benchmark user (1), near one of its clusters, with noise no memory has.
create table bench.search_queries as
select q, bench.centres.v + bench.noise('q' || q, 0.5) as v
from generate_series(1, 8) q
join bench.centres on bench.centres.c = (1 + :users * q) % 64;
grant select on bench.search_queries to authenticated, service_role;
vacuum analyze public.user_memories;
