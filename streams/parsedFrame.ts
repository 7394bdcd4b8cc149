/** What a subscription frame turned out to be. */
export type ParsedFrame =
  | { readonly kind: 'event'; readonly appId: string; readonly seqno: number }
  | {
      readonly kind: 'malformed';
      readonly reason: MalformedReason;
      /** The frame's start, for a log line: text from the wire, cut to `WIRE_TEXT_CHARS`. */
      readonly sample: string;
    };

/** Why a frame is not a probe event: the label values of the malformed counter. */
export const MALFORMED_REASONS = [
  'binary',
  'too-large',
  'not-json',
  'not-an-object',
  'bad-app-id',
  'bad-seqno',
] as const;
export type MalformedReason = (typeof MALFORMED_REASONS)[number];
