// Seed 003, the web assistant's "Data Layers" (a Node backend with the service-role key). The seed
// names its Supabase operations without code; this replays what they do with supabase-js:
// getClientByIdentifier, upsertClient, createConversation, saveMessage, createReservation,
// createOrder, getClientPlan, in the order of its "New User" and "Returning User" flows.
import { test } from 'node:test';
import { assert, replaySeed, createUser, uniqueEmail, sql, ok, refused, randomUUID } from './helpers.ts';
import type { Database, Tables, TablesInsert } from '../../types/database.ts';

const seed = replaySeed('003', 'Data Layers');
const supabase = seed.asService();   // SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY

// The data layer's functions, typed by the generated schema types as an app would type them.
type Rpc<Name extends keyof Database['public']['Functions']> = Database['public']['Functions'][Name]['Args'];
const getClientByIdentifier = (identifier: string, type: Rpc<'get_client_by_identifier'>['p_type']) =>
  supabase.rpc('get_client_by_identifier', { p_identifier: identifier, p_type: type });
const upsertClient = (clientData: TablesInsert<'clients'>) =>
  supabase.from('clients').upsert(clientData, { onConflict: 'email' }).select().single();
const createConversation = (conversationData: TablesInsert<'conversations'>) =>
  supabase.from('conversations').insert(conversationData).select().single();
const saveMessage = (messageData: TablesInsert<'messages'>) => supabase.from('messages').insert(messageData);
const createReservation = (reservationData: TablesInsert<'reservations'>) =>
  supabase.from('reservations').insert(reservationData).select().single();
const createOrder = (orderData: TablesInsert<'orders'>) => supabase.from('orders').insert(orderData).select().single();
const getClientPlan = (clientId: string) => supabase.rpc('get_client_plan', { p_client_id: clientId });

const email = uniqueEmail('diner');
const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const conversationId = `conv_${randomUUID().slice(0, 8)}`;
let client: Tables<'clients'>;

test('new user flow: identify by email (none yet), create the client, conversation, messages', async () => {
  assert.deepEqual(ok(await getClientByIdentifier(email, 'email')), []);
  client = ok(await upsertClient({ name: 'Dana', email, phone, preferred_language: 'es' }));
  assert.equal(client.plan, 'basic');
  ok(await createConversation({ id: conversationId, client_id: client.id, language: 'es' }));
  const saved = await saveMessage({ conversation_id: conversationId, role: 'user', content: 'Hola, una mesa para dos' });
  assert.equal(saved.status, 201);
  ok(await saveMessage({ conversation_id: conversationId, role: 'assistant', content: '¿Para cuándo?' }));
  const msgs = ok(await supabase.from('messages').select('role, content')
    .eq('conversation_id', conversationId).order('created_at', { ascending: true }));
  assert.deepEqual(msgs.map((m) => m.role), ['user', 'assistant']);
});

test('a conversation before the visitor is identified (client_id null), then attached', async () => {
  const anonConv = `conv_${randomUUID().slice(0, 8)}`;
  ok(await createConversation({ id: anonConv, language: 'en' }));
  const attached = ok(await supabase.from('conversations').update({ client_id: client.id })
    .eq('id', anonConv).select().single());
  assert.equal(attached.client_id, client.id);
});

test('returning user flow: found by email (any case) and by phone; the upsert updates in place', async () => {
  const [byEmail] = ok(await getClientByIdentifier(email.toUpperCase(), 'email'));
  assert.equal(byEmail.id, client.id);
  const [byPhone] = ok(await getClientByIdentifier(` ${phone} `, 'phone'));
  assert.equal(byPhone.id, client.id);
  const again = ok(await upsertClient({ name: 'Dana R.', email, plan: 'premium' }));
  assert.equal(again.id, client.id);
  assert.equal(again.name, 'Dana R.');
});

test('plan-based language control: getClientPlan', async () => {
  assert.equal(ok(await getClientPlan(client.id)), 'premium');
  refused(await getClientPlan(randomUUID()), { status: 404 });
});

test('business data: createReservation and createOrder, then the order is paid', async () => {
  const when = new Date(Date.now() + 86_400_000).toISOString();
  const r = ok(await createReservation({ client_id: client.id, name: 'Dana', email, phone,
    datetime: when, guests: 2, notes: 'window seat', google_calendar_event_id: 'evt_1' }));
  assert.equal(r.guests, 2);
  const orderId = `ord_${randomUUID().slice(0, 8)}`;
  const o = ok(await createOrder({ client_id: client.id, order_id: orderId, payment_intent_id: 'pi_1',
    amount: 42.5, items: [{ sku: 'menu-a', qty: 2 }] }));
  assert.equal(o.status, 'pending');
  assert.equal(o.currency, 'usd');
  assert.equal(Number(o.amount), 42.5);
  const paid = ok(await supabase.from('orders').update({ status: 'paid' }).eq('order_id', orderId).select().single());
  assert.equal(paid.status, 'paid');
  refused(await createOrder({ client_id: client.id, order_id: orderId, amount: 1 }), { status: 409, code: '23505' });
});

test('bad input is a 4xx with a clear message, nothing written', async () => {
  refused(await getClientByIdentifier('   ', 'email'), { status: 400, code: '22023' });
  refused(await getClientByIdentifier(email, 'fax'), { status: 400, code: '22023' });
  refused(await getClientPlan('not-a-uuid'), { status: 400 });
  refused(await upsertClient({ email: uniqueEmail('gold'), plan: 'gold' }), { status: 400, code: '23514' });
  refused(await createReservation({ client_id: client.id, datetime: new Date().toISOString(), guests: 0 }),
    { status: 400, code: '23514' });
  refused(await saveMessage({ conversation_id: 'conv_missing', role: 'user', content: 'x' }), { status: 409, code: '23503' });
  refused(await createOrder({ order_id: `ord_${randomUUID()}`, amount: -1 }), { status: 400, code: '23514' });
  const [{ n }] = await sql('select count(*)::int as n from public.reservations where client_id = $1 and guests = 0', [client.id]);
  assert.equal(n, 0);
});

test('the customer tables are the backend\'s: a signed-in app user and anon are refused', async () => {
  const user = await createUser();
  refused(await seed.asUser(user.id).from('clients').select('*'), { status: 403, code: '42501' });
  refused(await seed.anon().from('orders').select('*'), { status: 401, code: '42501' });
  refused(await seed.asUser(user.id).rpc('get_client_plan', { p_client_id: client.id }), { status: 403, code: '42501' });
});
