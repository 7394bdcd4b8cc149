import type { IncomingMessage } from 'node:http';
import { postingWindowMs } from '../../../streams/readiness';
import type { RunningTarget } from '../../targets/runTarget';
import type { Reply, Route } from '../server';
import { type OverviewTarget, statusOverview } from './statusOverview';
import { statusOverviewPage } from './statusOverviewPage';
import { STATUS_PAGE_CSP, statusPage } from './statusPage';
import { clockText, overviewText, targetPageText } from './statusText';
import { statusView } from './statusView';

export interface StatusSources {
  /** The targets running now, by id. */
  readonly targets: () => ReadonlyMap<string, RunningTarget>;
  readonly now: () => number;
  /** Masks every target's secrets: a server may echo one into an error the page shows. */
  readonly redact: (text: string) => string;
}

const html = (body: string): Reply => ({
  status: 200,
  type: 'text/html; charset=utf-8',
  body,
  headers: { 'Content-Security-Policy': STATUS_PAGE_CSP },
});
const json = (body: string): Reply => ({ status: 200, type: 'application/json', body });
// Never the id asked for: it is whatever the client sent.
const NO_SUCH_TARGET: Reply = { status: 404, type: 'text/plain', body: 'no such target\n' };

function overviewTarget(target: RunningTarget): OverviewTarget {
  const { posting, subscription } = target.config;
  return {
    id: target.id,
    labels: target.labels,
    appId: target.appId,
    state: target.state,
    options: {
      configuredListeners: subscription.listeners,
      postIntervalMs: posting.intervalMs,
      postingWindowMs: postingWindowMs(posting.intervalMs, posting.timeoutMs),
      startedAt: target.startedAt,
    },
  };
}

const targetTitle = ({ id, config }: RunningTarget) =>
  `dataplatform-probe · ${id} · ${config.dataset.id} v${config.dataset.version}`;
// The title of `/status` when it is the one target's page: of the target running now, so it
// follows a reload that replaces the target.
const soleTitle = ({ config }: RunningTarget) =>
  `dataplatform-probe · ${config.dataset.id} v${config.dataset.version}`;

/**
 * The status routes. With one target `/status` is that target's page, as it always was; with
 * more (or none) it is the overview, one row per target, each leading to the target's page at
 * `/status/target?id=…` (the server routes exact paths, so the id is a query parameter, and
 * only an id of a running target is answered).
 */
export function statusRoutes(sources: StatusSources): Record<string, Route> {
  const { redact } = sources;
  // The data as `status.json` serves it, secrets masked; the pages are written from the same.
  const data = (body: unknown) => redact(JSON.stringify(body));
  const single = () => {
    const targets = sources.targets();
    return targets.size === 1 ? [...targets.values()][0] : undefined;
  };
  const targetData = (target: RunningTarget) => {
    const { state, options } = overviewTarget(target);
    return data(state ? statusView(state, sources.now(), options) : {});
  };
  const overviewData = () => {
    const targets = [...sources.targets().values()].map(overviewTarget);
    return data(statusOverview(targets, sources.now()));
  };
  const updated = () => clockText(sources.now(), true);
  const targetText = (target: RunningTarget) =>
    targetPageText(JSON.parse(targetData(target)), updated());
  const asked = (request: IncomingMessage) => {
    const id = new URL(request.url ?? '/', 'http://probe').searchParams.get('id');
    return id === null ? undefined : sources.targets().get(id);
  };
  return {
    '/status': () => {
      const one = single();
      if (one) return html(statusPage(redact(soleTitle(one)), targetText(one)));
      const text = overviewText(JSON.parse(overviewData()), updated());
      return html(statusOverviewPage('dataplatform-probe · targets', text));
    },
    '/status.json': () => {
      const one = single();
      return json(one ? targetData(one) : overviewData());
    },
    '/status/target': (request) => {
      const target = asked(request);
      if (!target) return NO_SUCH_TARGET;
      const page = `target.json?id=${encodeURIComponent(target.id)}`;
      const options = { root: '../', data: page, back: true };
      return html(statusPage(redact(targetTitle(target)), targetText(target), options));
    },
    '/status/target.json': (request) => {
      const target = asked(request);
      return target ? json(targetData(target)) : NO_SUCH_TARGET;
    },
  };
}
