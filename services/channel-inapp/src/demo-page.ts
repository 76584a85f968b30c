/**
 * Stands in for the e-wallet app in local demos: mints a token for any user id (as the app's
 * backend would) and embeds the real chat widget with it, exactly as a host app does.
 */
export const DEMO_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard in-app demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
 form{display:flex;gap:.5rem;margin-bottom:1rem} input,button{font:inherit}
 iframe{width:100%;height:28rem;border:1px solid #ccc;border-radius:8px}
</style></head><body>
<h1>Switchboard in-app chat (demo)</h1>
<p>The host app's backend signs the customer's identity; here this page does it for any user id.</p>
<form id="who"><input id="user" value="demo-customer" aria-label="user id"><button>Open the chat as this customer</button></form>
<p id="status"></p>
<div id="chat"></div>
<script>
document.getElementById('who').onsubmit = async (e) => {
  e.preventDefault();
  const userId = document.getElementById('user').value.trim();
  const r = await fetch('/demo/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  if (!r.ok) { document.getElementById('status').textContent = 'token refused: ' + (await r.text()); return; }
  const frame = document.createElement('iframe');
  frame.title = 'support chat'; frame.src = '/widget#token=' + encodeURIComponent((await r.json()).token);
  document.getElementById('chat').replaceChildren(frame);
  document.getElementById('status').textContent = 'chatting as ' + userId;
};
</script></body></html>`;
