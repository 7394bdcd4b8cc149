/**
 * A configuration value too long to quote in an error: convict quotes the value it was given
 * (`JSON.stringify`), and a 20,000-character value would make a 20,000-character line, or show
 * the start of a secret that the cut took the end off. It is shown by its size only.
 */
export class Oversized {
  // Private, so the object has no keys: convict reads a value with keys as a group of settings.
  readonly #size: string;
  constructor(size: string) {
    this.#size = size;
  }
  toJSON(): string {
    return this.#size;
  }
}

export const oversized = (text: string, size = `${text.length} characters`): Oversized =>
  new Oversized(size);
