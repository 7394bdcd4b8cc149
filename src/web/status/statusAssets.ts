import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS_CHART } from './statusChart';
import { STATUS_OVERVIEW_SCRIPT } from './statusOverviewScript';
import { STATUS_SCRIPT } from './statusScript';
import { STATUS_SHOW } from './statusShow';
import { STATUS_STYLE } from './statusStyle';
import { STATUS_TEXT_SOURCE } from './statusText';

/** A file the status page loads, at a path that names its content's hash. */
export interface Asset {
  readonly path: string;
  readonly type: string;
  readonly body: Buffer;
}

export interface StatusAssets {
  readonly chartScript: Asset;
  readonly chartStyle: Asset;
  readonly pageScript: Asset;
  readonly pageStyle: Asset;
  readonly overviewScript: Asset;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

// The hash in the path changes with the content, so a browser may cache each file for good.
function asset(name: string, extension: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/assets/${name}.${hash}.${extension}`, type, body };
}

const SHARED = STATUS_TEXT_SOURCE + STATUS_SHOW;

let loaded: StatusAssets | undefined;

/**
 * The page's script and style, and uPlot's, read from node_modules once (at the first call,
 * when the routes are made at start) and kept: the probe serves them itself, no CDN.
 */
export function statusAssets(): StatusAssets {
  loaded ??= {
    chartScript: asset(
      'uPlot',
      'js',
      JS,
      readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js')),
    ),
    chartStyle: asset(
      'uPlot',
      'css',
      CSS,
      readFileSync(require.resolve('uplot/dist/uPlot.min.css')),
    ),
    // Each page's script starts with the texts' functions the server writes the page with.
    pageScript: asset('status', 'js', JS, Buffer.from(SHARED + STATUS_CHART + STATUS_SCRIPT)),
    pageStyle: asset('status', 'css', CSS, Buffer.from(STATUS_STYLE)),
    overviewScript: asset('overview', 'js', JS, Buffer.from(SHARED + STATUS_OVERVIEW_SCRIPT)),
  };
  return loaded;
}
