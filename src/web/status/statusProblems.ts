import { secondsText } from './statusText';
import type { Problem, StatusView } from './statusViewTypes';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What is wrong now, in words, worst first. It words what the view found (the core's posting
 * and listener facts, the silence and the overdue events); it decides nothing of its own.
 */
export function statusProblems(view: Omit<StatusView, 'problems'>): Problem[] {
  const problems: Problem[] = [];
  const { listeners, posting, delivery } = view;
  if (listeners.connected === 0 && listeners.configured > 0) {
    problems.push({ level: 'bad', text: 'No listener connected: events sent now cannot arrive' });
  }
  if (!posting.ok) {
    const since =
      posting.lastOkSecondsAgo === null
        ? 'No post has succeeded yet'
        : `No post has succeeded for ${secondsText(posting.lastOkSecondsAgo)}`;
    const error = posting.lastError === null ? '' : ` (last error: ${posting.lastError})`;
    problems.push({ level: 'bad', text: `${since}${error}` });
  }
  if (delivery.silent && delivery.quietSeconds !== null) {
    const every = ` — expected one every ${secondsText(delivery.expectedEverySeconds)}`;
    const quiet = secondsText(delivery.quietSeconds);
    problems.push({ level: 'bad', text: `No event received for ${quiet}${every}` });
  }
  if (delivery.overdue > 0) {
    problems.push({
      level: delivery.silent ? 'bad' : 'warn',
      text: `${plural(delivery.overdue, 'event', 'events')} overdue: posted more than ${secondsText(delivery.objectiveSeconds)} ago (the objective) and not received; lost at ${secondsText(delivery.lostAfterSeconds)}`,
    });
  }
  if (listeners.connected > 0 && listeners.connected < listeners.configured) {
    problems.push({
      level: 'warn',
      text: `${listeners.connected} of ${listeners.configured} listeners connected`,
    });
  }
  return problems;
}
