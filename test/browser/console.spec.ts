import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from 'mongoose';
import { Browser, Page } from 'playwright-core';
import { eventually, FakeTwilio, twilioInboundSmsParams } from '@switchboard/testing';
import { usePlatform, useTopicReader } from '../e2e/use-platform';
import { launchChromium } from './chromium';
import { DEMO_PASSWORD, markDocument, pageErrors, sameDocument, signIn } from './console-page';

const OUR_NUMBER = '+15005550006';
const SCREENSHOTS = resolve(__dirname, '../../docs/screenshots');
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> my refund has not arrived';

interface TicketDoc {
  _id: string;
  number: number;
  queue: string;
  status: string;
  assigneeId?: string;
}

describe('the console in a browser: agents work tickets, supervisors watch and move them', () => {
  const twilioApi = new FakeTwilio({ callbackDelayMs: 100 });
  beforeAll(() => twilioApi.start());

  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier', 'channel-sms', 'console'], () => ({
    'channel-sms': { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilioApi.url },
    console: { CONSOLE_JWT_SECRET: 'browser-test-jwt-secret-0123456789abcdef', CONSOLE_DEMO_USERS: 'true', CONSOLE_DEMO_PASSWORD: DEMO_PASSWORD },
  }));
  const commands = useTopicReader(platform, 'commands');
  let db: Connection;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    db = database();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await twilioApi.stop();
  });

  afterEach(() => {
    for (const page of pages) expect(pageErrors(page)).toEqual([]);
  });

  const consoleUrl = () => platform.service('console').url;
  const open = async (email: string) => {
    const page = await signIn(browser, consoleUrl(), email);
    pages.push(page);
    return page;
  };
  let smsCount = 0;
  /** A customer texts us: a webhook signed as Twilio signs it. */
  const customerTexts = async (text: string): Promise<{ phone: string; ticket: TicketDoc }> => {
    const phone = `+62812${String(Date.now()).slice(-5)}${String(++smsCount).padStart(2, '0')}`;
    const response = await twilioApi.sendWebhook(`${platform.service('channel-sms').url}/webhooks/twilio/sms`, twilioInboundSmsParams({ from: phone, body: text, to: OUR_NUMBER, accountSid: twilioApi.accountSid }));
    expect(response.status).toBe(200);
    const ticket = await eventually(async () => (await db.collection<TicketDoc>('tickets').findOne({ contactKey: `sms:twilio:${phone}` })) ?? undefined, 60_000);
    return { phone, ticket };
  };
  const ticketNow = async (id: string) => (await db.collection<TicketDoc>('tickets').findOne({ _id: id })) as TicketDoc;

  /** What the first test leaves for the relay check: the SMS customer and the reply they should get. */
  const replied: { phone?: string; text?: string; ticketId?: string } = {};

  it('an agent signs in, goes available, accepts the offer of an SMS ticket and replies', async () => {
    const agent = await open('agent@example.com');
    await agent.getByRole('link', { name: 'My work' }).waitFor();
    await agent.getByLabel('presence').selectOption('available');
    // Shown once the API accepted it, i.e. the agent.presence command is on Kafka. The router
    // offers waiting tickets to an agent who turns available, so the SMS need not wait for it.
    await agent.locator('label.presence[data-state="available"]').waitFor();

    const { phone, ticket } = await customerTexts('gk bisa login min, akun saya terkunci setelah salah PIN');
    const offer = agent.locator(`.offer[data-ticket="${ticket._id}"]`);
    await offer.waitFor({ timeout: 60_000 });
    await expect(offer.textContent()).resolves.toContain(`SB-${ticket.number}`);
    await expect(offer.locator('.countdown').textContent()).resolves.toMatch(/\d+s left/);
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-workspace.png') });

    await offer.getByRole('button', { name: 'Accept' }).click();
    await agent.waitForURL(/#\/ticket\//);
    await eventually(async () => ((await ticketNow(ticket._id)).assigneeId === 'agent-putri' ? true : undefined), 30_000);
    await agent.locator('.ticket-head .badge', { hasText: 'Assigned' }).waitFor();
    await expect(agent.locator('.message.customer .text').first().textContent()).resolves.toBe('gk bisa login min, akun saya terkunci setelah salah PIN');

    const reply = `Halo, akun Anda sudah kami buka kembali (${Date.now()}).`;
    await agent.getByLabel('reply', { exact: true }).fill(reply);
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await agent.locator('.notice.ok', { hasText: 'Reply sent' }).waitFor();
    const command = await commands.waitFor((r) => JSON.parse(r.value ?? 'null')?.command?.text === reply, 30_000);
    expect(JSON.parse(command.value ?? 'null')).toMatchObject({ actor: { role: 'agent' }, command: { type: 'ticket.reply', ticketId: ticket._id, agentId: 'agent-putri', text: reply } });
    await agent.screenshot({ path: join(SCREENSHOTS, 'ticket-view.png') });
    Object.assign(replied, { phone, text: reply, ticketId: ticket._id });
  });

  it('the agent reply reaches the customer through the Twilio API and shows in the conversation', async () => {
    expect(replied.text).toBeDefined();
    const sent = await twilioApi.waitForMessage((m) => m.to === replied.phone && m.body.includes(replied.text as string), 60_000);
    expect(sent.body).toContain(replied.text);
    const agent = await open('agent@example.com');
    await agent.goto(`${consoleUrl()}/#/ticket/${encodeURIComponent(replied.ticketId as string)}`);
    await agent.locator('.message.agent .text', { hasText: replied.text }).waitFor({ timeout: 30_000 });
  });

  it('a supervisor sees a queue count change live and transfers the ticket', async () => {
    const supervisor = await open('supervisor@example.com');
    await supervisor.getByRole('link', { name: 'Dashboard' }).waitFor();
    const refundsWaiting = supervisor.locator('tr[data-queue="refunds"] td.waiting');
    await refundsWaiting.waitFor();
    const before = Number(await refundsWaiting.textContent());
    await markDocument(supervisor);

    const { ticket } = await customerTexts('I want a refund: my refund for the order of 12 March has not arrived yet');
    expect(ticket.queue).toBe('refunds');
    await eventually(async () => (Number(await refundsWaiting.textContent()) === before + 1 ? true : undefined), 30_000);
    expect(await sameDocument(supervisor)).toBe(true);
    await supervisor.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await supervisor.goto(`${consoleUrl()}/#/ticket/${encodeURIComponent(ticket._id)}`);
    await supervisor.locator('.ticket-head h2', { hasText: `SB-${ticket.number}` }).waitFor();
    await supervisor.getByLabel('transfer to').selectOption('queue:trust-and-safety');
    await supervisor.getByRole('button', { name: 'Transfer', exact: true }).click();
    await supervisor.locator('.notice.ok', { hasText: 'Transfer requested' }).waitFor();
    await eventually(async () => ((await ticketNow(ticket._id)).queue === 'trust-and-safety' ? true : undefined), 30_000);
    // The ticket view follows the ticket's events: its queue changes without a reload.
    await supervisor.locator('.fact', { hasText: 'Queue' }).locator('.fact-value', { hasText: 'trust-and-safety' }).waitFor({ timeout: 30_000 });
  });

  it("an agent cannot open another queue's ticket: the API says 403 and the page shows nothing of it", async () => {
    const { ticket } = await customerTexts('akun saya dibobol orang, ada transaksi yang bukan saya lakukan, tolong blokir');
    const agentQueues = ['account-access', 'payments', 'general'];
    expect(agentQueues).not.toContain(ticket.queue);

    const login = await fetch(`${consoleUrl()}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'agent@example.com', password: DEMO_PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const refused = await fetch(`${consoleUrl()}/api/tickets/${encodeURIComponent(ticket._id)}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    const agent = await open('agent@example.com');
    await agent.goto(`${consoleUrl()}/#/ticket/${encodeURIComponent(ticket._id)}`);
    await agent.locator('.refused', { hasText: 'You do not have access to this ticket.' }).waitFor();
    const shown = (await agent.locator('main').textContent()) ?? '';
    expect(shown).not.toContain(`SB-${ticket.number}`);
    expect(shown).not.toContain('dibobol');
    await agent.goto(`${consoleUrl()}/#/tickets`);
    await agent.locator('.results p.muted').waitFor();
    expect(await agent.locator(`tr[data-ticket="${ticket._id}"]`).count()).toBe(0);
  });

  it('a stored script in a customer message renders as text in the ticket view, the list and the dashboard', async () => {
    const { phone, ticket } = await customerTexts(XSS);
    const supervisor = await open('supervisor@example.com');
    const noScriptRan = async () => {
      expect(await supervisor.evaluate('window.__xss')).toBeUndefined();
      expect(await supervisor.locator('img[src="x"]').count()).toBe(0);
      expect(await supervisor.locator('main script').count()).toBe(0);
    };

    await supervisor.goto(`${consoleUrl()}/#/ticket/${encodeURIComponent(ticket._id)}`);
    const text = supervisor.locator('.message.customer .text').first();
    await text.waitFor();
    await expect(text.textContent()).resolves.toBe(XSS);
    await noScriptRan();

    for (const where of ['tickets', 'dashboard']) {
      await supervisor.goto(`${consoleUrl()}/#/${where}`);
      await supervisor.getByLabel('search', { exact: true }).fill(phone);
      await supervisor.getByRole('button', { name: 'Search' }).click();
      const row = supervisor.locator(`tr[data-ticket="${ticket._id}"]`);
      await row.waitFor();
      // The list shows what the API gives it; whatever customer text it shows is literal.
      const preview = row.locator('td.preview');
      if (await preview.count()) await expect(preview.textContent()).resolves.toContain(XSS);
      await expect(row.locator('td.customer').textContent()).resolves.toBe(phone);
      await noScriptRan();
    }
  });
  it('an admin edits an agent and the workflow, each checked before it is sent, and finds both in the audit log', async () => {
    const admin = await open('admin@example.com');
    await admin.getByRole('link', { name: 'Agents' }).click();
    const putri = admin.locator('tr[data-agent="agent-putri"]');
    await putri.waitFor();
    await putri.getByRole('button', { name: 'Edit' }).click();
    const editor = admin.locator('section[aria-label="agent editor"]');

    // Refused in the page: nothing is sent.
    await editor.getByLabel('level').fill('1.5');
    await editor.getByRole('button', { name: 'Save agent' }).click();
    await editor.locator('.errors', { hasText: 'Level is a whole number from 0 to 100.' }).waitFor();

    await editor.getByLabel('level').fill('2');
    await editor.getByLabel('languages').fill('en, id, zh');
    await editor.getByRole('button', { name: 'Save agent' }).click();
    await editor.locator('.notice.ok', { hasText: 'Saved' }).waitFor();
    await eventually(async () => {
      const agent = await db.collection('agents').findOne({ _id: 'agent-putri' as never });
      return agent?.profile?.languages?.includes('zh') && agent.profile.level === 2 ? true : undefined;
    }, 30_000);
    await admin.reload();
    await putri.locator('td', { hasText: 'en, id, zh' }).waitFor();

    await admin.getByRole('link', { name: 'Workflow' }).click();
    const source = admin.getByLabel('workflow source');
    await eventually(async () => ((await source.inputValue()).includes('queues:') ? true : undefined), 15_000);
    await admin.getByRole('button', { name: 'Simulate' }).click();
    const simulation = admin.locator('table.simulation');
    await simulation.waitFor({ timeout: 30_000 });
    await expect(simulation.locator('tbody tr').count()).resolves.toBeGreaterThan(3);
    await admin.screenshot({ path: join(SCREENSHOTS, 'workflow-editor.png'), fullPage: true });

    await source.fill('version: 1\nqueues: []\nfilters: nope\n');
    await admin.getByRole('button', { name: 'Validate and save' }).click();
    await admin.locator('section[aria-label="result"] .notice.error', { hasText: 'The workflow is not valid' }).waitFor();
    await expect(admin.locator('section[aria-label="result"] .errors li').count()).resolves.toBeGreaterThan(0);

    await admin.getByRole('link', { name: 'Audit log' }).click();
    const audit = admin.locator('table.audit');
    await audit.locator('tr', { hasText: 'agent.upsert' }).filter({ hasText: 'admin@example.com' }).first().waitFor();
    await audit.locator('tr', { hasText: 'workflow.set' }).filter({ hasText: 'refused' }).first().waitFor();
    await audit.locator('tr', { hasText: 'ticket.transfer' }).filter({ hasText: 'supervisor@example.com' }).first().waitFor();
  });

  it('a supervisor changes their password on their account page; the old one no longer signs in', async () => {
    const supervisor = await open('supervisor@example.com');
    await supervisor.locator('header.top a.who').click();
    const form = supervisor.locator('form[aria-label="change password"]');
    await form.getByLabel('Current password').fill('not my password at all');
    await form.getByLabel('New password', { exact: true }).fill('a brand new passphrase of mine');
    await form.getByLabel('New password again').fill('a brand new passphrase of mine');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.locator('.notice.error', { hasText: 'The current password is wrong.' }).waitFor();

    await form.getByLabel('Current password').fill(DEMO_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.locator('.notice.ok', { hasText: 'Password changed' }).waitFor();
    // Still signed in with the session the change handed back.
    await supervisor.getByRole('link', { name: 'Dashboard' }).click();
    await supervisor.locator('.live-state[data-state="live"]').waitFor();

    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(consoleUrl());
    await fresh.getByLabel('Email').fill('supervisor@example.com');
    await fresh.getByLabel('Password').fill(DEMO_PASSWORD);
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await fresh.locator('.notice.error', { hasText: 'Wrong email or password.' }).waitFor();
    await fresh.context().close();
  });
});
