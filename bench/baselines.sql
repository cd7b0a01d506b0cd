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

-- Agent sessions: 8 bench phones, and a log of who rolled a session over (instrumentation only).
create or replace function bench.phone(n int) returns text language sql immutable as $$
  select '+1555000' || lpad(n::text, 4, '0')
$$;
grant execute on function bench.phone(int) to service_role;
create table if not exists bench.rollover_log (phone text, at timestamptz default clock_timestamp());
grant all on bench.rollover_log to service_role;

-- Seed 001's genre-preference trigger (its update_genre_preference), as the music baseline.
-- Two changes so it can run at all: SECURITY DEFINER (users may not write preferences under
-- RLS, ours runs as its owner too) and a schema-qualified table. It still leaves
-- preference_score alone and fails on an interaction without a genre, as in the seed.
create or replace function bench.update_genre_preference_seed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.music_genre_preferences (user_id, genre, interaction_count, average_reward, last_interaction)
  select new.user_id, (new.audio_features->>'genre')::text, 1, new.rl_reward, new.created_at
  on conflict (user_id, genre) do update set
    interaction_count = music_genre_preferences.interaction_count + 1,
    average_reward = ((music_genre_preferences.average_reward * music_genre_preferences.interaction_count) + new.rl_reward)
                     / (music_genre_preferences.interaction_count + 1),
    last_interaction = new.created_at,
    updated_at = now();
  return new;
end $$;
drop trigger if exists music_interaction_update_preference_seed on public.music_interactions;
create trigger music_interaction_update_preference_seed after insert on public.music_interactions
  for each row execute function bench.update_genre_preference_seed();
alter table public.music_interactions disable trigger music_interaction_update_preference_seed;
