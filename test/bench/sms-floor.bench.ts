// The floor of an SMS notification on this machine, with none of the platform around it: the twilio
// SDK (as channel-sms builds it) sends messages at a target rate to the fake Twilio, which answers
// and posts its two status callbacks (sent, delivered) to a plain node:http receiver that checks
// each signature with twilio.validateRequest, as channel-sms does. No Kafka, no database, no
// notifier. The fake runs in a child process so each side's CPU is counted on its own.
// It prints messages per second, the CPU per message of the sending side (SDK + callback
// receiver: what channel-sms cannot spend less than) and of the fake (Twilio's servers), and so
// the highest rate two cores could carry if the platform cost nothing else.
// Run: npm run bench:sms-floor [-- rate seconds concurrency]
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import twilio from 'twilio';
import { FakeTwilio } from '@switchboard/testing';
import { RedirectingRequestClient } from '../../services/channel-sms/src/twilio-client';

const OUR_NUMBER = '+15005550006';
const CALLBACKS_PER_MESSAGE = 2;

interface FakeReady {
  url: string;
  accountSid: string;
  authToken: string;
}

/** The child: the fake Twilio, reporting its CPU when asked. */
async function runFake(): Promise<void> {
  const fake = await new FakeTwilio({ callbackDelayMs: 50 }).start();
  const send = (message: object) => process.send?.(message);
  send({ ready: { url: fake.url, accountSid: fake.accountSid, authToken: fake.authToken } });
  process.on('message', (message: { cpu?: boolean; stop?: boolean }) => {
    if (message.cpu) send({ cpu: process.cpuUsage() });
    if (message.stop) void fake.stop().then(() => process.exit(0));
  });
}

function ask<T>(child: ChildProcess, request: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      child.off('message', listener);
      resolve(message[key] as T);
    };
    child.on('message', listener);
    child.send(request);
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 500);
  const seconds = Number(process.argv[3] ?? 10);
  const concurrency = Number(process.argv[4] ?? 20);
  const total = rate * seconds;

  const child = fork(__filename, ['--fake'], { execArgv: process.execArgv });
  const fake = await ask<FakeReady>(child, {}, 'ready');

  let callbacks = 0;
  let refused = 0;
  let allCallbacks: () => void = () => undefined;
  const callbacksDone = new Promise<void>((resolve) => (allCallbacks = resolve));
  const receiver = createServer((request, response) => {
    void readBody(request).then((body) => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${request.url ?? ''}`;
      const signature = String(request.headers['x-twilio-signature'] ?? '');
      const valid = twilio.validateRequest(fake.authToken, signature, url, params);
      if (!valid) refused += 1;
      response.writeHead(valid ? 204 : 403).end();
      callbacks += 1;
      if (callbacks === total * CALLBACKS_PER_MESSAGE) allCallbacks();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const callbackBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/twilio/status`;

  const client = twilio(fake.accountSid, fake.authToken, { timeout: 15_000, httpClient: new RedirectingRequestClient(fake.url, 15_000) });

  const cpuBefore = process.cpuUsage();
  const fakeBefore = await ask<NodeJS.CpuUsage>(child, { cpu: true }, 'cpu');
  const started = Date.now();
  let next = 0;
  let sent = 0;
  let failed = 0;
  // Messages are released on the rate's schedule; at most `concurrency` calls are open at once,
  // as channel-sms's SMS_SEND_CONCURRENCY allows.
  const worker = async () => {
    while (next < total) {
      const n = next++;
      const due = started + (n * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      try {
        await client.messages.create({
          to: `+6281${String(n).padStart(9, '0')}`,
          from: OUR_NUMBER,
          body: `Tiket #${n} sudah kami terima. Kategori: refund. Perkiraan waktu tunggu 5 menit.`,
          statusCallback: `${callbackBase}?notificationId=n-${n}`,
        });
        sent += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const sendsDone = Date.now();
  await Promise.race([callbacksDone, new Promise((done) => setTimeout(done, 30_000))]);
  const elapsed = (Date.now() - started) / 1000;
  const senderCpu = cpuMs(process.cpuUsage(cpuBefore));
  const fakeAfter = await ask<NodeJS.CpuUsage>(child, { cpu: true }, 'cpu');
  const fakeCpu = cpuMs(fakeAfter) - cpuMs(fakeBefore);
  child.send({ stop: true });
  await new Promise<void>((done) => receiver.close(() => done()));

  const perSender = senderCpu / sent;
  const perFake = fakeCpu / sent;
  const cores = cpus().length;
  const round = (x: number, digits = 2) => Number(x.toFixed(digits));
  console.log(JSON.stringify({
    rate, seconds, concurrency,
    sent, failed, callbacks, refusedSignatures: refused,
    sendPhaseSeconds: round((sendsDone - started) / 1000),
    sentPerSecond: round(sent / ((sendsDone - started) / 1000), 1),
    elapsedSeconds: round(elapsed),
    cpuMsPerMessage: { sender: round(perSender), fakeTwilio: round(perFake), both: round(perSender + perFake) },
    cpuPercentOfACore: { sender: round((senderCpu / 1000 / elapsed) * 100, 1), fakeTwilio: round((fakeCpu / 1000 / elapsed) * 100, 1) },
    // What `cores` cores could carry if nothing but this ran: the ceiling for the whole platform.
    ceilingPerSecond: { withFake: Math.floor((cores * 1000) / (perSender + perFake)), senderOnly: Math.floor((cores * 1000) / perSender) },
  }, null, 2));
}

if (process.argv.includes('--fake')) void runFake();
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
