import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';

/**
 * The floor of the many-target job: what a process doing only the work itself costs, with no
 * framework — for each of `BARE_TARGETS` datasets, a keep-alive `node:http` POST every
 * `BARE_INTERVAL_SECONDS` (each dataset in its own slot of the interval, as the probe's phases
 * place them), `BARE_LISTENERS` plain `ws` sockets, every frame parsed. No books, no metrics,
 * no logs. Runs until it is killed.
 */
function bareMany(): void {
  const env = process.env;
  const targets = Number(env.BARE_TARGETS ?? 100);
  const intervalMs = Number(env.BARE_INTERVAL_SECONDS ?? 10) * 1000;
  const listeners = Number(env.BARE_LISTENERS ?? 2);
  const agent = new Agent({ keepAlive: true });
  const appId = randomBytes(4).toString('hex');
  for (let t = 0; t < targets; t += 1) {
    const dataset = `bare-${t}`;
    for (let l = 0; l < listeners; l += 1) {
      const ws = new WebSocket(`${env.WEBSOCKET_URL}?dataset_id=${dataset}&webhook_token=x`);
      ws.on('message', (data) => {
        // Parsed and matched, as any client must.
        const event = JSON.parse(data.toString());
        if (event.app_id !== appId) return;
      });
    }
    let seqno = 0;
    const post = () => {
      seqno += 1;
      const body = JSON.stringify({ app_id: appId, seqno, time_sent: new Date().toISOString() });
      const req = request(`${env.EVENT_COLLECTOR_URL}/webhook/event/${dataset}/1`, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      req.on('response', (response) => response.resume());
      req.on('error', () => undefined);
      req.end(body);
    };
    setTimeout(() => setInterval(post, intervalMs), (intervalMs * t) / targets + 10_000);
  }
  process.on('SIGTERM', () => process.exit(0));
}

bareMany();
