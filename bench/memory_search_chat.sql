-- Chat-search benchmark data (scripts/bench_memory_search.sh): :messages chat messages, :heavy of
-- them by the benchmark user (bench.search_user_id(1)), the rest spread over the other users.
-- Deterministic (md5-based). Never part of the schema.
--
-- Each message: 8 words drawn (skewed toward the start of the list, roughly Zipf-like) from a
-- 190-word vocabulary, plus one rare token zq<n> (n = i % 10007: each in ~:messages / 10007
-- messages). So 'tea' is a common word, 'zq9999' a rare one (and, unlike zq42, no other token's prefix).
set maintenance_work_mem = '1GB';
set max_parallel_workers_per_gather = 0;

create table bench.words as
select row_number() over () - 1 as k, w
from unnest(string_to_array(
  'i you the a to and my is it of in that was for me we so be have with this not but on what just like do '
  'feel today about can really know think at are all if your day how time want get when out up one good '
  'more would there been from had work some go they now because am will or talk see then too help much '
  'by he she him her them us an as did went make made going need still sleep music song anime tea coffee '
  'friend family mother father sister brother school exam class teacher job boss office meeting project '
  'stress anxious happy sad tired angry calm excited worried lonely love hate hope dream night morning '
  'evening weekend movie book game football cricket rain sun weather city home room walk run gym food '
  'dinner lunch breakfast rice fish chicken pizza birthday party gift travel trip train bus phone message '
  'call online chat story idea plan goal habit practice guitar piano dance paint write read learn study '
  'career money rent health doctor medicine headache fever cold garden dog cat bird quiet loud zebra', ' ')) w;

-- the text of message i
create or replace function bench.chat_text(i bigint) returns text language sql immutable as $$
  select string_agg(w.w, ' ' order by j) || ' zq' || (i % 10007)
  from generate_series(1, 8) j
  join bench.words w on w.k = floor(190 * power((('x' || substr(md5(i || ':' || j), 1, 8))::bit(32)::int
                                                 / 4294967296.0 + 0.5), 2))::int
$$;

-- the benchmark user first (its messages newest), then the others round-robin
insert into public.chat_messages (user_id, message_text, sender_type, "timestamp")
select case when i <= :heavy then bench.search_user_id(1)
            else bench.search_user_id(2 + (i % greatest(:users - 1, 1))::int) end,
       bench.chat_text(i), case when i % 2 = 0 then 'ai' else 'user' end,
       timestamptz '2026-11-01' - i * interval '1 second'
from generate_series(1, :messages) i;
vacuum analyze public.chat_messages;
