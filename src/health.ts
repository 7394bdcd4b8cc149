import type { Reply } from './server';

export const text = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
});

/** `/readyz`: 200 when nothing is wrong, else 503 with the reasons (see `readinessProblems`). */
export function readinessReply(problems: readonly string[]): Reply {
  return problems.length === 0
    ? text(200, 'ready\n')
    : text(503, `not ready: ${problems.join('; ')}\n`);
}
