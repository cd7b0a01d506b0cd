-- Searchable memory and chat history (domain 07): keyword search that uses an index for a
-- signed-in user, semantic search over embeddings (pgvector), and both fused. The schema as it
-- stands; the steps to it are the migrations of domain number 07.
--
--   search_chat_history     full text over the acting user's chat_messages, ranked (ts_rank_cd)
--   match_memories          memories nearest to an embedding: the match_documents shape that
--                           LangChain's SupabaseVectorStore calls; counts as a read (access_count)
--   match_chat_messages     the same over chat history (HNSW index, iterative scan)
--   hybrid_search_memories / hybrid_search_chat_messages
--                           keyword and semantic ranks fused with reciprocal rank fusion
--
-- Every RPC follows convo.acting_user: a signed-in user searches their own rows (p_user_id omitted
-- or their own id), the service role names the user in p_user_id. Bad input is 22023 (HTTP 400)
-- with a fixed message; values the caller sent only ever appear in DETAIL.
--
-- pgvector is a real dependency where it is available (Supabase ships 0.8.0; scripts/bootstrap.sh
-- installs it here). Where it is not, everything vector-typed is skipped and this file says so
-- once; convo.install_semantic_search() adds it later (see the end of this file).


-- Argument checks shared by the search RPCs ------------------------------------------------------------
-- One definition of each rule, so every RPC refuses the same input with the same message.

-- A result count: 1..200, as get_chat_history's p_limit.
create function convo.check_result_count(p_name text, p_count integer)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_count is null or p_count < 1 or p_count > 200 then
    -- p_name is the RPC's own parameter name (a constant of the caller's code), not caller text
    raise exception '% must be between 1 and 200', p_name
      using errcode = '22023', detail = pg_catalog.format('%s was %s', p_name, coalesce(p_count::text, 'null'));
  end if;
end
$$;
comment on function convo.check_result_count(text, integer) is
  'Refuses (22023) a result count outside 1..200 (null included).';
revoke execute on function convo.check_result_count(text, integer) from public;
grant execute on function convo.check_result_count(text, integer) to authenticated, service_role;

-- A plain-language keyword query (websearch_to_tsquery syntax: words, "a phrase", -not, or), as a
-- tsquery. Config 'simple': the apps are multilingual, so no language's stemming or stop words
-- (a Bengali or Hindi message is indexed word for word, as an English one).
create function convo.keyword_query(p_query text)
returns tsquery
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_query is null or pg_catalog.btrim(p_query) = '' then
    raise exception 'p_query must not be empty' using errcode = '22023';
  end if;
  if pg_catalog.char_length(p_query) > 1000 then
    raise exception 'p_query is too long' using errcode = '22023', hint = 'at most 1000 characters';
  end if;
  return pg_catalog.websearch_to_tsquery('simple', p_query);
end
$$;
comment on function convo.keyword_query(text) is
  'p_query (1-1000 characters, not blank; else 22023) as a tsquery: websearch_to_tsquery with the simple (language-neutral) configuration.';
revoke execute on function convo.keyword_query(text) from public;
grant execute on function convo.keyword_query(text) to authenticated, service_role;

-- A match_documents-style filter: a JSON object whose keys are among p_keys (null = no filter).
-- An unknown key is refused rather than matching nothing, so a typo does not look like "no results".
create function convo.check_search_filter(p_filter jsonb, p_keys text[])
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_filter is null then
    return '{}'::jsonb;
  end if;
  if pg_catalog.jsonb_typeof(p_filter) <> 'object' then
    raise exception 'filter must be a JSON object' using errcode = '22023';
  end if;
  if exists (select from pg_catalog.jsonb_object_keys(p_filter) k where k <> all (p_keys)) then
    raise exception 'filter may only use the keys %', pg_catalog.array_to_string(p_keys, ', ')
      using errcode = '22023';
  end if;
  return p_filter;
end
$$;
comment on function convo.check_search_filter(jsonb, text[]) is
  'A search filter: null → {}; not an object, or a key outside p_keys → 22023.';
revoke execute on function convo.check_search_filter(jsonb, text[]) from public;
grant execute on function convo.check_search_filter(jsonb, text[]) to authenticated, service_role;

-- What a memory's `metadata` is, in match_memories' results and for its filter (one definition).
-- Its search_path is pinned, as Supabase's advisor (splinter) asks of every function: so it is no
-- longer inlined, and costs a function call per row it builds or filters.
create function convo.memory_metadata(p_memory_key text, p_memory_category text, p_importance text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object('memory_key', p_memory_key, 'memory_category', p_memory_category,
                                       'importance', p_importance)
$$;
comment on function convo.memory_metadata(text, text, text) is
  'A memory''s metadata in search results: {memory_key, memory_category, importance}.';
revoke execute on function convo.memory_metadata(text, text, text) from public;
grant execute on function convo.memory_metadata(text, text, text) to authenticated, service_role;

-- What a chat message's `metadata` is, in match_chat_messages' results and for its filter.
-- (search_path pinned, as convo.memory_metadata)
create function convo.chat_message_metadata(p_session_id uuid, p_sender_type text, p_mood_detected text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object('session_id', p_session_id, 'sender_type', p_sender_type,
                                       'mood_detected', p_mood_detected)
$$;
comment on function convo.chat_message_metadata(uuid, text, text) is
  'A chat message''s metadata in search results: {session_id, sender_type, mood_detected}.';
revoke execute on function convo.chat_message_metadata(uuid, text, text) from public;
grant execute on function convo.chat_message_metadata(uuid, text, text) to authenticated, service_role;


-- Keyword search over chat history -----------------------------------------------------------------------
-- The words of each message are kept by Postgres in chat_messages.message_tsv (a stored generated
-- column, never sent by clients), indexed together with the owner by idx_chat_messages_user_tsv
-- (both in 01_chat.sql, with the btree_gin extension the index needs).

-- Why a SECURITY DEFINER function: under RLS, Postgres evaluates a query's own conditions only
-- after the policy's, unless the operator is LEAKPROOF (it could otherwise reveal other rows'
-- values through errors). `@@` and ILIKE are not, so for role authenticated neither can be an index
-- condition: the planner walks all of the user's messages and filters them. This function runs as
-- its owner (no RLS) and applies the owner filter itself, `user_id = <the acting user>`, in the
-- same WHERE as `@@`: one GIN scan on (user_id, message_tsv). It decides whom it reads for with
-- convo.acting_user (a signed-in user: only themselves), never trusting its argument.
-- Planned per call (EXECUTE … USING): a user with 100k messages and one with 10 need different plans.
create function convo.search_chat_history(p_user_id uuid, p_query text, p_limit integer, p_session_id uuid)
returns table (
  id uuid,
  message_text text,
  sender_type text,
  session_id uuid,
  "timestamp" timestamptz,
  mood_detected text,
  sentiment_score numeric,
  reply_to uuid,
  rank real
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
  v_query tsquery := convo.keyword_query(p_query);
begin
  perform convo.check_result_count('p_limit', p_limit);
  return query execute $q$
    select m.id, m.message_text, m.sender_type, m.session_id, m."timestamp", m.mood_detected,
           m.sentiment_score, m.reply_to, pg_catalog.ts_rank_cd(m.message_tsv, $2) as rank
    from public.chat_messages m
    where m.user_id = $1
      and m.message_tsv @@ $2
      and ($3::uuid is null or m.session_id = $3)
    order by rank desc, m."timestamp" desc, m.id
    limit $4
  $q$ using v_user, v_query, p_session_id, p_limit;
end
$$;
comment on function convo.search_chat_history(uuid, text, integer, uuid) is
  'search_chat_history''s body: the acting user''s messages matching p_query (full text, simple configuration), best ranked (ts_rank_cd) first. SECURITY DEFINER so that the GIN index on (user_id, message_tsv) serves a signed-in user; filters by convo.acting_user itself.';
revoke execute on function convo.search_chat_history(uuid, text, integer, uuid) from public;
grant execute on function convo.search_chat_history(uuid, text, integer, uuid) to authenticated, service_role;

create function public.search_chat_history(
  p_query text,
  p_limit integer default 20,
  p_session_id uuid default null,
  p_user_id uuid default null
)
returns table (
  id uuid,
  message_text text,
  sender_type text,
  session_id uuid,
  "timestamp" timestamptz,
  mood_detected text,
  sentiment_score numeric,
  reply_to uuid,
  rank real
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_user uuid := convo.acting_user(p_user_id);
begin
  return query select * from convo.search_chat_history(v_user, p_query, p_limit, p_session_id);
end
$$;
comment on function public.search_chat_history(text, integer, uuid, uuid) is
  'Keyword search over a user''s chat history: messages (both sides) matching p_query, best match first (ts_rank_cd, then newest). p_query is plain language as in a search box: words (all must occur), "a phrase", or, -word; words are matched whole, in any language (text search configuration simple, no stemming). At most p_limit rows (1-200, default 20), optionally only session p_session_id. A signed-in user searches their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). Empty or over 1000 characters → 22023 (HTTP 400). Uses the index on (user_id, message_tsv) for every caller. STABLE: callable with GET.';
revoke execute on function public.search_chat_history(text, integer, uuid, uuid) from public, anon;
grant execute on function public.search_chat_history(text, integer, uuid, uuid) to authenticated, service_role;


-- Semantic search (pgvector) ---------------------------------------------------------------------------------
-- Everything that names the vector type is created by convo.install_semantic_search(), which this
-- file calls below and an administrator can call again later: where pgvector is not
-- installed yet this file must still apply, and a function or column of an unknown type
-- cannot even be parsed. Idempotent: a second call changes nothing.
--
-- Embeddings are vector(1536), the size of OpenAI's text-embedding-3-small / ada-002 (the seed's
-- model). Both tables get an HNSW index on cosine distance: unlike IVFFlat it needs no training
-- data (the chat migration's IVFFlat index was built on an empty table, with centroids learned
-- from nothing) and keeps its recall as rows arrive.
--
-- Strategies:
--   * match_memories scans the acting user's memories exactly (index on user_id, then the cosine
--     distance of each): a user has tens to a few thousand memories, so this costs about a
--     millisecond per hundred (each 6 KB vector is read from TOAST) and has recall 1.0 by
--     construction. A global HNSW index with a user filter would instead have to skip every other
--     user's rows: without iterative scan it returns a few rows or none (scripts/
--     bench_memory_search.sh: recall 0.05 for 1 user in 1000). The HNSW index serves unfiltered
--     queries of the service role (all users' memories).
--   * match_chat_messages: a user may have 100k+ messages, so it uses the HNSW index with
--     pgvector 0.8's iterative scan (hnsw.iterative_scan = relaxed_order, set on the function):
--     the scan continues until enough of the acting user's rows passed the filter, and the
--     results are sorted again by exact distance. For a user with few messages the planner
--     picks the user_id index and an exact sort instead (planned per call).
--   * hybrid: reciprocal rank fusion, score = Σ 1 / (60 + rank) over the keyword and semantic
--     rankings (ranks from 1; each list is the best 2 × match_count, at most 200). k = 60 is the
--     constant of Cormack et al. (SIGIR 2009), also used by Supabase's hybrid search example: it
--     damps the weight of the very top ranks, so an item ranked well by both lists beats one
--     ranked first by only one. Scores of the two lists (ts_rank_cd, cosine) are never compared.
create function convo.install_semantic_search()
returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
set client_min_messages = warning  -- quiet "already exists, skipping" on a second call
as $install$
declare
  v_schema text;
  v_ddl text;
  v_index_am text;
begin
  if not exists (select from pg_catalog.pg_available_extensions where name = 'vector') then
    return false;
  end if;
  create extension if not exists vector with schema extensions;
  select n.nspname into v_schema
  from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
  where e.extname = 'vector';

  -- The chat migration's IVFFlat index (where pgvector was present then) makes way for HNSW.
  select a.amname into v_index_am
  from pg_catalog.pg_class c join pg_catalog.pg_am a on a.oid = c.relam
  where c.oid = pg_catalog.to_regclass('public.idx_user_memories_embedding');
  if v_index_am is distinct from 'hnsw' then
    drop index if exists public.idx_user_memories_embedding;
  end if;

  -- The statements below name pgvector's objects as extensions.*, Supabase's schema for it; a
  -- database that has it in another schema gets that schema's name instead.
  foreach v_ddl in array array[
    $ddl$ alter table public.user_memories add column if not exists embedding extensions.vector(1536) $ddl$,
    $ddl$ alter table public.chat_messages add column if not exists embedding extensions.vector(1536) $ddl$,
    $ddl$ comment on column public.user_memories.embedding is
            'Embedding of the memory, 1536 dimensions (OpenAI text-embedding-3-small / ada-002); written by its owner or the service role; searched by match_memories.' $ddl$,
    $ddl$ comment on column public.chat_messages.embedding is
            'Embedding of message_text, 1536 dimensions (OpenAI text-embedding-3-small / ada-002); written with the message (owner) or later by the service role; searched by match_chat_messages.' $ddl$,
    $ddl$ create index if not exists idx_user_memories_embedding on public.user_memories
            using hnsw (embedding extensions.vector_cosine_ops) $ddl$,
    $ddl$ create index if not exists idx_chat_messages_embedding on public.chat_messages
            using hnsw (embedding extensions.vector_cosine_ops) $ddl$,

    -- A query embedding: present and of the columns' dimension.
    $ddl$ create or replace function convo.check_query_embedding(p_embedding extensions.vector)
          returns void
          language plpgsql
          immutable
          set search_path = ''
          as $fn$
          begin
            if p_embedding is null then
              raise exception 'the query embedding is required' using errcode = '22023';
            end if;
            if extensions.vector_dims(p_embedding) <> 1536 then
              raise exception 'the query embedding must have 1536 dimensions'
                using errcode = '22023',
                      detail = pg_catalog.format('it has %s', extensions.vector_dims(p_embedding));
            end if;
          end
          $fn$ $ddl$,
    $ddl$ comment on function convo.check_query_embedding(extensions.vector) is
            'Refuses (22023) a null query embedding or one that does not have 1536 dimensions.' $ddl$,
    $ddl$ revoke execute on function convo.check_query_embedding(extensions.vector) from public $ddl$,
    $ddl$ grant execute on function convo.check_query_embedding(extensions.vector) to authenticated, service_role $ddl$,

    -- match_memories ------------------------------------------------------------------------------
    $ddl$ create or replace function public.match_memories(
            query_embedding extensions.vector,
            match_count integer default 10,
            filter jsonb default '{}',
            p_user_id uuid default null
          )
          returns table (
            id uuid,
            content text,
            metadata jsonb,
            similarity double precision,
            user_id uuid,
            memory_key text,
            memory_value text,
            memory_category text,
            importance text,
            created_at timestamptz,
            updated_at timestamptz,
            last_accessed timestamptz,
            access_count integer
          )
          language plpgsql
          volatile
          security invoker
          set search_path = ''
          as $fn$
          declare
            v_user uuid := convo.acting_user(p_user_id);
            v_filter jsonb := convo.check_search_filter(match_memories.filter,
                                array['memory_key', 'memory_category', 'importance']);
            v_ids uuid[];
            v_similarities double precision[];
          begin
            perform convo.check_query_embedding(query_embedding);
            perform convo.check_result_count('match_count', match_count);
            -- Exact: the user's rows (materialized, so never the global HNSW index), filtered, then
            -- the nearest match_count.
            with mine as materialized (
              select m.id, m.embedding operator(extensions.<=>) query_embedding as distance
              from public.user_memories m
              where m.user_id = v_user
                and m.embedding is not null
                and convo.memory_metadata(m.memory_key, m.memory_category, m.importance) @> v_filter
            ),
            nearest as (
              select n.id, n.distance from mine n order by n.distance, n.id limit match_count
            )
            select array_agg(n.id order by n.distance, n.id), array_agg(1 - n.distance order by n.distance, n.id)
            into v_ids, v_similarities
            from nearest n;
            if v_ids is null then
              return;
            end if;
            -- each memory returned counts as a read, as in get_memories (and the row returned shows it)
            perform convo.record_memory_reads(v_user, v_ids);
            return query
              select m.id, m.memory_value,
                     convo.memory_metadata(m.memory_key, m.memory_category, m.importance),
                     s.similarity, m.user_id, m.memory_key, m.memory_value, m.memory_category,
                     m.importance, m.created_at, m.updated_at, m.last_accessed, m.access_count
              from unnest(v_ids, v_similarities) with ordinality as s(id, similarity, ord)
              join public.user_memories m on m.id = s.id
              order by s.ord;
          end
          $fn$ $ddl$,
    $ddl$ comment on function public.match_memories(extensions.vector, integer, jsonb, uuid) is
            'Semantic search over a user''s memories, in the match_documents shape LangChain''s SupabaseVectorStore calls: rpc(''match_memories'', {query_embedding, match_count, filter}). Returns the match_count (1-200, default 10) memories nearest to query_embedding (1536 dimensions; cosine), best first: id, content (memory_value), metadata {memory_key, memory_category, importance}, similarity (1 - cosine distance), and the memory''s columns. filter: a JSON object on metadata''s keys (containment: {"memory_category": "preference"}), applied before the limit. Exact search over the user''s memories (recall 1.0). Each memory returned counts as a read (access_count + 1, last_accessed), as in get_memories. A signed-in user searches their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). Null or wrong-dimension embedding, bad match_count or filter → 22023 (HTTP 400). VOLATILE: call with POST.' $ddl$,
    $ddl$ revoke execute on function public.match_memories(extensions.vector, integer, jsonb, uuid) from public, anon $ddl$,
    $ddl$ grant execute on function public.match_memories(extensions.vector, integer, jsonb, uuid) to authenticated, service_role $ddl$,

    -- match_chat_messages ---------------------------------------------------------------------------
    $ddl$ create or replace function public.match_chat_messages(
            query_embedding extensions.vector,
            match_count integer default 10,
            filter jsonb default '{}',
            p_user_id uuid default null
          )
          returns table (
            id uuid,
            content text,
            metadata jsonb,
            similarity double precision,
            user_id uuid,
            session_id uuid,
            sender_type text,
            mood_detected text,
            sentiment_score numeric,
            "timestamp" timestamptz,
            reply_to uuid
          )
          language plpgsql
          stable
          security invoker
          set search_path = ''
          set hnsw.iterative_scan = 'relaxed_order'
          as $fn$
          declare
            v_user uuid := convo.acting_user(p_user_id);
            v_filter jsonb := convo.check_search_filter(match_chat_messages.filter,
                                array['session_id', 'sender_type', 'mood_detected']);
          begin
            perform convo.check_query_embedding(query_embedding);
            perform convo.check_result_count('match_count', match_count);
            -- relaxed_order may return the index's candidates slightly out of order: the outer
            -- query sorts them by exact distance again (pgvector's documented pattern).
            return query execute $q$
              with relaxed as materialized (
                select c.id, c.embedding operator(extensions.<=>) $1 as distance
                from public.chat_messages c
                where c.user_id = $2
                  and c.embedding is not null
                  and convo.chat_message_metadata(c.session_id, c.sender_type, c.mood_detected) @> $3
                order by distance
                limit $4
              )
              select c.id, c.message_text,
                     convo.chat_message_metadata(c.session_id, c.sender_type, c.mood_detected),
                     1 - r.distance, c.user_id, c.session_id, c.sender_type, c.mood_detected,
                     c.sentiment_score, c."timestamp", c.reply_to
              from relaxed r
              join public.chat_messages c on c.id = r.id
              order by r.distance, c.id
            $q$ using query_embedding, v_user, v_filter, match_count;
          end
          $fn$ $ddl$,
    $ddl$ comment on function public.match_chat_messages(extensions.vector, integer, jsonb, uuid) is
            'Semantic search over a user''s chat history (messages with an embedding), match_documents-shaped: the match_count (1-200, default 10) messages nearest to query_embedding (1536 dimensions; cosine), best first: id, content (message_text), metadata {session_id, sender_type, mood_detected}, similarity (1 - cosine distance), and the message''s columns. filter: a JSON object on metadata''s keys (containment), applied inside the search. Approximate for users with many messages (HNSW, iterative scan). A signed-in user searches their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). Null or wrong-dimension embedding, bad match_count or filter → 22023 (HTTP 400). STABLE: callable with GET.' $ddl$,
    $ddl$ revoke execute on function public.match_chat_messages(extensions.vector, integer, jsonb, uuid) from public, anon $ddl$,
    $ddl$ grant execute on function public.match_chat_messages(extensions.vector, integer, jsonb, uuid) to authenticated, service_role $ddl$,

    -- hybrid_search_memories ------------------------------------------------------------------------
    $ddl$ create or replace function public.hybrid_search_memories(
            p_query text,
            p_query_embedding extensions.vector,
            match_count integer default 10,
            p_user_id uuid default null
          )
          returns table (
            id uuid,
            content text,
            metadata jsonb,
            similarity double precision,
            keyword_rank integer,
            semantic_rank integer,
            score double precision,
            user_id uuid,
            memory_key text,
            memory_value text,
            memory_category text,
            importance text,
            created_at timestamptz,
            updated_at timestamptz,
            last_accessed timestamptz,
            access_count integer
          )
          language plpgsql
          volatile
          security invoker
          set search_path = ''
          as $fn$
          declare
            v_user uuid := convo.acting_user(p_user_id);
            v_query tsquery := convo.keyword_query(p_query);
            v_pool integer;
            v_ids uuid[];
            v_similarities double precision[];
            v_keyword_ranks integer[];
            v_semantic_ranks integer[];
            v_scores double precision[];
          begin
            perform convo.check_query_embedding(p_query_embedding);
            perform convo.check_result_count('match_count', match_count);
            v_pool := least(2 * match_count, 200);
            -- Both rankings over the user's memories, exactly (a user's memories are few; the words
            -- are those of memory_key and memory_value), fused by reciprocal rank (k = 60).
            with mine as materialized (
              select m.id,
                     m.embedding operator(extensions.<=>) p_query_embedding as distance,
                     to_tsvector('simple'::regconfig, m.memory_key || ' ' || m.memory_value) as words
              from public.user_memories m
              where m.user_id = v_user
            ),
            semantic as (
              select s.id, s.distance, row_number() over (order by s.distance, s.id)::integer as r
              from mine s where s.distance is not null
              order by s.distance, s.id limit v_pool
            ),
            keyword as (
              select k.id, row_number() over (order by ts_rank_cd(k.words, v_query) desc, k.id)::integer as r
              from mine k where k.words @@ v_query
              order by ts_rank_cd(k.words, v_query) desc, k.id limit v_pool
            ),
            fused as (
              select coalesce(s.id, k.id) as id, 1 - s.distance as sim, k.r as kr, s.r as sr,
                     (coalesce(1.0 / (60 + k.r), 0) + coalesce(1.0 / (60 + s.r), 0))::double precision as rrf
              from semantic s full join keyword k on k.id = s.id
              order by 5 desc, least(k.r, s.r), 1
              limit match_count
            )
            select array_agg(f.id order by f.rrf desc, least(f.kr, f.sr), f.id),
                   array_agg(f.sim order by f.rrf desc, least(f.kr, f.sr), f.id),
                   array_agg(f.kr order by f.rrf desc, least(f.kr, f.sr), f.id),
                   array_agg(f.sr order by f.rrf desc, least(f.kr, f.sr), f.id),
                   array_agg(f.rrf order by f.rrf desc, least(f.kr, f.sr), f.id)
            into v_ids, v_similarities, v_keyword_ranks, v_semantic_ranks, v_scores
            from fused f;
            if v_ids is null then
              return;
            end if;
            perform convo.record_memory_reads(v_user, v_ids);
            return query
              select m.id, m.memory_value,
                     convo.memory_metadata(m.memory_key, m.memory_category, m.importance),
                     h.sim, h.kr, h.sr, h.rrf, m.user_id, m.memory_key, m.memory_value,
                     m.memory_category, m.importance, m.created_at, m.updated_at, m.last_accessed,
                     m.access_count
              from unnest(v_ids, v_similarities, v_keyword_ranks, v_semantic_ranks, v_scores)
                     with ordinality as h(id, sim, kr, sr, rrf, ord)
              join public.user_memories m on m.id = h.id
              order by h.ord;
          end
          $fn$ $ddl$,
    $ddl$ comment on function public.hybrid_search_memories(text, extensions.vector, integer, uuid) is
            'Hybrid search over a user''s memories: the keyword ranking of p_query (plain language, words of memory_key and memory_value; text search configuration simple) and the semantic ranking of p_query_embedding (1536 dimensions; cosine) fused by reciprocal rank: score = 1/(60 + keyword_rank) + 1/(60 + semantic_rank), each ranking the best 2 × match_count. Returns the match_count (1-200, default 10) best, highest score first, with both ranks (null: not in that list), similarity, content, metadata and the memory''s columns. Each memory returned counts as a read (access_count + 1, last_accessed). A signed-in user searches their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). Empty query, null or wrong-dimension embedding, bad match_count → 22023 (HTTP 400). VOLATILE: call with POST.' $ddl$,
    $ddl$ revoke execute on function public.hybrid_search_memories(text, extensions.vector, integer, uuid) from public, anon $ddl$,
    $ddl$ grant execute on function public.hybrid_search_memories(text, extensions.vector, integer, uuid) to authenticated, service_role $ddl$,

    -- hybrid_search_chat_messages -------------------------------------------------------------------
    $ddl$ create or replace function public.hybrid_search_chat_messages(
            p_query text,
            p_query_embedding extensions.vector,
            match_count integer default 10,
            p_user_id uuid default null
          )
          returns table (
            id uuid,
            content text,
            metadata jsonb,
            similarity double precision,
            keyword_rank integer,
            semantic_rank integer,
            score double precision,
            user_id uuid,
            session_id uuid,
            sender_type text,
            mood_detected text,
            sentiment_score numeric,
            "timestamp" timestamptz,
            reply_to uuid
          )
          language plpgsql
          stable
          security invoker
          set search_path = ''
          as $fn$
          declare
            v_user uuid := convo.acting_user(p_user_id);
            v_pool integer;
          begin
            perform convo.keyword_query(p_query);
            perform convo.check_query_embedding(p_query_embedding);
            perform convo.check_result_count('match_count', match_count);
            v_pool := least(2 * match_count, 200);
            -- The two searches this schema already has (each using its index), fused by rank.
            return query
              with keyword as (
                select k.id, k.ordinality::integer as r
                from convo.search_chat_history(v_user, p_query, v_pool, null) with ordinality as k
              ),
              semantic as (
                select s.id, s.similarity, s.ordinality::integer as r
                from public.match_chat_messages(p_query_embedding, v_pool, '{}', v_user) with ordinality as s
              ),
              fused as (
                select coalesce(s.id, k.id) as id, s.similarity, k.r as keyword_rank, s.r as semantic_rank,
                       (coalesce(1.0 / (60 + k.r), 0) + coalesce(1.0 / (60 + s.r), 0))::double precision as score
                from semantic s full join keyword k on k.id = s.id
                order by 5 desc, least(k.r, s.r), 1
                limit match_count
              )
              select c.id, c.message_text,
                     convo.chat_message_metadata(c.session_id, c.sender_type, c.mood_detected),
                     f.similarity, f.keyword_rank, f.semantic_rank, f.score, c.user_id, c.session_id,
                     c.sender_type, c.mood_detected, c.sentiment_score, c."timestamp", c.reply_to
              from fused f
              join public.chat_messages c on c.id = f.id
              order by f.score desc, least(f.keyword_rank, f.semantic_rank), f.id;
          end
          $fn$ $ddl$,
    $ddl$ comment on function public.hybrid_search_chat_messages(text, extensions.vector, integer, uuid) is
            'Hybrid search over a user''s chat history: search_chat_history''s keyword ranking of p_query and match_chat_messages'' semantic ranking of p_query_embedding (1536 dimensions) fused by reciprocal rank: score = 1/(60 + keyword_rank) + 1/(60 + semantic_rank), each ranking the best 2 × match_count. Returns the match_count (1-200, default 10) best, highest score first, with both ranks (null: not in that list), similarity, content, metadata and the message''s columns. A signed-in user searches their own (p_user_id omitted or their own id; another → 42501); the service role names the user in p_user_id (required). Empty query, null or wrong-dimension embedding, bad match_count → 22023 (HTTP 400). STABLE: callable with GET.' $ddl$,
    $ddl$ revoke execute on function public.hybrid_search_chat_messages(text, extensions.vector, integer, uuid) from public, anon $ddl$,
    $ddl$ grant execute on function public.hybrid_search_chat_messages(text, extensions.vector, integer, uuid) to authenticated, service_role $ddl$
  ] loop
    if v_schema <> 'extensions' then
      v_ddl := replace(v_ddl, 'extensions.', pg_catalog.quote_ident(v_schema) || '.');
    end if;
    execute v_ddl;
  end loop;
  return true;
end
$install$;
comment on function convo.install_semantic_search() is
  'Installs semantic search where pgvector is available: the vector extension, embedding vector(1536) columns with HNSW (cosine) indexes on user_memories and chat_messages, and match_memories, match_chat_messages, hybrid_search_memories, hybrid_search_chat_messages. Returns false (and changes nothing) when pgvector is not installed. Idempotent. For migrations and administrators: after installing pgvector, `select convo.install_semantic_search();`.';
revoke execute on function convo.install_semantic_search() from public;

do $semantic$
begin
  if not convo.install_semantic_search() then
    raise notice 'pg_convo: semantic search is disabled: the pgvector extension (vector) is not installed on this server. Keyword search works. To enable it later: install pgvector 0.8 (scripts/bootstrap.sh, or the postgresql-15-pgvector package), then run: select convo.install_semantic_search();';
  end if;
end
$semantic$;
