// Demo data for `npm start`: three customers write in (Indonesian, English, Chinese) through
// channel-inapp, so the database has routed tickets to look at. Fixed client message ids make a
// second `npm start` a no-op instead of a duplicate.
const base = process.env.INAPP_URL ?? 'http://127.0.0.1:3001';

const messages = [
  { userId: 'demo-sari', id: 'demo-1', text: 'Min, saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal. Tolong dicek ya' },
  { userId: 'demo-john', id: 'demo-2', text: "I can't log in, the OTP code never arrives on my phone" },
  { userId: 'demo-li', id: 'demo-3', text: '我的账户被盗了，有人用我的余额付款，请马上冻结' },
];

async function post(path, body, token) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

for (const m of messages) {
  const { token } = await post('/demo/token', { userId: m.userId });
  await post('/v1/messages', { text: m.text, clientMessageId: m.id }, token);
  console.log(`demo: ${m.userId} wrote "${m.text.slice(0, 50)}…"`);
}
console.log(`demo: open ${base}/ and connect as demo-sari to see her acknowledgement, or chat as anyone`);
