/**
 * The objects behind the model's Line, Field and comment spans. A large file has four fields per
 * line, so they keep only offsets (and a field's value); the bytes and positions are read off the
 * document's source on demand. With runlevels and actions interned (build.ts), a 220,000-line
 * file takes about 440 bytes a line (npm run bench measures the peak RSS).
 *
 * Nodes never change once built. What a getter computes is also in `toJSON`, so that
 * `JSON.stringify` (and a copy made from it) keeps every field.
 */
import { binaryToText } from "../base/bytes.js";
import type { LineCounter } from "../base/positions.js";
import type { Field, FieldName, Line, LineKind, Span, Terminator } from "./model.js";

/** The source a document's nodes read from: its binary string and where its lines start. */
export interface SourceText {
  readonly source: string;
  readonly positions: LineCounter;
}

/** A span of the source: bytes, text and position computed when asked for. */
export class SourceSpan implements Span {
  constructor(
    protected readonly src: SourceText,
    readonly start: number,
    readonly end: number,
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

  toJSON(): Span & { raw: string; text: string } {
    return { start: this.start, end: this.end, line: this.line, column: this.column, raw: this.raw, text: this.text };
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
    readonly value: string,
  ) {
    super(src, start, end);
  }

  override get raw(): string {
    return this.value;
  }

  override get text(): string {
    return binaryToText(this.value);
  }

  override toJSON(): Field {
    return { ...super.toJSON(), value: this.value };
  }
}

/** A BusyBox field broken over physical lines: `raw` keeps the continuations `value` drops. */
export class JoinedField extends SourceField {
  override get raw(): string {
    return this.src.source.slice(this.start, this.end);
  }
}

/** Everything a Line holds but its bytes, which it reads off the source. */
export type LineInit = Omit<Line, "raw">;

/** A line of the document; `raw` is sliced from the source when asked for. */
export class SourceLine implements Line {
  readonly kind: LineKind;
  readonly index: number;
  readonly line: number;
  readonly endLine: number;
  readonly start: number;
  readonly end: number;
  readonly contentEnd: number;
  readonly terminator: Terminator;
  readonly indent: string;
  readonly colons: number;
  readonly fields: Readonly<Partial<Record<FieldName, Field>>>;
  // Set on the few lines that have them: `declare` keeps them out of every other line's object.
  declare readonly comment?: Line["comment"];
  declare readonly nul?: Line["nul"];
  declare readonly reason?: string;

  constructor(
    private readonly src: SourceText,
    init: LineInit,
  ) {
    this.kind = init.kind;
    this.index = init.index;
    this.line = init.line;
    this.endLine = init.endLine;
    this.start = init.start;
    this.end = init.end;
    this.contentEnd = init.contentEnd;
    this.terminator = init.terminator;
    this.indent = init.indent;
    this.colons = init.colons;
    this.fields = init.fields;
    if (init.comment) (this as { comment?: Line["comment"] }).comment = init.comment;
    if (init.nul) (this as { nul?: Line["nul"] }).nul = init.nul;
    if (init.reason !== undefined) (this as { reason?: string }).reason = init.reason;
  }

  get raw(): string {
    return this.src.source.slice(this.start, this.end);
  }

  toJSON(): Line {
    const out: Line = {
      kind: this.kind, index: this.index, line: this.line, endLine: this.endLine, start: this.start, end: this.end,
      contentEnd: this.contentEnd, terminator: this.terminator, raw: this.raw, indent: this.indent,
      colons: this.colons, fields: this.fields,
    };
    if (this.comment) Object.assign(out, { comment: this.comment });
    if (this.nul) Object.assign(out, { nul: this.nul });
    if (this.reason !== undefined) Object.assign(out, { reason: this.reason });
    return out;
  }
}
