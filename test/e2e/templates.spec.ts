import { Customer } from './customer';
import { usePlatform } from './use-platform';

const ADMIN = 'e2e-admin-token-0123456789';

describe('operators edit what customers are told, without a redeploy', () => {
  const { platform } = usePlatform(['channel-inapp', 'classifier', 'router', 'notifier'], () => ({ notifier: { NOTIFIER_ADMIN_TOKEN: ADMIN, TEMPLATE_REFRESH_MS: '500' } }));
  const api = (path: string, init: RequestInit = {}, token: string | null = ADMIN) =>
    fetch(`${platform.service('notifier').url}/templates${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
    });
  const custom = { subject: 'Kami terima [{{ticketToken}}]', text: 'Halo! Tiket #{{ticketNumber}} sudah kami catat. {{selfHelp}}', sms: 'Tiket #{{ticketNumber}} dicatat.', updatedBy: 'ops-ana' };

  it('lists every message kind and language with its variables and default, to the admin only', async () => {
    expect((await api('', {}, null)).status).toBe(403);
    expect((await api('', {}, 'not-the-token-at-all-000')).status).toBe(403);
    const body = (await (await api('')).json()) as { templates: { kind: string; language: string; variables: { required: string[] } }[] };
    const kinds = ['received', 'need_details', 'assigned', 'agent_reply', 'waiting_for_customer', 'resolved', 'reopened', 'escalated', 'queue_update', 'survey_thanks'];
    expect([...new Set(body.templates.map((t) => t.kind))].sort()).toEqual([...kinds].sort());
    expect(body.templates).toHaveLength(kinds.length * 3);
    expect(body.templates.find((t) => t.kind === 'received' && t.language === 'id')?.variables.required).toEqual(['ticketNumber']);
  });

  it('refuses a template that could not be sent, saying why', async () => {
    const response = await api('/received/id', { method: 'PUT', body: JSON.stringify({ ...custom, text: 'Halo {{nama}}' }) });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { problems: string[] };
    expect(body.problems).toEqual(expect.arrayContaining([expect.stringMatching(/unknown variable \{\{nama\}\}/), 'text: must contain {{ticketNumber}}']));
    expect((await api('/nonsense/id', { method: 'PUT', body: JSON.stringify(custom) })).status).toBe(404);
    expect((await api('/received/id', { method: 'PUT', body: JSON.stringify({ ...custom, extra: 1 }) })).status).toBe(400);
  });

  it('uses a saved template for the next customer at once, and the default again after a reset', async () => {
    expect((await api('/received/id', { method: 'PUT', body: JSON.stringify(custom) })).status).toBe(200);

    const first = new Customer(platform, 'tpl-501');
    const socket = await first.openApp();
    await first.send('saldo saya kepotong tapi transfer gagal, tolong min');
    const ack = await socket.waitForMessage();
    expect(ack.text).toMatch(new RegExp(`^Halo! Tiket #${ack.ticketNumber} sudah kami catat\\.`));

    expect((await api('/received/id', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/received/id', { method: 'DELETE' })).status).toBe(404);
    const second = new Customer(platform, 'tpl-502');
    const secondSocket = await second.openApp();
    await second.send('refund saya belum masuk sudah seminggu');
    const again = await secondSocket.waitForMessage();
    expect(again.text).toMatch(/^Terima kasih telah menghubungi kami/);
    socket.close();
    secondSocket.close();
  });
});
