import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startProbe } from '../src/probe';
import { inFlight, trackedCount } from '../streams/tracker';
import { benchSettings, type ClientReport, measure, sleep } from './report';

/**
 * The probe as deployed (configuration from the environment, JSON logs at info level), with
 * the benchmark's measurements around it and a report of its own per-event latencies.
 */
async function probe(): Promise<void> {
  const { warmupMs, measureMs } = benchSettings(process.env);
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, { secrets: [config.webhookToken] });
  const running = await startProbe(config, logger);
  const meter = measure();
  await sleep(warmupMs);
  const first = running.state()?.nextSeqno ?? 1;
  meter.start();
  await sleep(measureMs);
  const stats = meter.stop();
  const last = (running.state()?.nextSeqno ?? 1) - 1;
  await sleep(1_000); // let the window's last events arrive; posting goes on meanwhile
  const state = running.state();
  const latencies: Array<[number, number]> = [];
  if (state) {
    for (let i = state.head; i < state.events.length; i++) {
      const event = state.events[i];
      if (event.seqno >= first && event.seqno <= last && event.latencyMs !== undefined) {
        latencies.push([event.seqno, event.latencyMs]);
      }
    }
  }
  const report: ClientReport = {
    appId: running.appId,
    latencies,
    posted: last - first + 1,
    ...stats,
    books: state && {
      posted: state.totals.posted,
      received: state.totals.received,
      lost: state.totals.lost,
      inFlight: inFlight(state),
      tracked: trackedCount(state),
    },
  };
  await running.stop();
  process.send?.(report, () => process.exit(0));
}

probe();
