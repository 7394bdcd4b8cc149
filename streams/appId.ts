import { hash32 } from './hash';

/** The hex digits of an app id that name its target; the rest are random per pipeline. */
const TARGET_DIGITS = 4;

/**
 * A pipeline's app id: 8 hex characters, as the event payload's schema wants, of which the first
 * four come from the target's id and the last four are random. Every probe of one target — a
 * replica on another shard, or the pipeline a change replaced, still draining — so recognises
 * the others' events as its own target's (siblings), not as another probe's. Pipelines of
 * different targets share a prefix once in 65,536 pairs; two of one target share the whole id
 * once in 65,536 pairs.
 */
export function appIdFor(targetId: string, random: () => number): string {
  const prefix = (hash32(targetId) >>> 16).toString(16).padStart(TARGET_DIGITS, '0');
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(8 - TARGET_DIGITS, '0');
  return prefix + suffix;
}

/** Another pipeline of the same target: the same target digits, another app id. */
export function isSibling(appId: string, own: string): boolean {
  return (
    appId !== own && appId.length === own.length && appId.startsWith(own.slice(0, TARGET_DIGITS))
  );
}
