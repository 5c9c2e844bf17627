/** The longest line a guest can write; longer output is cut into lines of this many characters. */
export const maxLineChars = 16 * 1024;

/**
 * Turns a byte stream (a guest's stdout or stderr) into lines: UTF-8 decoded across write
 * boundaries, split on newlines, with a carriage return before the newline dropped.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #emit: (line: string) => void;
  #pending = '';

  constructor(emit: (line: string) => void) {
    this.#emit = emit;
  }

  write(bytes: Uint8Array): void {
    this.#pending += this.#decoder.decode(bytes, { stream: true });
    let newline = this.#pending.indexOf('\n');
    while (newline !== -1) {
      const line = this.#pending.slice(0, newline);
      this.#emit(line.endsWith('\r') ? line.slice(0, -1) : line);
      this.#pending = this.#pending.slice(newline + 1);
      newline = this.#pending.indexOf('\n');
    }
    while (this.#pending.length >= maxLineChars) {
      this.#emit(this.#pending.slice(0, maxLineChars));
      this.#pending = this.#pending.slice(maxLineChars);
    }
  }

  /** Emits a final line without its newline, if any text is waiting. */
  flush(): void {
    this.#pending += this.#decoder.decode();
    if (this.#pending.length > 0) this.#emit(this.#pending);
    this.#pending = '';
  }
}
