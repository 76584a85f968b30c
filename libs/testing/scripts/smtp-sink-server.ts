import { createServer } from 'node:http';
import { SmtpSink } from '../src/smtp-sink';

/**
 * Where channel-email's mail goes in the local demo: an SMTP sink on SMTP_SINK_PORT (2526) that
 * prints each mail, and lists them at GET /messages on PORT (3005), newest first.
 */
async function main(): Promise<void> {
  const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 2526);
  const httpPort = Number(process.env.PORT ?? 3005);
  const host = process.env.HOST ?? '127.0.0.1';
  const sink = await new SmtpSink().start(smtpPort, host);
  let printed = 0;
  const printer = setInterval(() => {
    for (const mail of sink.mails.slice(printed)) {
      console.log(`mail to ${mail.envelope.rcptTo.join(', ')}: "${mail.parsed.subject ?? ''}" ${mail.parsed.messageId ?? ''}\n  ${(mail.parsed.text ?? '').trim().replace(/\n/g, '\n  ')}`);
    }
    printed = sink.mails.length;
  }, 200);

  const http = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body, null, 2));
    };
    if (request.url === '/health') return json(200, { status: 'ok' });
    if (request.url === '/messages') {
      return json(
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
    }
    json(404, { message: 'try GET /messages' });
  });
  await new Promise<void>((resolve) => http.listen(httpPort, host, resolve));
  console.log(`SMTP sink on smtp://${host}:${sink.port}, received mail at http://${host}:${httpPort}/messages`);

  const stop = async () => {
    clearInterval(printer);
    http.close();
    await sink.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
