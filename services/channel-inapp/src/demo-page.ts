/** A minimal customer chat, enough to try the whole pipeline from a browser. */
export const DEMO_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard in-app demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
 #log{border:1px solid #ccc;border-radius:8px;height:22rem;overflow:auto;padding:.5rem;background:#fafafa}
 .me{text-align:right}.me span{background:#d7ecff}.them span{background:#fff;border:1px solid #ddd}
 .me span,.them span{display:inline-block;padding:.4rem .6rem;border-radius:8px;margin:.2rem 0;max-width:80%;white-space:pre-wrap}
 form{display:flex;gap:.5rem;margin-top:.5rem} input,textarea,button{font:inherit} textarea{flex:1}
 #status{color:#666;font-size:.9em}
</style></head><body>
<h1>Switchboard in-app chat (demo)</h1>
<form id="who"><input id="user" value="demo-customer" aria-label="user id"><button>Connect as this customer</button></form>
<p id="status">not connected</p>
<div id="log" aria-live="polite"></div>
<form id="send"><textarea id="text" rows="2" placeholder="e.g. saldo kepotong tapi transfer gagal, tolong min"></textarea><button>Send</button></form>
<script>
let token, ws;
const log = (who, text) => { const d = document.createElement('div'); d.className = who; const s = document.createElement('span'); s.textContent = text; d.append(s); const l = document.getElementById('log'); l.append(d); l.scrollTop = l.scrollHeight; };
const status = (t) => document.getElementById('status').textContent = t;
document.getElementById('who').onsubmit = async (e) => {
  e.preventDefault(); if (ws) ws.close();
  const userId = document.getElementById('user').value.trim();
  const r = await fetch('/demo/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  if (!r.ok) return status('token refused: ' + (await r.text()));
  token = (await r.json()).token;
  ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/v1/ws?token=' + encodeURIComponent(token));
  ws.onopen = () => status('connected as ' + userId);
  ws.onclose = () => status('disconnected');
  ws.onmessage = (m) => { const f = JSON.parse(m.data); if (f.type === 'message') { log('them', f.text); ws.send(JSON.stringify({ type: 'ack', id: f.id })); } };
};
document.getElementById('send').onsubmit = async (e) => {
  e.preventDefault(); const box = document.getElementById('text'); const text = box.value.trim(); if (!text || !token) return;
  const r = await fetch('/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ text, clientMessageId: crypto.randomUUID() }) });
  if (r.ok) { log('me', text); box.value = ''; } else status('not sent: ' + (await r.text()));
};
</script></body></html>`;
