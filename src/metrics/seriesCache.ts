type Labels = Record<string, string>;

interface TargetEntry<T> {
  readonly owner: T;
  readonly epoch: unknown;
  /** Label values joined → the series' own labels and the value it was last given. */
  readonly series: Map<string, { readonly labels: Labels; value: number }>;
}

/** What one metric is told at a scrape, series by series (`labels` include `target`). */
export interface SeriesWriter {
  /** A series moved; `before` is undefined for a new one (its first value, maybe 0). */
  write(labels: Labels, value: number, before: number | undefined): void;
  remove(labels: Labels): void;
}

/**
 * The series one metric exported at the last scrape, per target, so that a scrape writes only
 * what moved. Writing every series afresh (`reset()`, then `inc()` or `set()` each) costs about
 * 5 µs a series in `--lite-mode` (prom-client hashes and checks the labels every time), all of it
 * in the one turn a scrape reads every family in — a tenth of a second and more at 1,000
 * targets — while between two scrapes most series do not move at all.
 *
 * A target is known by its object: a target restarted under the same id (a reload) is a new
 * one. Within a target, `epochOf` names its books: when it changes (a pipeline restarted into
 * a new fold), every series of the target is removed and written anew.
 */
export class SeriesCache<T extends object> {
  private readonly last = new Map<string, TargetEntry<T>>();

  constructor(
    private readonly writer: SeriesWriter,
    private readonly epochOf: (target: T) => unknown = () => undefined,
  ) {}

  sync(targets: ReadonlyMap<string, T>, read: (target: T) => Iterable<readonly [Labels, number]>) {
    for (const [id, entry] of this.last) {
      const now = targets.get(id);
      if (now !== entry.owner || this.epochOf(now) !== entry.epoch) this.forget(id, entry);
    }
    for (const [id, target] of targets) {
      let entry = this.last.get(id);
      if (entry === undefined) {
        entry = { owner: target, epoch: this.epochOf(target), series: new Map() };
        this.last.set(id, entry);
      }
      for (const [labels, value] of read(target)) {
        const key = keyOf(labels);
        const known = entry.series.get(key);
        if (known === undefined) {
          entry.series.set(key, { labels, value });
          this.writer.write({ target: id, ...labels }, value, undefined);
        } else if (known.value !== value) {
          this.writer.write({ target: id, ...labels }, value, known.value);
          known.value = value;
        }
      }
    }
  }

  private forget(id: string, entry: TargetEntry<T>): void {
    for (const { labels } of entry.series.values()) this.writer.remove({ target: id, ...labels });
    this.last.delete(id);
  }
}

const NO_LABELS = '';

/** A metric's label names are fixed, so its label values alone tell its series apart. */
function keyOf(labels: Labels): string {
  let key = NO_LABELS;
  for (const name in labels) key += `${labels[name]}\u0000`;
  return key;
}
