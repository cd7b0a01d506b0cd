-- music_bulk_opposite_orders without its lock order: the statement fold upserts its genres in the
-- order they arrive in the statement (as the row-by-row fold before it did) instead of sorted by
-- (user_id, genre), so two bulk inserts whose genres come in opposite orders lock the same
-- preference rows in opposite orders.
-- function: convo.fold_genre_preferences()
-- shows: deadlock detected
select pg_temp.take_out('convo.fold_genre_preferences()',
                        E'        from new_interactions n\n        where',
                        E'        from (select x.*, row_number() over () as arrival from new_interactions x) n\n        where');
select pg_temp.take_out('convo.fold_genre_preferences()',
                        'max(n.created_at) as last_interaction',
                        'max(n.created_at) as last_interaction, min(n.arrival) as arrival');
select pg_temp.take_out('convo.fold_genre_preferences()', 'order by t.user_id, t.genre', 'order by t.arrival');
