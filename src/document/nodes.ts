/**
 * The objects behind the model's Line, Field and comment spans. A large file has four fields per
 * line, so they keep only offsets (and a field's value); the bytes and positions are read off the
 * document's source on demand. With runlevels and actions interned (build.ts), a 220,000-line
 * file takes about 440 bytes a line instead of 590 (npm run bench measures the peak RSS).
 */
import { binaryToText } from "./bytes.js";
import type { Field, Line, LineKind, Span, Terminator } from "./model.js";

/** Where offsets lie: document/build.ts's LineCounter (an interface here, against an import cycle). */
export interface Positions {
  /** 0-based index of the line holding an offset. */
  index(offset: number): number;
  /** 1-based byte column of an offset. */
  column(offset: number): number;
}

/** The source a document's nodes read from: its binary string and where its lines start. */
export interface SourceText {
  readonly source: string;
  readonly positions: Positions;
}

/** A span of the source: bytes, text and position computed when asked for. */
export class SourceSpan implements Span {
  constructor(
    protected readonly src: SourceText,
    public readonly start: number,
    public readonly end: number,
  ) {}

  /** The exact source bytes (binary string). */
  get raw(): string {
    return this.src.source.slice(this.start, this.end);
  }

  /** `raw` decoded as UTF-8 (U+FFFD for invalid bytes). */
  get text(): string {
    return binaryToText(this.raw);
  }

  get line(): number {
    return this.src.positions.index(this.start) + 1;
  }

  get column(): number {
    return this.src.positions.column(this.start);
  }
}

/**
 * A field. `value` (what init sees) is kept: the rules read it all the time, and it is the bytes
 * of the field itself (JoinedField: unless BusyBox continuations were joined out of it).
 */
export class SourceField extends SourceSpan implements Field {
  constructor(
    src: SourceText,
    start: number,
    end: number,
    public readonly value: string,
  ) {
    super(src, start, end);
  }

  override get raw(): string {
    return this.value;
  }

  override get text(): string {
    return binaryToText(this.value);
  }
}

/** A BusyBox field broken over physical lines: `raw` keeps the continuations `value` drops. */
export class JoinedField extends SourceField {
  override get raw(): string {
    return this.src.source.slice(this.start, this.end);
  }
}

/** A line of the document; `raw` is sliced from the source when asked for. */
export class SourceLine implements Line {
  // Set on the few lines that have them: `declare` keeps them out of every other line's object.
  declare comment?: SourceSpan;
  declare nul?: SourceSpan;
  declare reason?: string;

  constructor(
    private readonly src: SourceText,
    public kind: LineKind,
    public index: number,
    public line: number,
    public endLine: number,
    public start: number,
    public end: number,
    public contentEnd: number,
    public terminator: Terminator,
    public indent: string,
    public colons: number,
    public fields: Line["fields"],
  ) {}

  get raw(): string {
    return this.src.source.slice(this.start, this.end);
  }
}
