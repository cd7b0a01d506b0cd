-- 100k interactions over two years for bench user 1 (triggers off while loading; the recompute
-- rebuilds the preferences from them). Afterwards our fold trigger is on, the seed's stays off.
alter table public.music_interactions disable trigger user;
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features, created_at)
select bench.user_id(1), 'h' || i, 'play', ((i % 5) - 2) / 2.0,
       jsonb_build_object('genre', 'Genre ' || (i % 12)), now() - (i % 730) * interval '1 day'
from generate_series(1, 100000) i;
alter table public.music_interactions enable trigger user;
alter table public.music_interactions disable trigger music_interaction_update_preference_seed;
analyze public.music_interactions;
