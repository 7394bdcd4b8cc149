/**
 * The longest stretch without a post over [from, to] (ms), from the posts' arrival times in
 * order: the stretch running at `from` counts from the post before it, the one at `to` up to it.
 */
export function longestGapMs(times: readonly number[], from: number, to: number): number {
  const inside = [
    times.filter((at) => at <= from).at(-1) ?? from,
    ...times.filter((at) => at > from && at <= to),
    to,
  ];
  let worst = 0;
  for (let i = 1; i < inside.length; i += 1) worst = Math.max(worst, inside[i] - inside[i - 1]);
  return worst;
}
