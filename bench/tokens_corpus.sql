-- The token benchmarks' corpus (tests/tokens/corpus.py: realistic chat in many scripts, code,
-- emoji), loaded by scripts/bench.sh with \copy into bench.token_corpus, and what is built on it.
create table if not exists bench.token_corpus (id integer primary key, t text not null);
-- out of line but uncompressed: a pass measures the tokenizer, not pglz decompression
alter table bench.token_corpus alter column t set storage external;
grant select on bench.token_corpus to authenticated, service_role;

-- count_tokens throughput of ONE backend (as tiktoken's single-threaded encode_ordinary is
-- measured): after a warm-up pass (the tokenizer is built once per backend), whole passes of
-- `sum(convo.count_tokens(t))` over the corpus until p_seconds have elapsed. No parallel workers.
create or replace function bench.count_tokens_throughput(
  p_seconds float8, out passes integer, out seconds float8, out bytes bigint, out tokens bigint)
language plpgsql
set max_parallel_workers_per_gather = 0
as $$
declare
  t0 timestamptz;
  pass_tokens bigint;
begin
  select sum(octet_length(c.t)), sum(convo.count_tokens(c.t)) into bytes, tokens from bench.token_corpus c;
  passes := 0;
  t0 := clock_timestamp();
  loop
    select sum(convo.count_tokens(c.t)) into pass_tokens from bench.token_corpus c;
    passes := passes + 1;
    seconds := extract(epoch from clock_timestamp() - t0);
    exit when seconds >= p_seconds;
  end loop;
end
$$;
