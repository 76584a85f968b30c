// Latency of the walking slice, measured from outside as a customer sees it: POST /v1/messages
// to the acknowledgement pushed on the customer's WebSocket, every service its own process.
// Run: eval "$(npm run -s infra -- env)" && npm run build && npm run bench:slice [-- messages]
import { randomUUID } from 'node:crypto';
import { signIdentity } from '@switchboard/channels';
import { CustomerSocket, PlatformUnderTest } from '@switchboard/testing';

const TEXTS = [
  'saldo kepotong tapi transfer gagal min',
  'I cannot log in, OTP never arrives',
  '我的退款还没到账',
  'akun saya dibobol, tolong blokir',
  'how do I upgrade to premium?',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200);
  const platform = await new PlatformUnderTest().start();
  const base = platform.service('channel-inapp').url;
  const latencies: number[] = [];
  try {
    // Warm-up: JIT, consumer fetch loops and connection pools, not measured.
    for (let i = 0; i < 20 + count; i++) {
      const userId = `bench-${i}`;
      const token = signIdentity({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 }, platform.identitySecret);
      const socket = await new CustomerSocket(base, token).connect();
      const started = process.hrtime.bigint();
      const response = await fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: TEXTS[i % TEXTS.length], clientMessageId: randomUUID() }),
      });
      if (response.status !== 202) throw new Error(`POST answered ${response.status}`);
      await socket.waitForMessage();
      if (i >= 20) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      socket.close();
    }
  } finally {
    await platform.stop();
  }
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  console.log(`slice latency, message POSTed to acknowledgement pushed (${latencies.length} messages, one at a time)`);
  console.log(`  mean ${mean.toFixed(0)} ms  p50 ${percentile(latencies, 50).toFixed(0)} ms  p90 ${percentile(latencies, 90).toFixed(0)} ms  p99 ${percentile(latencies, 99).toFixed(0)} ms  max ${latencies[latencies.length - 1].toFixed(0)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
