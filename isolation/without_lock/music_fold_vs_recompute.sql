-- music_fold_vs_recompute without its lock: the statement fold no longer takes the user's advisory
-- lock (shared) that recompute_genre_preferences takes exclusively, so a fold can run while a
-- recompute is half done, and the genre it adds is counted twice.
-- function: convo.fold_genre_preferences()
-- shows: jazz |                2|
select pg_temp.take_out('convo.fold_genre_preferences()',
                        E'  perform pg_catalog.pg_advisory_xact_lock_shared(7267, l.key)\n'
                         '  from (select distinct pg_catalog.hashtext(n.user_id::text) as key\n'
                         '        from new_interactions n order by 1) l;\n',
                        '');
