// The outbound relay of local demos, so channel-email runs end to end without a mail provider:
//   node -r ./test/register-ts.js libs/testing/scripts/smtp-sink.ts [serve]  # SMTP on :2526, prints each mail, GET http://127.0.0.1:3005/messages
//   node -r ./test/register-ts.js libs/testing/scripts/smtp-sink.ts mail sari@mail.test saldo kepotong tapi transfer gagal
// channel-email then needs EMAIL_SMTP_URL=smtp://127.0.0.1:2526 (its default); `mail` writes to its ingress on EMAIL_INGRESS (127.0.0.1:2525).
import { createServer } from 'node:http';
import { createTransport } from 'nodemailer';
import { SmtpSink } from '../src/smtp-sink';

const host = process.env.HOST ?? '127.0.0.1';
const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 2526);
const httpPort = Number(process.env.PORT ?? 3005);
const ingress = process.env.EMAIL_INGRESS ?? '127.0.0.1:2525';
const support = process.env.EMAIL_SUPPORT_ADDRESS ?? 'support@example.com';

async function serve(): Promise<void> {
  const sink = await new SmtpSink().start(smtpPort, host);
  let shown = 0;
  setInterval(() => {
    for (const mail of sink.mails.slice(shown)) {
      console.log(`mail to ${mail.envelope.rcptTo.join(', ')}: "${mail.parsed.subject ?? ''}" ${mail.parsed.messageId ?? ''}\n  ${(mail.parsed.text ?? '').trim().replace(/\n/g, '\n  ')}`);
    }
    shown = sink.mails.length;
  }, 200);

  const http = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body, null, 2));
    };
    if (request.url === '/health') return json(200, { status: 'ok' });
    if (request.url !== '/messages') return json(404, { message: 'try GET /messages' });
    json(
      200,
      [...sink.mails].reverse().map((mail) => ({
        envelope: mail.envelope,
        from: mail.headers['from'],
        to: mail.headers['to'],
        subject: mail.parsed.subject,
        messageId: mail.parsed.messageId,
        inReplyTo: mail.parsed.inReplyTo,
        autoSubmitted: mail.headers['auto-submitted'],
        text: mail.parsed.text,
      })),
    );
  });
  await new Promise<void>((resolve) => http.listen(httpPort, host, resolve));
  console.log(`SMTP sink on smtp://${host}:${sink.port}; what it received at http://${host}:${httpPort}/messages`);

  const stop = () => {
    http.close();
    void sink.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function mail(from: string, text: string): Promise<void> {
  const [ingressHost, ingressPort] = ingress.split(':');
  const transport = createTransport({ host: ingressHost, port: Number(ingressPort), secure: false, ignoreTLS: true });
  const info = await transport.sendMail({ from, to: support, subject: text.slice(0, 60), text });
  console.log(info.response);
}

// No command is `serve`: what `npm start` runs from services.json.
const [command = 'serve', ...args] = process.argv.slice(2);
const run = command === 'serve' ? serve() : command === 'mail' && args.length >= 2 ? mail(args[0], args.slice(1).join(' ')) : Promise.reject(new Error('usage: smtp-sink.ts serve | mail <from address> <text>'));
run.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
