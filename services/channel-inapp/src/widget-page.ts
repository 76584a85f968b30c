/**
 * The embeddable customer chat: plain HTML and JS, no build. The host app embeds it in an iframe
 * (`/widget#token=<identity token>`) or posts the token in (`{type:'switchboard:token', token}`),
 * so the token never reaches our server logs in a query string. It shows the conversation from
 * `GET /v1/messages`, sends with `POST /v1/messages`, receives pushes over the WebSocket, acks
 * each one, de-duplicates by id, and reconnects with backoff.
 */
export const WIDGET_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Support chat</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 html,body{height:100%;margin:0}
 body{font:15px system-ui,sans-serif;color:#222;display:flex;flex-direction:column}
 header{padding:.5rem .75rem;background:#0b6;color:#fff;font-weight:600}
 #state{font-weight:400;font-size:.85em;opacity:.9;margin-left:.5rem}
 #log{flex:1;overflow:auto;padding:.5rem;background:#fafafa}
 .msg{display:flex;margin:.25rem 0}.customer{justify-content:flex-end}
 .msg span{display:inline-block;padding:.4rem .6rem;border-radius:8px;max-width:80%;white-space:pre-wrap;word-wrap:break-word}
 .customer span{background:#d7ecff}.support span{background:#fff;border:1px solid #ddd}
 .ticket{display:block;font-size:.75em;color:#666;margin-top:.15rem}
 form{display:flex;gap:.5rem;padding:.5rem;border-top:1px solid #ddd} textarea{flex:1;font:inherit} button{font:inherit}
</style></head><body>
<header>Support <span id="state">connecting…</span></header>
<div id="log" role="log" aria-live="polite"></div>
<form id="send"><textarea id="text" rows="2" aria-label="your message" placeholder="Write your message"></textarea><button>Send</button></form>
<script>
(() => {
  const log = document.getElementById('log'), state = document.getElementById('state');
  const shown = new Set();
  let token = new URLSearchParams(location.hash.slice(1)).get('token'), ws, retry = 0;
  const setState = (t) => { state.textContent = t; };
  function show(m) {
    if (shown.has(m.id)) return; shown.add(m.id);
    const row = document.createElement('div'); row.className = 'msg ' + (m.from === 'customer' ? 'customer' : 'support'); row.dataset.id = m.id;
    const bubble = document.createElement('span'); bubble.textContent = m.text;
    if (m.ticketNumber) { const t = document.createElement('small'); t.className = 'ticket'; t.textContent = 'ticket #' + m.ticketNumber; bubble.append(t); }
    row.append(bubble); log.append(row); log.scrollTop = log.scrollHeight;
  }
  async function history() {
    const r = await fetch('v1/messages', { headers: { authorization: 'Bearer ' + token } });
    if (!r.ok) { setState('sign-in refused'); return false; }
    (await r.json()).messages.reverse().forEach(show); return true;
  }
  function connect() {
    ws = new WebSocket(new URL('v1/ws?token=' + encodeURIComponent(token), location.href.replace(/^http/, 'ws')));
    ws.onopen = () => { retry = 0; setState('online'); };
    ws.onmessage = (e) => { const f = JSON.parse(e.data); if (f.type === 'message') { show({ ...f, from: 'support' }); ws.send(JSON.stringify({ type: 'ack', id: f.id })); } };
    // A refused upgrade looks like any dropped connection; history() tells them apart (401 stops here).
    ws.onclose = () => { setState('reconnecting…'); setTimeout(async () => { if (await history().catch(() => true)) connect(); }, Math.min(30000, 500 * 2 ** retry++)); };
  }
  async function start(t) { token = t; if (await history()) connect(); }
  window.addEventListener('message', (e) => { if (e.data && e.data.type === 'switchboard:token' && !ws) start(e.data.token); });
  document.getElementById('send').onsubmit = async (e) => {
    e.preventDefault(); const box = document.getElementById('text'); const text = box.value.trim(); if (!text || !token) return;
    const id = crypto.randomUUID();
    const r = await fetch('v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ text, clientMessageId: id }) });
    if (r.ok) { show({ id: (await r.json()).eventId, from: 'customer', text }); box.value = ''; } else setState('not sent: ' + (await r.json()).message);
  };
  if (token) start(token); else setState('waiting for sign-in');
})();
</script></body></html>`;
