// pg_convo's own API beyond the seeds, through supabase-js as an app calls it: building a prompt
// with get_chat_context (token-aware history), reading usage, and searching memories and history
// (search_chat_history, match_memories in LangChain's match_documents shape).
//
// Not a seed's replay: these clients are made here, so the per-seed call counts stay the seeds'
// own. Without pgvector on the server the semantic test says why it is skipped.
import { test } from 'node:test';
import { createClient } from '@supabase/supabase-js';
import { assert, stack, mintUserJwt, createUser, sql, ok, refused } from './helpers.ts';
import type { Database } from '../../types/database.ts';

const options = (headers: Record<string, string> = {}) => ({
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  global: { headers },
});
const asUser = (id: string) =>
  createClient<Database>(stack.API_URL, stack.ANON_KEY, options({ Authorization: `Bearer ${mintUserJwt(id)}` }));
const backend = createClient<Database>(stack.API_URL, stack.SERVICE_ROLE_KEY, options());

interface ContextMessage { role: 'user' | 'assistant'; content: string; token_count: number }
interface ChatContext {
  memories: { memory_key: string; memory_value: string; token_count: number }[];
  messages: ContextMessage[];
  memory_tokens: number; message_tokens: number; total_tokens: number; max_tokens: number;
}

test('a prompt that fits the model: get_chat_context, oldest first, whole turns, memories first', async () => {
  const user = await createUser();
  const db = asUser(user.id);
  for (const [q, a] of [['I start a new job on Monday', 'Congratulations! How do you feel?'],
                        ['Nervous, honestly', 'That is natural. What worries you most?'],
                        ['Meeting everyone at once', 'You could start with one person a day.']]) {
    ok(await db.rpc('store_chat_pair', { p_user_id: user.id, p_user_message: q, p_ai_response: a }), 'store_chat_pair');
  }
  ok(await db.from('user_memories').insert({ user_id: user.id, memory_key: 'job', memory_value: 'starts Monday', importance: 'high' }));

  const ctx = ok(await db.rpc('get_chat_context', { p_max_tokens: 4000, p_memory_tokens: 100 })) as unknown as ChatContext;
  assert.deepEqual(ctx.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  assert.equal(ctx.messages[0].content, 'I start a new job on Monday', 'oldest first');
  assert.deepEqual(ctx.memories.map((m) => m.memory_key), ['job']);
  assert.equal(ctx.total_tokens, ctx.memory_tokens + ctx.message_tokens);
  assert.equal(ctx.message_tokens, ctx.messages.reduce((sum, m) => sum + m.token_count, 0));

  // The README's prompt: system (with memories) + history + the new input, within the budget.
  const prompt = [
    { role: 'system', content: ctx.memories.map((m) => `${m.memory_key}: ${m.memory_value}`).join('\n') },
    ...ctx.messages.map((m) => ({ role: m.role, content: m.content })),
    { role: 'user', content: 'Any other tips?' },
  ];
  assert.equal(prompt.length, 8);

  // A budget that holds only the newest turn: whole turns, newest first, no gaps.
  const newest = ctx.messages.slice(-2).reduce((sum, m) => sum + m.token_count, 0);
  const small = ok(await db.rpc('get_chat_context', { p_max_tokens: newest })) as unknown as ChatContext;
  assert.deepEqual(small.messages.map((m) => m.content), ['Meeting everyone at once', 'You could start with one person a day.']);
  assert.equal(small.total_tokens, newest);

  // The backend (service key) names the user; without p_user_id it is told so.
  const forUser = ok(await backend.rpc('get_chat_context', { p_max_tokens: 4000, p_user_id: user.id })) as unknown as ChatContext;
  assert.equal(forUser.messages.length, 6);
  refused(await backend.rpc('get_chat_context', { p_max_tokens: 4000 }), { status: 400, code: '22023' });
  refused(await db.rpc('get_chat_context', { p_max_tokens: 0 }), { status: 400, code: '22023', message: /^p_max_tokens is out of range$/ });
});

test('usage: store_chat_pair reports it, get_my_usage reads it, a daily limit answers 429', async () => {
  const user = await createUser();
  const db = asUser(user.id);
  await sql('insert into public.user_token_limits (user_id, daily_token_limit) values ($1, 500)', [user.id]);
  ok(await db.rpc('store_chat_pair', {
    p_user_id: user.id, p_user_message: 'hi', p_ai_response: 'hello',
    p_model: 'gpt-4o', p_prompt_tokens: 300, p_completion_tokens: 100,
  }));
  const days = ok(await db.rpc('get_my_usage', {}));
  assert.equal(days.length, 1);
  assert.equal(days[0].total_tokens, 400);
  assert.equal(days[0].daily_token_limit, 500);
  refused(await db.rpc('store_chat_pair', {
    p_user_id: user.id, p_user_message: 'again', p_ai_response: 'no',
    p_model: 'gpt-4o', p_prompt_tokens: 90, p_completion_tokens: 20,
  }), { status: 429, code: 'PT429', message: /^daily token limit reached$/ });
  const stored = ok(await db.from('chat_messages').select('message_text').eq('message_text', 'again'));
  assert.equal(stored.length, 0, 'nothing of the refused turn was written');
});

test('keyword search over history: search_chat_history for a user and for a backend', async () => {
  const user = await createUser();
  const other = await createUser();
  const db = asUser(user.id);
  ok(await db.rpc('store_chat_pair', { p_user_id: user.id, p_user_message: 'I love green tea in the morning', p_ai_response: 'Green tea is lovely.' }));
  ok(await asUser(other.id).rpc('store_chat_pair', { p_user_id: other.id, p_user_message: 'green tea too', p_ai_response: 'nice' }));
  const hits = ok(await db.rpc('search_chat_history', { p_query: '"green tea"' }));
  assert.ok(hits.length >= 1 && hits.every((h) => /green tea/i.test(h.message_text)));
  assert.ok(!hits.some((h) => h.message_text === 'green tea too'), "never another user's message");
  const forUser = ok(await backend.rpc('search_chat_history', { p_query: 'morning', p_user_id: user.id }));
  assert.deepEqual(forUser.map((h) => h.message_text), ['I love green tea in the morning']);
  refused(await db.rpc('search_chat_history', { p_query: '   ' }), { status: 400, code: '22023' });
});

const hasVector = (await sql("select 1 from pg_extension where extname = 'vector'")).length > 0;
test('semantic search: match_memories as LangChain calls it', {
  skip: hasVector ? false : 'pgvector is not installed on this server: semantic search is disabled',
}, async () => {
  const user = await createUser();
  const db = asUser(user.id);
  const vec = (hot: number) => `[${Array.from({ length: 1536 }, (_, i) => (i === hot ? 1 : 0)).join(',')}]`;
  ok(await db.from('user_memories').insert([
    { user_id: user.id, memory_key: 'drink', memory_value: 'green tea', memory_category: 'preference', embedding: vec(1) },
    { user_id: user.id, memory_key: 'city', memory_value: 'Dhaka', memory_category: 'place', embedding: vec(2) },
  ]));
  // LangChain's SupabaseVectorStore: rpc(queryName, { query_embedding, match_count, filter })
  const rows = ok(await db.rpc('match_memories', { query_embedding: vec(1), match_count: 1, filter: { memory_category: 'preference' } }));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].content, 'green tea');
  assert.ok(rows[0].similarity > 0.99);
  const counted = ok(await db.from('user_memories').select('access_count').eq('memory_key', 'drink').single());
  assert.equal(counted.access_count, 1, 'a match counts as a read');
  refused(await db.rpc('match_memories', { query_embedding: '[1,2,3]', match_count: 1 }), { status: 400 });
});
