import { distance, isNearMiss } from './nearMiss';
import { allSettings } from './settings';

/**
 * A variable that looks like one of ours but is not — `POST_EVENT_INTERVAL=5`,
 * `WEBSOCKET_LISTENER=3` — is a setting someone believes is in force. It is warned about
 * (naming the variable it most resembles), not refused: the environment of a pod holds
 * variables of other software too, and a warning cannot take the probe down.
 */
export function lookalikeWarnings(
  env: NodeJS.ProcessEnv,
  /**
   * Variables read other than through the settings table — the targets file's name, the
   * variables a targets file takes secrets from — which are ours although the table lacks them.
   */
  alsoRead: readonly string[] = [],
): string[] {
  const known = allSettings().map(({ setting }) => setting.env);
  const ours = new Set([...known, ...alsoRead]);
  const prefixes = prefixesOf(known);
  const serviceLinks = kubernetesServiceLinks(env);
  const under = (prefix: string) => (name: string) =>
    name === prefix || name.startsWith(`${prefix}_`);
  /** Ours it may have meant: those of its prefix, or all when it is only a near miss. */
  const meant = (upper: string): readonly string[] => {
    const prefix = prefixes.find((p) => under(p)(upper));
    if (prefix) return known.filter(under(prefix));
    return nearMiss(upper, known) ? known : [];
  };
  return Object.keys(env)
    .filter((name) => !ours.has(name) && !serviceLinks(name))
    .sort()
    .flatMap((name) => {
      // Names are case-sensitive: post_event_retries is not ours, and looks it.
      const upper = name.toUpperCase().slice(0, LONGEST);
      const candidates = meant(upper);
      if (candidates.length === 0) return [];
      return [
        `${shown(name)} is not a variable of the probe and is ignored; did you mean ${nearest(upper, candidates)}?`,
      ];
    });
}

/** Enough of a name to judge it by: longer than any of ours by a margin, and cheap to compare. */
const LONGEST = 64;

/** A name as it can be printed on one line, whatever bytes it holds. */
const shown = (name: string): string =>
  /^[A-Za-z0-9_]{1,64}$/.test(name) ? name : JSON.stringify(name.slice(0, LONGEST));

/**
 * Words that other software starts its own variables with (`LOG_FORMAT`, `MAX_WORKERS`): ours
 * that start with one are recognised by their first two words instead of their first.
 */
const GENERIC_WORDS = new Set(['MAX', 'MIN', 'RUN', 'LOG', 'LOCAL', 'NODE']);

/** The leading words that mark a variable as one of ours, derived from the settings table. */
export function prefixesOf(names: readonly string[]): string[] {
  const prefixes = names.map((name) => {
    const words = name.split('_');
    return words.slice(0, GENERIC_WORDS.has(words[0]) ? 2 : 1).join('_');
  });
  return [...new Set(prefixes)];
}

/** Kubernetes sets FOO_SERVICE_HOST, FOO_SERVICE_PORT*, FOO_PORT* for every Service FOO. */
function kubernetesServiceLinks(env: NodeJS.ProcessEnv): (name: string) => boolean {
  const services = Object.keys(env)
    .map((name) => /^(.+)_SERVICE_HOST$/.exec(name)?.[1])
    .filter((base): base is string => base !== undefined);
  return (name) =>
    services.some(
      (base) =>
        name.startsWith(`${base}_SERVICE_`) ||
        name === `${base}_PORT` ||
        name.startsWith(`${base}_PORT_`),
    );
}

/** A typo of one of ours, by the one "did you mean" rule. */
const nearMiss = (name: string, known: readonly string[]): boolean =>
  known.some((k) => isNearMiss(name, k));

/** A trailing unit word, compared apart: `POST_TIMEOUT_MS` is nearest `POST_TIMEOUT_SECONDS`. */
const stem = (name: string): string =>
  name.replace(/_(SECONDS?|SECS?|S|MS|MILLIS|MILLISECONDS)$/, '');

/** The variable of ours `name` most resembles: by its stem first, then by the whole name. */
export function nearest(name: string, known: readonly string[]): string {
  const score = (k: string) => distance(stem(name), stem(k)) * 1000 + distance(name, k);
  return known.reduce((best, k) => (score(k) < score(best) ? k : best));
}
