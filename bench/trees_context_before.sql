-- The database migrated only up to just before the conversation trees (scripts/bench.sh, "trees"):
-- the same two 100,000-message sessions as bench/trees_context.sql, both linear here (there are no
-- branches before the trees), same ids, texts and spacing: bench user 300002's session
-- bench.trees_context_session(2) is row for row the linear session there, so get_chat_context on
-- it compares the window before and after the migrations; 300001's keeps the table as large as
-- there (for the store_chat_pair comparison on these two databases). Needs bench/chat_samples.sql.
insert into auth.users (id, email, raw_user_meta_data)
select bench.user_id(n), 'trees' || n || '@example.test', '{"full_name": "Trees User"}'
from generate_series(300001, 300002) n
on conflict (id) do nothing;

create or replace function bench.trees_context_session(k int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-9100-' || lpad(k::text, 12, '0'))::uuid
$$;
create or replace function bench.trees_message_id(p_tag text, p_turn int, p_slot int) returns uuid
language sql immutable as $$
  select ('00000000-0000-4000-' || p_tag || '-' || lpad((p_turn * 4 + p_slot)::text, 12, '0'))::uuid
$$;

insert into public.chat_sessions (id, user_id)
values (bench.trees_context_session(1), bench.user_id(300001)),
       (bench.trees_context_session(2), bench.user_id(300002))
on conflict (id) do nothing;

-- (50,000 turns each; bench/trees_context.sql's branched session holds 46,512 turns in as many rows)
insert into public.chat_messages (id, user_id, message_text, sender_type, session_id, "timestamp", reply_to)
select r.id, r.user_id, r.message_text, r.sender_type, r.session_id, r.at, r.reply_to
from (select k, i, s.user_text, s.ai_text, now() - (50000 + 1 - i) * interval '1 minute' as at,
             case k when 1 then 'c001' else 'c002' end as tag
      from generate_series(1, 2) k
      cross join generate_series(1, 50000) i
      join bench.chat_samples s on s.id = 1 + (50000 - i) % (select count(*) from bench.chat_samples)) t
cross join lateral (values
  (t.at, bench.trees_message_id(t.tag, t.i, 0), bench.user_id(300000 + t.k), t.user_text, 'user',
   bench.trees_context_session(t.k), null::uuid),
  (t.at + interval '20 seconds', bench.trees_message_id(t.tag, t.i, 1), bench.user_id(300000 + t.k), t.ai_text, 'ai',
   bench.trees_context_session(t.k), bench.trees_message_id(t.tag, t.i, 0))
) r(at, id, user_id, message_text, sender_type, session_id, reply_to)
order by r.at, r.id;

vacuum analyze public.chat_messages;
vacuum analyze public.chat_sessions;
