-- 100k interactions over two years for bench user 1 (triggers off while loading).
alter table public.music_interactions disable trigger user;
insert into public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features, created_at)
select bench.user_id(1), 'h' || i, 'play', ((i % 5) - 2) / 2.0,
       jsonb_build_object('genre', 'Genre ' || (i % 12)), now() - (i % 730) * interval '1 day'
from generate_series(1, 100000) i;
alter table public.music_interactions enable trigger music_interactions_fold_genre_preference;
analyze public.music_interactions;
