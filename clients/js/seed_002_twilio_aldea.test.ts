// Seed 002, Twilio-Aldea (SMS therapy backend, supabase-js with the service-role key): its
// "Production Supabase Patterns" as written: loadOrCreateSession, soul / process memories,
// messages with regions, mental process state; then pg_convo's atomic load_or_create_session
// followed by the memory upserts the backend does next.
import { test, before } from 'node:test';
import { assert, replaySeed, createUser, sql, ok, refused } from './helpers.ts';
import type { Client } from './helpers.ts';
import type { Json, Tables } from '../../types/database.ts';

const seed = replaySeed('002', 'Twilio-Aldea');
const supabase = seed.asService();   // getSupabaseClient(): createClient(url, SUPABASE_SERVICE_KEY, {auth: …})
const SESSION_TIMEOUT_MS = 60 * 60 * 1000;
const randomPhone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

// --- the seed's functions, as written (its row interfaces are now the generated types) ---------
// jsonb columns are Json in the generated types; the seed reads them as Record<string, any>.
type JsonObject = Record<string, any>;
type UserSession = Omit<Tables<'user_sessions'>, 'metadata'> & { metadata: JsonObject; __isNewSession?: boolean };

async function getLastUserMessageTimestamp(supabase: Client, sessionId: string): Promise<Date | null> {
  const { data, error } = await supabase
    .from('messages')
    .select('created_at')
    .eq('session_id', sessionId)
    .eq('role', 'user')
    .order('created_at', { ascending: false })
    .limit(1);
  if (error) return null;
  const raw = data?.[0]?.created_at;
  return raw ? new Date(raw) : null;
}

async function loadOrCreateSession(phoneNumber: string): Promise<UserSession> {
  const now = new Date();
  const nowIso = now.toISOString();
  const { data: existing, error: fetchError } = await supabase
    .from('user_sessions').select('*').eq('phone_number', phoneNumber).single();
  if (fetchError && fetchError.code !== 'PGRST116') {
    throw new Error(`Failed to load session: ${fetchError.message}`);
  }
  if (existing) {
    const lastUserMessage = await getLastUserMessageTimestamp(supabase, existing.id);
    const shouldIncrement = lastUserMessage ? now.getTime() - lastUserMessage.getTime() >= SESSION_TIMEOUT_MS : false;
    const existingMetadata = (existing.metadata ?? {}) as JsonObject;
    const currentNumber = existingMetadata.session_number ?? 1;
    const metadata = {
      ...existingMetadata,
      session_number: shouldIncrement ? currentNumber + 1 : currentNumber,
      ...(shouldIncrement ? { last_session_started_at: nowIso } : {}),
    };
    const upd = await supabase.from('user_sessions').update({ last_active_at: nowIso, metadata }).eq('id', existing.id);
    assert.equal(upd.error, null);
    if (shouldIncrement) {
      const results = await Promise.all([
        supabase.from('process_memories').delete().eq('session_id', existing.id),
        supabase.from('mental_process_state').delete().eq('session_id', existing.id),
        supabase.from('working_memory_snapshots').delete().eq('session_id', existing.id),
      ]);
      for (const r of results) assert.equal(r.error, null);
    }
    return { ...existing, metadata, last_active_at: nowIso, __isNewSession: false };
  }
  const { data: newSession, error: insertError } = await supabase
    .from('user_sessions')
    .insert({
      phone_number: phoneNumber,
      assigned_persona: 'samantha',
      total_messages: 0,
      metadata: { session_number: 1, last_session_started_at: nowIso },
    })
    .select()
    .single();
  if (insertError) throw new Error(`Failed to create session: ${insertError.message}`);
  return { ...newSession, __isNewSession: true } as UserSession;
}

async function saveSoulMemory(sessionId: string, key: string, value: NonNullable<Json>) {
  const { data, error } = await supabase
    .from('soul_memories')
    .upsert({ session_id: sessionId, key, value, updated_at: new Date().toISOString() },
      { onConflict: 'session_id,key' })
    .select()
    .single();
  if (error) throw new Error(`Failed to save soul memory '${key}': ${error.message}`);
  return data;
}

async function loadSoulMemories(sessionId: string): Promise<JsonObject> {
  const { data, error } = await supabase.from('soul_memories').select('*').eq('session_id', sessionId);
  if (error) throw new Error(`Failed to load soul memories: ${error.message}`);
  const map: JsonObject = {};
  for (const row of data || []) map[row.key] = row.value;
  return map;
}

async function loadSoulMemoryKey(sessionId: string, key: string) {
  const { data, error } = await supabase
    .from('soul_memories').select('value').eq('session_id', sessionId).eq('key', key).single();
  if (error && error.code !== 'PGRST116') throw new Error(`Failed to load soul memory '${key}': ${error.message}`);
  return data?.value;
}

async function saveProcessMemory(sessionId: string, processName: string, key: string, value: NonNullable<Json>) {
  const { data, error } = await supabase
    .from('process_memories')
    .upsert({ session_id: sessionId, process_name: processName, key, value, updated_at: new Date().toISOString() },
      { onConflict: 'session_id,process_name,key' })
    .select()
    .single();
  if (error) throw new Error(`Failed to save process memory '${processName}:${key}': ${error.message}`);
  return data;
}

async function saveMessage(sessionId: string, role: string, content: string,
  options: { messageSid?: string; region?: string; metadata?: JsonObject } = {}) {
  const { data, error } = await supabase
    .from('messages')
    .insert({
      session_id: sessionId, role, content,
      region: options.region || 'default',
      message_sid: options.messageSid,
      metadata: options.metadata || {},
    })
    .select()
    .single();
  if (error) throw new Error(`Failed to save message: ${error.message}`);
  return data;
}

async function loadConversationHistory(sessionId: string, { limit = 20, region }: { limit?: number; region?: string } = {}) {
  let query = supabase.from('messages').select('*').eq('session_id', sessionId).order('created_at', { ascending: true });
  if (region) query = query.eq('region', region);
  if (limit > 0) query = query.limit(limit);
  const { data, error } = await query;
  if (error) throw new Error(`Failed to load messages: ${error.message}`);
  return data.map((msg) => ({ role: msg.role, content: msg.content, timestamp: msg.created_at,
    metadata: { ...(msg.metadata as JsonObject), region: msg.region } }));
}

async function deleteOldMessages(sessionId: string, olderThanDays: number) {
  const cutoffDate = new Date();
  cutoffDate.setDate(cutoffDate.getDate() - olderThanDays);
  const { data, error } = await supabase
    .from('messages').delete().eq('session_id', sessionId).lt('created_at', cutoffDate.toISOString()).select();
  if (error) throw new Error(`Failed to delete old messages: ${error.message}`);
  return data?.length || 0;
}

async function saveMentalProcessState(sessionId: string, processName: string, params: JsonObject = {}) {
  const { data, error } = await supabase
    .from('mental_process_state')
    .upsert({ session_id: sessionId, process_name: processName, params, updated_at: new Date().toISOString() },
      { onConflict: 'session_id' })
    .select()
    .single();
  if (error) throw new Error(`Failed to save mental process state: ${error.message}`);
  return data;
}

async function loadMentalProcessState(sessionId: string) {
  const { data, error } = await supabase.from('mental_process_state').select('*').eq('session_id', sessionId).single();
  if (error && error.code !== 'PGRST116') return null;
  return data ?? null;
}

// --- the replay --------------------------------------------------------------------------------------
let phone: string, session: UserSession;

before(() => { phone = randomPhone(); });

test('loadOrCreateSession: PGRST116 on first contact, then insert().select().single()', async () => {
  session = await loadOrCreateSession(phone);
  assert.equal(session.__isNewSession, true);
  assert.equal(session.phone_number, phone);
  assert.equal(session.metadata.session_number, 1);
  const again = await loadOrCreateSession(phone);
  assert.equal(again.__isNewSession, false);
  assert.equal(again.id, session.id);
  assert.equal(again.metadata.session_number, 1, 'no user message yet: no rollover');
});

test('soul memories: upsert onConflict session_id,key; load all; load one key; PGRST116 as undefined', async () => {
  const row = await saveSoulMemory(session.id, 'user_name', 'Ada');
  assert.equal(row.value, 'Ada');
  const updated = await saveSoulMemory(session.id, 'user_name', { first: 'Ada', last: 'L.' });
  assert.equal(updated.id, row.id, 'updated in place');
  await saveSoulMemory(session.id, 'mood_history', ['calm', 'anxious']);
  assert.deepEqual(await loadSoulMemories(session.id),
    { user_name: { first: 'Ada', last: 'L.' }, mood_history: ['calm', 'anxious'] });
  assert.deepEqual(await loadSoulMemoryKey(session.id, 'mood_history'), ['calm', 'anxious']);
  assert.equal(await loadSoulMemoryKey(session.id, 'missing'), undefined);
});

test('process memories and mental process state: upserts with their composite keys', async () => {
  const a = await saveProcessMemory(session.id, 'intake', 'step', 1);
  const b = await saveProcessMemory(session.id, 'intake', 'step', 2);
  assert.equal(a.id, b.id);
  assert.equal(b.value, 2);
  const s1 = await saveMentalProcessState(session.id, 'intake', { turn: 1 });
  const s2 = await saveMentalProcessState(session.id, 'reflection', { turn: 2 });
  assert.equal(s1.id, s2.id);
  assert.deepEqual((await loadMentalProcessState(session.id))?.params, { turn: 2 });
  assert.equal(await loadMentalProcessState('00000000-0000-4000-8000-000000000000'), null);
});

test('messages: saveMessage with regions, history in order, by region, batch insert, .in()', async () => {
  await saveMessage(session.id, 'user', 'I could not sleep', { messageSid: `SM${Date.now()}a` });
  await saveMessage(session.id, 'assistant', 'That sounds hard.', { metadata: { model: 'x' } });
  await saveMessage(session.id, 'system', 'Summary: poor sleep', { region: 'summary' });
  const history = await loadConversationHistory(session.id);
  assert.deepEqual(history.map((m) => m.role), ['user', 'assistant', 'system']);
  assert.deepEqual(history[1].metadata, { model: 'x', region: 'default' });
  const summary = await loadConversationHistory(session.id, { region: 'summary', limit: 0 });
  assert.deepEqual(summary.map((m) => m.content), ['Summary: poor sleep']);
  // Performance patterns: explicit columns + limit; batch insert; one .in() query
  const recent = ok(await supabase.from('messages').select('id, content, created_at')
    .eq('session_id', session.id).order('created_at', { ascending: false }).limit(20));
  assert.equal(recent.length, 3);
  assert.deepEqual(Object.keys(recent[0]).sort(), ['content', 'created_at', 'id']);
  ok(await supabase.from('messages').insert([
    { session_id: session.id, role: 'user', content: 'msg1' },
    { session_id: session.id, role: 'assistant', content: 'msg2' },
  ]));
  const all = ok(await supabase.from('messages').select().in('session_id', [session.id]));
  assert.equal(all.length, 5);
});

test('rpc increment_session_messages({session_id}) counts atomically; unknown id is a 404', async () => {
  const { data } = await supabase.rpc('increment_session_messages', { session_id: session.id });
  assert.equal(data, 1);
  assert.equal(ok(await supabase.rpc('increment_session_messages', { session_id: session.id })), 2);
  refused(await supabase.rpc('increment_session_messages', { session_id: '00000000-0000-4000-8000-000000000000' }),
    { status: 404 });
});

test('deleteOldMessages: delete().eq().lt(created_at).select() returns what it removed', async () => {
  await sql(`update public.messages set created_at = now() - interval '40 days'
             where session_id = $1 and content in ('msg1', 'msg2')`, [session.id]);
  assert.equal(await deleteOldMessages(session.id, 30), 2);
  assert.equal((await loadConversationHistory(session.id)).length, 3);
});

test('loadOrCreateSession after an hour of silence rolls over and clears ephemeral state', async () => {
  await sql(`update public.messages set created_at = now() - interval '2 hours' where session_id = $1`, [session.id]);
  const rolled = await loadOrCreateSession(phone);
  assert.equal(rolled.metadata.session_number, 2);
  assert.equal(await loadMentalProcessState(session.id), null);
  assert.deepEqual(ok(await supabase.from('process_memories').select('*').eq('session_id', session.id)), []);
  assert.deepEqual(Object.keys(await loadSoulMemories(session.id)).sort(), ['mood_history', 'user_name'],
    'soul memories survive');
});

test('pg_convo\'s atomic rpc load_or_create_session, then the memory upserts the backend does next', async () => {
  const p = randomPhone();
  const created = ok(await supabase.rpc('load_or_create_session', { p_phone_number: p }));
  // a composite type's fields are all nullable in the generated types: assert, which narrows
  assert.ok(created.id);
  assert.equal(created.is_new_session, true);
  assert.equal(created.phone_number, p);
  assert.equal((created.metadata as JsonObject).session_number, 1);
  const again = ok(await supabase.rpc('load_or_create_session', { p_phone_number: p }));
  assert.equal(again.id, created.id);
  assert.equal(again.is_new_session, false);
  await saveSoulMemory(created.id, 'first_words', 'hello');
  await saveMentalProcessState(created.id, 'initial');
  assert.deepEqual(await loadSoulMemories(created.id), { first_words: 'hello' });
  assert.equal((await loadMentalProcessState(created.id))?.process_name, 'initial');
});

test('bad input: a malformed phone number, an unknown session or role is a 4xx, nothing written', async () => {
  refused(await supabase.rpc('load_or_create_session', { p_phone_number: 'call me maybe' }), { status: 400, code: '22023' });
  refused(await supabase.from('user_sessions').insert({ phone_number: '12345', assigned_persona: 'x' }), { status: 400 });
  refused(await supabase.from('soul_memories').upsert(
    { session_id: '00000000-0000-4000-8000-000000000000', key: 'k', value: 1 }, { onConflict: 'session_id,key' }),
  { status: 409, code: '23503' });
  refused(await supabase.from('messages').insert({ session_id: session.id, role: 'robot', content: 'x' }), { status: 400 });
  const [{ n }] = await sql('select count(*)::int as n from public.user_sessions where phone_number = $1', ['12345']);
  assert.equal(n, 0);
});

test('the service-role tables are closed to apps: anon and signed-in users get 401/403', async () => {
  const user = await createUser();
  const err = refused(await seed.asUser(user.id).from('user_sessions').select('*'), { status: 403, code: '42501' });
  assert.match(err.message, /permission denied/);
  refused(await seed.anon().from('soul_memories').select('*'), { status: 401, code: '42501' });
  refused(await seed.asUser(user.id).rpc('load_or_create_session', { p_phone_number: randomPhone() }),
    { status: 403, code: '42501' });
});
