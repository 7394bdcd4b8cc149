import { loadConfig } from '../src/config/loadConfig';
import { secretValues } from '../src/config/secrets';
import { createLogger } from '../src/logs/logger';
import { startProbe } from '../src/probe';
import { eventAt, type TrackedEvent, trackedCount } from '../streams/eventStore';
import { inFlight } from '../streams/trackerState';
import { benchSettings, type ClientReport, measure, sleep } from './report';

/**
 * The probe as deployed (configuration from the environment, JSON logs at info level), with
 * the benchmark's measurements around it and a report of its own per-event latencies.
 */
async function probe(): Promise<void> {
  const { warmupMs, measureMs } = benchSettings(process.env);
  const config = loadConfig(process.env);
  const logger = createLogger(config.run.logLevel, { secrets: secretValues(config) });
  const running = await startProbe(config, logger);
  const meter = measure();
  await sleep(warmupMs);
  const first = running.state()?.nextSeqno ?? 1;
  // Latencies are read from the tracker every 200 ms, before a short purge can drop them. A
  // cursor skips the settled prefix (received or lost), so each read costs only what is new.
  const latencyOf = new Map<number, number>();
  let cursor = first;
  const collect = () => {
    const state = running.state();
    if (!state) return;
    let settled = true;
    for (let seqno = Math.max(cursor, state.firstSeqno); seqno < state.nextSeqno; seqno++) {
      const event = eventAt(state, seqno) as TrackedEvent;
      if (event.latencyMs !== undefined) latencyOf.set(seqno, event.latencyMs);
      const done =
        event.latencyMs !== undefined || event.state === 'lost' || event.state === 'failed';
      if (settled && done) cursor = seqno + 1;
      else settled = false;
    }
  };
  meter.start();
  const collector = setInterval(collect, 200);
  await sleep(measureMs);
  const stats = meter.stop();
  const last = (running.state()?.nextSeqno ?? 1) - 1;
  await sleep(1_000); // let the window's last events arrive; posting goes on meanwhile
  collect();
  clearInterval(collector);
  const state = running.state();
  const latencies = [...latencyOf].filter(([seqno]) => seqno <= last);
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
      postErrors: state.totals.postErrors,
      errorReasons: [
        ...new Set(
          state.events.slice(state.head).flatMap((e) => (e.postError ? [e.postError] : [])),
        ),
      ],
    },
  };
  await running.stop();
  process.send?.(report, () => process.exit(0));
}

probe();
