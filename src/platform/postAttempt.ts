import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { earliestNotAfter } from './certExpiry';

/** The phases of one HTTP attempt, in the order they happen. */
export const POST_PHASES = ['resolve', 'connect', 'tls', 'wait', 'transfer'] as const;
export type PostPhase = (typeof POST_PHASES)[number];

/** Seconds each phase of one attempt took; a phase that did not happen (or end) is absent. */
export type PhaseSeconds = Partial<Record<PostPhase, number>>;

export interface AttemptHooks {
  readonly now: () => number;
  /** Once per attempt, when it closes, whatever its end. */
  readonly onPhases?: (phases: PhaseSeconds) => void;
  /** The earliest notAfter (unix seconds) of the chain, on each new TLS connection. */
  readonly onCertificate?: (notAfterSeconds: number) => void;
}

/**
 * How much of an answer reached an attempt: nothing, part (a byte at least, not the whole
 * body), or all of it. What the retry rule and the error's wording ask.
 */
export interface AnswerReceived {
  readonly received: 'none' | 'partial' | 'complete';
  /** The status line's code, once the head was parsed. */
  readonly status?: number;
}

const answers = new WeakMap<object, AnswerReceived>();

/** What reached a watched attempt; undefined for a request nobody watched (or none). */
export function answerOf(request: unknown): AnswerReceived | undefined {
  return typeof request === 'object' && request !== null ? answers.get(request) : undefined;
}

/**
 * Watches one attempt from the socket's and the request's own events: when the name resolved,
 * the connection and the TLS session were made (a kept-alive socket has done all three before
 * and skips them; an IP literal is not resolved), the request was written, the first byte of
 * the answer came, and the body ended. `startedAt` is taken before the request is created,
 * since the agent starts a new socket's lookup while creating it.
 */
export function watchAttempt(request: http.ClientRequest, startedAt: number, hooks: AttemptHooks) {
  const { now } = hooks;
  let answer: AnswerReceived = { received: 'none' };
  answers.set(request, answer);
  const note = (change: Partial<AnswerReceived>) => {
    answer = { ...answer, ...change };
    answers.set(request, answer);
  };
  const at: Partial<Record<'lookup' | 'connect' | 'secure' | 'written' | 'first' | 'end', number>> =
    {};
  request.once('socket', (socket: Socket) => {
    const onData = () => {
      at.first ??= now();
      if (answer.received === 'none') note({ received: 'partial' });
    };
    socket.once('data', onData);
    request.once('close', () => socket.removeListener('data', onData));
    if (!socket.connecting) return; // kept alive: connected long ago
    socket.once('lookup', (error: Error | null) => {
      if (!error) at.lookup = now();
    });
    socket.once('connect', () => {
      at.connect = now();
    });
    socket.once('secureConnect', () => {
      at.secure = now();
      const notAfter = earliestNotAfter(socket as TLSSocket);
      if (notAfter !== undefined) hooks.onCertificate?.(notAfter);
    });
  });
  request.once('finish', () => {
    at.written = now();
  });
  request.once('response', (response) => {
    note({ status: response.statusCode });
    response.once('end', () => {
      at.end = now();
      note({ received: 'complete' });
    });
  });
  request.once('close', () => hooks.onPhases?.(phasesOf(startedAt, at)));
}

function phasesOf(
  startedAt: number,
  at: Partial<Record<'lookup' | 'connect' | 'secure' | 'written' | 'first' | 'end', number>>,
): PhaseSeconds {
  const phases: PhaseSeconds = {};
  const span = (phase: PostPhase, from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined) phases[phase] = Math.max(0, to - from) / 1000;
  };
  span('resolve', startedAt, at.lookup);
  span('connect', at.lookup ?? startedAt, at.connect);
  span('tls', at.connect, at.secure);
  span('wait', at.written, at.first);
  span('transfer', at.first, at.end);
  return phases;
}

/** An axios transport whose every request is watched. */
export function watchedTransport(secure: boolean, hooks: AttemptHooks) {
  const base = secure ? https : http;
  return {
    request(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void) {
      const startedAt = hooks.now();
      const request = base.request(options, callback);
      watchAttempt(request, startedAt, hooks);
      return request;
    },
  };
}
