import { connect } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { createTransport } from 'nodemailer';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { loadEnv } from '@switchboard/service-kit';
import { freePort, testInfra } from '@switchboard/testing';
import { emailEnvSchema } from './email.config';
import { ReceiveEmailUseCase } from './receive-email.use-case';
import { SmtpIngress } from './smtp-ingress';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** Speaks SMTP line by line, the way a sending server does; resolves with each reply in order. */
async function converse(port: number, commands: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const read = () => {
        const complete = /(^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
        if (!complete) return;
        socket.off('data', onData);
        const reply = buffer;
        buffer = '';
        resolve(reply);
      };
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString();
        read();
      };
      socket.on('data', onData);
      socket.once('error', reject);
      read();
    });
  replies.push(await next());
  for (const command of commands) {
    socket.write(`${command}\r\n`);
    replies.push(await next());
  }
  socket.end();
  return replies;
}

describe('SmtpIngress over real SMTP', () => {
  let ingress: SmtpIngress;
  let publisher: EventPublisher;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const env = loadEnv(emailEnvSchema, { KAFKA_BROKERS: testInfra().kafkaBrokers.join(','), EMAIL_SMTP_PORT: String(port), LOG_LEVEL: 'silent' });
    // The real broker, refusing every produce request: no topic may have this name.
    publisher = new EventPublisher(new KafkaConnection({ brokers: env.KAFKA_BROKERS, clientId: 'ingress-spec', topicPrefix: 'no topic/may be named:', partitions: 1 }, quiet));
    const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
    ingress = new SmtpIngress(env, new ReceiveEmailUseCase(env, publisher, logger), logger);
    await ingress.onApplicationBootstrap();
  });

  afterAll(async () => {
    await ingress.beforeApplicationShutdown();
    await publisher.disconnect();
  });

  it('answers 451 so the sending server keeps the mail and retries, and keeps serving', async () => {
    const mailer = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const refused = await mailer.sendMail({ from: 'sari@mail.test', to: 'support@example.com', subject: 'hi', text: 'transfer gagal' }).then(
      () => undefined,
      (error: { responseCode?: number; response?: string }) => error,
    );
    expect(refused?.responseCode).toBe(451);
    expect(refused?.response).toMatch(/retry/);

    const foreign = await mailer.sendMail({ from: 'sari@mail.test', to: 'x@elsewhere.test', text: 'hi' }).then(
      () => undefined,
      (error: { responseCode?: number }) => error,
    );
    expect(foreign?.responseCode).toBe(550);
    mailer.close();
  });

  it('announces its size limit and refuses a larger declared SIZE before the data is sent', async () => {
    const [, ehlo, mailFrom] = await converse(port, ['EHLO mx.mail.test', 'MAIL FROM:<sari@mail.test> SIZE=20000000', 'QUIT']);
    expect(ehlo).toMatch(/250[- ]SIZE 10485760/);
    expect(mailFrom).toMatch(/^552 /);
  });

  it.each([
    ['binary garbage', Buffer.from([0, 1, 2, 255, 254, 13, 10, 0, 0, 13, 10, 46, 46, 13, 10, 200, 201])],
    ['a broken multipart without From', Buffer.from('Subject: x\r\nContent-Type: multipart/mixed; boundary="nope\r\n\r\n--nope\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\nhi\r\n')],
    ['an endless header line', Buffer.from(`X-Long: ${'a'.repeat(20_000)}\r\nFrom: <<<@@@>>>\r\n\r\nbody\r\n`)],
  ])('refuses %s with a 5xx that says why, and keeps serving', async (_name, raw) => {
    const mailer = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const refused = await mailer.sendMail({ envelope: { from: 'x@mail.test', to: ['support@example.com'] }, raw }).then(
      () => undefined,
      (error: { responseCode?: number; response?: string }) => error,
    );
    expect(refused?.responseCode).toBe(550);
    expect(refused?.response).toMatch(/From address/);
    mailer.close();
  });
});
