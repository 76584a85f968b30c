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
// The other channels, through the provider sandbox: signed webhooks exactly as Twilio, Meta and
// Telegram would send them. Fixed provider ids are not needed: a second run just adds messages.
const sandbox = process.env.SANDBOX_URL ?? 'http://127.0.0.1:3090';
const others = [
  { provider: 'sms', from: '+6281200000001', text: 'gk bisa login min, akun saya terkunci' },
  { provider: 'whatsapp', from: '+6281200000002', text: 'Refund pesanan saya belum masuk sudah 5 hari', name: 'Dewi' },
  { provider: 'telegram', from: '700000001', text: 'Someone changed my password and I did not do it', name: 'Alex' },
  { provider: 'email', from: 'li.ming@mail.test', text: '退款问题\n我的退款还没有到账，已经五天了。订单号 TX-88231', name: '李明' },
];
for (const m of others) {
  try {
    const response = await fetch(`${sandbox}/customer/${m.provider}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m) });
    console.log(`demo: ${m.provider} customer ${m.from} wrote "${m.text.slice(0, 40)}…" (${response.status})`);
  } catch (error) {
    console.log(`demo: provider sandbox not reachable (${error.message}); skipping ${m.provider}`);
  }
}
console.log(`demo: open ${base}/ and chat as demo-sari to see her acknowledgement; ${sandbox}/ shows what the SMS, WhatsApp, Telegram and email customers received`);
