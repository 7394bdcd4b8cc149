import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { STATUS_CHART } from '../../../../src/web/status/statusChart';

type Columns = Array<Array<number | null>>;
interface Options {
  series: Array<{ label?: string; spanGaps?: boolean }>;
}

/** The page's chart script, run against a stand-in uPlot that keeps what it was given. */
function drawn(points: unknown[], nowSeconds: number) {
  const made: { options?: Options; data?: Columns } = {};
  class UPlot {
    static fmtDate = () => () => '';
    constructor(options: Options, data: Columns) {
      made.options = options;
      made.data = data;
    }
  }
  const window: Record<string, unknown> = {};
  runInNewContext(STATUS_CHART, {
    window,
    uPlot: UPlot,
    Date: { now: () => nowSeconds * 1000 },
    addEventListener: () => {},
  });
  const view = {
    chart: { spanSeconds: 600, points },
    delivery: { lostAfterSeconds: 30, objectiveSeconds: 5, expectedEverySeconds: 10 },
  };
  (window.statusChart as (el: unknown, caption: unknown, v: unknown) => void)(
    { clientWidth: 800, setAttribute: () => {}, dataset: {} },
    { textContent: '' },
    view,
  );
  // Out of the script's realm (its arrays have their own prototypes) as plain data.
  return {
    options: made.options as Options,
    data: JSON.parse(JSON.stringify(made.data)) as Columns,
  };
}

const event = (ageSeconds: number, state: string, latencyMs: number | null = null) => ({
  ageSeconds,
  latencyMs,
  state,
  overdue: false,
});

test('the latency line breaks at an outage: lost and failed events and a silence are gaps', () => {
  const { options, data } = drawn(
    [
      event(300, 'received', 50),
      event(290, 'lost'),
      event(280, 'failed'),
      event(270, 'received', 60),
      // Nothing posted for 200 s (twenty intervals), then events again.
      event(70, 'received', 55),
      event(60, 'received', 45),
    ],
    1_000,
  );
  const latency = options.series.find((s) => s.label === 'latency');
  assert.equal(latency?.spanGaps, false, 'a null is a gap, not a point to draw a line past');
  const [times, line] = data;
  assert.deepEqual(line, [0.05, null, null, 0.06, null, 0.055, 0.045]);
  assert.deepEqual(times, [700, 710, 720, 730, 830, 930, 940]);
  assert.ok(data.every((column) => column.length === times.length));
});
