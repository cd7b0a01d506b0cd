-- Chat turns with realistic texts for the insert-cost and context benchmarks: 2,000 pairs of a
-- user message (corpus messages of at most 1,000 characters) and an AI reply (at most 4,000).
drop table if exists bench.chat_samples;
create table bench.chat_samples as
with u as (select row_number() over (order by id) as n, t from bench.token_corpus where char_length(t) <= 1000),
     a as (select row_number() over (order by id desc) as n, t from bench.token_corpus where char_length(t) <= 4000)
select u.n::integer as id, u.t as user_text, a.t as ai_text
from u join a using (n)
where u.n <= 2000;
alter table bench.chat_samples add primary key (id);
grant select on bench.chat_samples to authenticated, service_role;
analyze bench.chat_samples;
