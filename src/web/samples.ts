/** What a scrape reads from prom-client and writes out: its families and their samples. */

export type Labels = Readonly<Record<string, string | number | undefined>>;

/** A sample as prom-client reads it. */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Labels;
  /** A histogram's series labels (its buckets' `labels` hold only `le`); prom-client's name. */
  readonly sharedLabels?: Labels;
  readonly value: number;
  readonly exemplar?: Exemplar | null;
}

export interface Exemplar {
  readonly labelSet: Labels;
  readonly value: number;
  readonly timestamp: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: readonly Sample[];
}
