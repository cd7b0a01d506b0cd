-- The invariants the crash and race suites check after their load (scripts/crash_test.sh,
-- scripts/race_test.sh): one row per invariant, `name|violations`; 0 violations means it holds.
-- Scoped to the suites' own data, so other rows in the database cannot make them fail:
--   psql -v user_ids='{uuid,…}' -v phones='+1555880%' -f isolation/invariants.sql
-- (user_ids: the users whose chat and music rows are checked; phones: a LIKE pattern for the
-- SMS sessions checked). Runs as a superuser: it reads every table and the recompute aggregate.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on

with users as (select unnest(:'user_ids'::uuid[]) as id),
-- what recompute_genre_preferences() would write: the aggregate over each user's history
history as (
  select i.user_id, convo.interaction_genre(i.audio_features) as genre,
         convo.genre_preference(i.rl_reward, i.created_at) as sums
  from public.music_interactions i
  where i.user_id in (select id from users) and convo.interaction_genre(i.audio_features) is not null
  group by 1, 2
),
prefs as (
  select * from public.music_genre_preferences p where p.user_id in (select id from users)
),
sessions as (
  select * from public.user_sessions s where s.phone_number like :'phones'
)
select 'every user message has exactly one reply', count(*)
from public.chat_messages q
where q.user_id in (select id from users) and q.sender_type = 'user'
  and (select count(*) from public.chat_messages a where a.reply_to = q.id) <> 1
union all
select 'every reply answers an earlier message of its user', count(*)
from public.chat_messages a
where a.user_id in (select id from users) and a.sender_type = 'ai'
  and not exists (select from public.chat_messages q
                  where q.id = a.reply_to and q.sender_type = 'user'
                    and q.user_id = a.user_id and q."timestamp" < a."timestamp")
union all
select 'chat_sessions.last_message_at is its newest message', count(*)
from public.chat_sessions s
where s.user_id in (select id from users)
  and s.last_message_at is distinct from (select max(m."timestamp") from public.chat_messages m
                                          where m.session_id = s.id)
union all
select 'genre preferences equal a recompute', count(*)
from prefs p full join history h on h.user_id = p.user_id and h.genre = p.genre
where p.user_id is null or h.user_id is null
   or p.interaction_count <> h.sums[1] or p.reward_sum <> h.sums[2]
   or p.weighted_reward_sum <> h.sums[3] or p.recency_weight_sum <> h.sums[4]
   or p.average_reward <> h.sums[2] / h.sums[1]
   or p.preference_score <> convo.preference_score(h.sums[3], h.sums[4])
union all
select 'one session per phone', count(*)
from (select phone_number from sessions group by 1 having count(*) <> 1) dup
union all
select 'user_sessions.total_messages equals its messages', count(*)
from sessions s
where s.total_messages <> (select count(*) from public.messages m where m.session_id = s.id);
