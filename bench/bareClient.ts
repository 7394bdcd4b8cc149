import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { benchSettings, type ClientReport, measure, sleep } from './report';

/**
 * The floor: the same job with no framework. Keep-alive `node:http` POSTs on a fixed
 * schedule, one plain `ws` socket, latency from just before the post to the frame. With
 * BENCH_UNINSTRUMENTED it measures nothing itself and runs until it is killed.
 */
async function bare(): Promise<void> {
  const env = process.env;
  const { rate, warmupMs, measureMs } = benchSettings(env);
  const appId = randomBytes(4).toString('hex');
  const collector = new URL(
    `${env.EVENT_COLLECTOR_URL}/webhook/event/${env.PROBE_DATASET_ID}/1?token=${env.PROBE_WEBHOOK_TOKEN}`,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const sentAt = new Map<number, number>();
  const latencies: Array<[number, number]> = [];
  const ws = new WebSocket(
    `${env.WEBSOCKET_URL}?dataset_id=${env.PROBE_DATASET_ID}&webhook_token=${env.PROBE_WEBHOOK_TOKEN}`,
  );
  ws.on('message', (data) => {
    const now = performance.now();
    const { app_id, seqno } = JSON.parse(data.toString());
    const at = sentAt.get(seqno);
    if (app_id === appId && at !== undefined) latencies.push([seqno, now - at]);
  });
  await new Promise((resolve) => ws.once('open', resolve));

  const interval = 1000 / rate;
  const start = performance.now();
  let seqno = 0;
  let stopAt = Number.POSITIVE_INFINITY;
  const tick = () => {
    while (start + seqno * interval <= performance.now() && performance.now() < stopAt) {
      seqno += 1;
      const body = JSON.stringify({ app_id: appId, seqno, time_sent: new Date().toISOString() });
      sentAt.set(seqno, performance.now());
      const post = request(
        collector,
        { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
        (res) => res.resume(),
      );
      post.on('error', () => undefined);
      post.end(body);
    }
    if (performance.now() < stopAt)
      setTimeout(tick, Math.max(0, start + seqno * interval - performance.now()));
  };
  tick();
  // Measured from outside (bench/deployed.ts): no instrument of its own, runs until killed.
  if (env.BENCH_UNINSTRUMENTED) return;
  const meter = measure();
  await sleep(warmupMs);
  const first = seqno + 1;
  meter.start();
  await sleep(measureMs);
  const last = seqno;
  const stats = meter.stop();
  stopAt = 0;
  await sleep(1_000);
  ws.close();
  agent.destroy();
  const report: ClientReport = {
    appId,
    latencies: latencies.filter(([s]) => s >= first && s <= last),
    posted: last - first + 1,
    ...stats,
  };
  process.send?.(report, () => process.exit(0));
}

bare();
