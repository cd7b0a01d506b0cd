-- Conversation trees (domain 11), part 3: feedback on AI replies. A signed-in user rates an AI
-- reply of their own (+1 / -1, optionally a reason from a closed set and a short comment): one
-- rating per user and reply, changeable (upsert on user_id,message_id) and deletable. The app's
-- backend (service role) reads the daily aggregate per model.

create table public.message_feedback (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  message_id uuid not null,
  rating smallint not null,
  reason text,
  comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint message_feedback_pkey primary key (id),
  constraint message_feedback_user_message_key unique (user_id, message_id),
  constraint message_feedback_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint message_feedback_message_id_fkey foreign key (message_id)
    references public.chat_messages (id) on delete cascade,
  constraint message_feedback_rating_check check (rating in (-1, 1)),
  -- the reasons chat products ask for after a thumbs down (and up)
  constraint message_feedback_reason_check check (reason in (
    'inaccurate', 'unhelpful', 'did_not_follow_instructions', 'refused', 'unsafe', 'too_long',
    'too_short', 'style', 'helpful', 'accurate', 'creative', 'other')),
  constraint message_feedback_comment_length_check check (char_length(comment) <= 1000)
);
comment on table public.message_feedback is
  'A user''s rating of an AI reply in their own chat history: rating +1 / -1, optional reason (closed set) and comment (at most 1000 characters). One per user and reply: change it with an upsert on (user_id, message_id), remove it with a delete.';
comment on column public.message_feedback.reason is
  'One of: inaccurate, unhelpful, did_not_follow_instructions, refused, unsafe, too_long, too_short, style, helpful, accurate, creative, other.';

-- the unique key leads with user_id (the policies' column); message_id's foreign key has its own
create index idx_message_feedback_message on public.message_feedback (message_id);

-- The rated message must be an AI reply of the rating's user: another user's message and none are
-- the same answer (23503, as a bad foreign key); the user's own non-AI message is 22023.
-- Security invoker: a signed-in user sees only their own messages; the service role all.
create function convo.message_feedback_check_message()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_sender text;
begin
  select m.sender_type into v_sender
  from public.chat_messages m where m.id = new.message_id and m.user_id = new.user_id;
  if not found then
    raise exception 'message_id must be one of your own AI replies' using errcode = '23503';
  end if;
  if v_sender <> 'ai' then
    raise exception 'only AI replies can be rated' using errcode = '22023';
  end if;
  return new;
end
$$;
comment on function convo.message_feedback_check_message() is
  'BEFORE INSERT OR UPDATE OF user_id, message_id on public.message_feedback: the message must be an AI reply of the same user (23503 otherwise; the user''s own non-AI message: 22023).';
revoke execute on function convo.message_feedback_check_message() from public;

create trigger message_feedback_check_message
  before insert or update of user_id, message_id on public.message_feedback
  for each row execute function convo.message_feedback_check_message();

create trigger message_feedback_touch_updated_at
  before update on public.message_feedback
  for each row execute function convo.touch_updated_at();

alter table public.message_feedback enable row level security;

-- A user reads their own ratings.
create policy "Users can view their own feedback" on public.message_feedback
  for select to authenticated
  using (user_id = (select auth.uid()));
-- A user rates for themselves only (which reply: the trigger above).
create policy "Users can create their own feedback" on public.message_feedback
  for insert to authenticated
  with check (user_id = (select auth.uid()));
-- A user changes their own rating and cannot give it away.
create policy "Users can update their own feedback" on public.message_feedback
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- A user removes their own rating.
create policy "Users can delete their own feedback" on public.message_feedback
  for delete to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.message_feedback from anon;
revoke truncate, trigger, references on public.message_feedback from authenticated;
select convo.install_keep_server_columns('public.message_feedback', array['created_at', 'updated_at']);
select convo.install_fill_column_defaults('public.message_feedback');

-- The daily aggregate: per model (of the rated reply) and UTC day (of the rating's last change).
create view public.message_feedback_daily
with (security_invoker = true)
as
select g.model, g.day, g.up, g.down,
       coalesce(r.up_reasons, '{}'::jsonb) as up_reasons,
       coalesce(r.down_reasons, '{}'::jsonb) as down_reasons
from (
  select m.model,
         (f.updated_at at time zone 'UTC')::date as day,
         count(*) filter (where f.rating = 1) as up,
         count(*) filter (where f.rating = -1) as down,
         array_agg(f.rating::text || ':' || f.reason) filter (where f.reason is not null) as reasons
  from public.message_feedback f
  join public.chat_messages m on m.id = f.message_id
  group by m.model, (f.updated_at at time zone 'UTC')::date
) g
left join lateral (
  select jsonb_object_agg(split_part(x.reason, ':', 2), x.n) filter (where split_part(x.reason, ':', 1) = '1') as up_reasons,
         jsonb_object_agg(split_part(x.reason, ':', 2), x.n) filter (where split_part(x.reason, ':', 1) = '-1') as down_reasons
  from (select r.reason, count(*) as n from unnest(g.reasons) r(reason) group by r.reason) x
) r on true;
comment on view public.message_feedback_daily is
  'Feedback on AI replies per model (chat_messages.model of the rated reply; null when not reported) and UTC day (of the rating''s last change): up, down, and {reason: count} for each. For the app''s backend (service role); runs with the caller''s rights.';
revoke all on public.message_feedback_daily from anon, authenticated, service_role;
grant select on public.message_feedback_daily to service_role;

-- PostgREST answers a write to a view that is not automatically updatable (this one aggregates)
-- with the rewriter's 55000, an HTTP 500, before any privilege is checked. With an INSTEAD OF
-- trigger the write reaches the privilege check: no role may write it (42501, 401 / 403).
create function convo.refuse_view_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'this view is read-only' using errcode = '42501';
end
$$;
comment on function convo.refuse_view_write() is
  'INSTEAD OF trigger of read-only aggregate views: refuses any write (42501).';
revoke execute on function convo.refuse_view_write() from public;
create trigger message_feedback_daily_read_only
  instead of insert or update or delete on public.message_feedback_daily
  for each row execute function convo.refuse_view_write();

insert into convo.user_data_columns (table_name, column_name, export_section, on_account_deletion, reason) values
  ('message_feedback', 'user_id', 'message_feedback', 'deleted', null);
