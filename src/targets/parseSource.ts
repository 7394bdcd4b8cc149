import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { TargetProblem } from './problem';
import type { Source } from './readSources';

/** A file's value, and where in it a path of keys and indexes is written. */
export interface Parsed {
  readonly value: unknown;
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/** Aliases expand into copies: a few suffice for any real file, and a billion laughs is refused. */
const MAX_ALIAS_COUNT = 100;

/**
 * YAML 1.2 (JSON is a subset, so `.json` files read the same way, with line numbers): `no` and
 * `on` stay words, duplicate keys are an error, and so is every warning (an unknown tag).
 */
export function parseSource(source: Source): Parsed | { problems: TargetProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(source.text, {
    lineCounter: lines,
    prettyErrors: false,
    merge: true,
  });
  const faults = [...doc.errors, ...doc.warnings];
  if (faults.length > 0) {
    return {
      problems: faults.map((fault) => ({
        file: source.file,
        line: lines.linePos(fault.pos[0]).line,
        message:
          fault.code === 'MULTIPLE_DOCS'
            ? 'expected one YAML document, not several'
            : fault.message,
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { problems: [{ file: source.file, message: (error as Error).message }] };
  }
  return { value, lineOf: (path) => lineOf(doc, lines, path) };
}

/** The line of the last key (or list item) of `path` that is written in the file. */
function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]) {
  let node: unknown = doc.contents;
  let offset = isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(step)];
      if (!(isScalar(item) || isMap(item) || isSeq(item))) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
