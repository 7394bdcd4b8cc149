import { causeLabel } from './causeLabel';
import type { Effect } from './effects';
import type { Disconnect, ListenerChange, ListenerStatus } from './socketMessages';

/** What the probe knows of one listener, for the status page and the connected gauge. */
export interface ListenerView {
  status: ListenerStatus;
  connectionId: number;
  /** Why it went down last, while it is not connected. */
  disconnect?: Disconnect;
  connects: number;
  disconnects: number;
  /** Disconnects by cause label (a closed set: see `causeLabel.ts`). */
  readonly disconnectsByCause: Map<string, number>;
  /** Connections replaced make-before-break. */
  rotations: number;
  /** Clock time of the last status change. */
  since: number;
}

/** A listener's connection changed: keep its view and pass the change on to the sinks. */
export function updateListener(
  listeners: Map<number, ListenerView>,
  change: ListenerChange,
  now: number,
  effects: Effect[],
): void {
  const view: ListenerView = listeners.get(change.listenerId) ?? {
    status: change.status,
    connectionId: change.connectionId,
    connects: 0,
    disconnects: 0,
    disconnectsByCause: new Map(),
    rotations: 0,
    since: now,
  };
  if (change.status === 'connected') view.connects += 1;
  if (change.rotated) view.rotations += 1;
  if (change.status === 'disconnected') view.disconnects += 1;
  if (change.disconnect) {
    const label = causeLabel(change.disconnect);
    view.disconnectsByCause.set(label, (view.disconnectsByCause.get(label) ?? 0) + 1);
  }
  view.status = change.status;
  view.connectionId = change.connectionId;
  // A retry ('connecting') keeps why it went down: a person reading the status page during a
  // run of refusals should see the refusal, not a blank, until a connection stands again.
  view.disconnect =
    change.status === 'connected' ? undefined : (change.disconnect ?? view.disconnect);
  view.since = now;
  listeners.set(change.listenerId, view);
  effects.push({ kind: 'listener', change });
}

export function connectedListeners(listeners: ReadonlyMap<number, ListenerView>): number {
  let connected = 0;
  for (const listener of listeners.values()) if (listener.status === 'connected') connected++;
  return connected;
}
