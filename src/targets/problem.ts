/**
 * One thing wrong with a targets file, located as precisely as it can be: the file, its line,
 * the entry (`target "a"`, `targets[2]` when the id is missing or bad, or `defaults`) and the key.
 */
export interface TargetProblem {
  /** The file as named in the directory (not the ConfigMap's hidden folder), or `environment`. */
  readonly file: string;
  readonly line?: number;
  readonly entry?: string;
  readonly key?: string;
  readonly message: string;
}

/** `file:line: entry: key: message`, each part only when known. */
export function problemLine(problem: TargetProblem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return [place, problem.entry, problem.key, problem.message]
    .filter((part) => part !== undefined)
    .join(': ');
}

/** How an entry is named: by its id when it has a good one, else by its place in the list. */
export const targetEntry = (index: number, id: string | undefined): string =>
  id === undefined ? `targets[${index}]` : `target "${id}"`;

/** Problems once each (a default's problem shows in every target), in the order found. */
export function distinct(problems: TargetProblem[]): TargetProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const line = problemLine(problem);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

/** Grouped by file (the environment's first, then as the files were read), each by line. */
export function inFileOrder(problems: TargetProblem[]): TargetProblem[] {
  const rank = new Map<string, number>([['environment', -1]]);
  for (const { file } of problems) if (!rank.has(file)) rank.set(file, rank.size);
  const order = (p: TargetProblem) => rank.get(p.file) ?? 0;
  return problems
    .map((problem, i) => ({ problem, i }))
    .sort(
      (a, b) =>
        order(a.problem) - order(b.problem) ||
        (a.problem.line ?? 0) - (b.problem.line ?? 0) ||
        a.i - b.i,
    )
    .map(({ problem }) => problem);
}
