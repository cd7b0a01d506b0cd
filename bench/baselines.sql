-- Baselines for `make bench`: the seeds' own versions, kept OUT of the schema (never a migration).
create schema if not exists bench;
grant usage on schema bench to authenticated, service_role;

-- Seed 001's store_chat_pair, verbatim in behaviour (both rows get the same now(), no reply_to,
-- no checks), only renamed and schema-qualified.
create or replace function bench.store_chat_pair_seed(
  p_user_id uuid, p_user_message text, p_ai_response text, p_session_id uuid
) returns uuid as $$
declare
  v_ai_message_id uuid;
begin
  insert into public.chat_messages (user_id, message_text, sender_type, session_id)
  values (p_user_id, p_user_message, 'user', p_session_id);

  insert into public.chat_messages (user_id, message_text, sender_type, session_id)
  values (p_user_id, p_ai_response, 'ai', p_session_id)
  returning id into v_ai_message_id;

  return v_ai_message_id;
end;
$$ language plpgsql;
grant execute on function bench.store_chat_pair_seed(uuid, text, text, uuid) to authenticated;

-- Bench users: n → a fixed uuid, so pgbench scripts can name them.
create or replace function bench.user_id(n int) returns uuid language sql immutable as $$
  select ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid
$$;
grant execute on function bench.user_id(int) to authenticated, service_role;
insert into auth.users (id, email, raw_user_meta_data)
select bench.user_id(n), 'bench' || n || '@example.test', '{"full_name": "Bench User"}'
from generate_series(1, 200) n
on conflict (id) do nothing;
