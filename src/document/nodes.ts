/**
 * The objects behind the model's Line, Field and comment spans. A large file has four fields per
 * line, so they keep only offsets (and a value only where it is not the field's own bytes, or is
 * an interned runlevels or action string); the bytes, values and positions are read off the
 * document's source on demand. A 220,000-line file takes about 340 bytes a line (npm run bench
 * measures the peak RSS).
 *
 * Nodes never change once built. What a getter computes is also in `toJSON`, so that
 * `JSON.stringify` (and a copy made from it) keeps every field.
 */
import { binaryToText } from "../base/bytes.js";
import type { LineCounter } from "../base/positions.js";
import {
  FIELD_NAMES,
  type Field,
  type FieldName,
  type Line,
  type LineKind,
  type Span,
  type Terminator,
} from "./model.js";

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

/** What every field node answers, from its start, end and value (subclasses keep what they must). */
abstract class FieldNode implements Field {
  protected abstract readonly src: SourceText;
  abstract readonly start: number;
  abstract readonly end: number;
  abstract readonly value: string;

  /** The exact source bytes: the value, but where continuations were joined out of it. */
  get raw(): string {
    return this.value;
  }

  get text(): string {
    return binaryToText(this.value);
  }

  get line(): number {
    return this.src.positions.index(this.start) + 1;
  }

  get column(): number {
    return this.src.positions.column(this.start);
  }

  toJSON(): Field {
    return {
      start: this.start,
      end: this.end,
      line: this.line,
      column: this.column,
      raw: this.raw,
      text: this.text,
      value: this.value,
    };
  }
}

/**
 * A field whose value is its own bytes, read off the source when asked: no string is kept per
 * field (a 220,000-line file has 880,000 of them).
 */
export class SourceField extends FieldNode {
  constructor(
    protected readonly src: SourceText,
    readonly start: number,
    readonly end: number,
  ) {
    super();
  }

  get value(): string {
    return this.src.source.slice(this.start, this.end);
  }
}

/** A field whose value is its own bytes and a string kept anyway (runlevels and actions, interned). */
export class ValueField extends FieldNode {
  constructor(
    protected readonly src: SourceText,
    readonly start: number,
    readonly value: string,
  ) {
    super();
  }

  get end(): number {
    return this.start + this.value.length;
  }
}

/** A BusyBox field broken over physical lines: `raw` keeps the continuations `value` drops. */
export class JoinedField extends FieldNode {
  constructor(
    protected readonly src: SourceText,
    readonly start: number,
    readonly end: number,
    readonly value: string,
  ) {
    super();
  }

  override get raw(): string {
    return this.src.source.slice(this.start, this.end);
  }
}

/**
 * The four fields of an entry whose fields are its own bytes, one colon apart (no continuation):
 * kept as five offsets and the two short values, each Field made when it is asked for. An
 * object per field per line was the largest part of a large document.
 */
export class EntryFields implements Readonly<Record<FieldName, Field>> {
  constructor(
    private readonly src: SourceText,
    private readonly idStart: number,
    private readonly runlevelsStart: number,
    private readonly actionStart: number,
    private readonly processStart: number,
    private readonly processEnd: number,
    private readonly runlevelsValue: string,
    private readonly actionValue: string,
  ) {}

  get id(): Field {
    return new SourceField(this.src, this.idStart, this.runlevelsStart - 1);
  }

  get runlevels(): Field {
    return new ValueField(this.src, this.runlevelsStart, this.runlevelsValue);
  }

  get action(): Field {
    return new ValueField(this.src, this.actionStart, this.actionValue);
  }

  get process(): Field {
    return new SourceField(this.src, this.processStart, this.processEnd);
  }

  toJSON(): Record<FieldName, Field> {
    return { id: this.id, runlevels: this.runlevels, action: this.action, process: this.process };
  }
}

/** The fields of a line that has none (comments, blank lines): one object for all of them. */
export const NO_FIELDS: Readonly<Partial<Record<FieldName, Field>>> = Object.freeze({});

/** Everything a Line holds but its bytes and what follows from its offsets (`endLine`, `contentEnd`). */
export type LineInit = Omit<Line, "raw" | "endLine" | "contentEnd">;

const TERMINATOR_BYTES: Readonly<Record<Terminator, number>> = { LF: 1, CRLF: 2, none: 0 };

/** A line of the document; `raw`, `endLine` and `contentEnd` are read off the source when asked for. */
export class SourceLine implements Line {
  readonly kind: LineKind;
  readonly index: number;
  readonly line: number;
  readonly start: number;
  readonly end: number;
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
    this.start = init.start;
    this.end = init.end;
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

  get endLine(): number {
    return this.end - 1 > this.start ? this.src.positions.index(this.end - 1) + 1 : this.line;
  }

  get contentEnd(): number {
    return this.end - TERMINATOR_BYTES[this.terminator];
  }

  toJSON(): Line {
    const fields: Partial<Record<FieldName, Field>> = {};
    for (const name of FIELD_NAMES) if (this.fields[name]) fields[name] = this.fields[name];
    const out: Line = {
      kind: this.kind,
      index: this.index,
      line: this.line,
      endLine: this.endLine,
      start: this.start,
      end: this.end,
      contentEnd: this.contentEnd,
      terminator: this.terminator,
      raw: this.raw,
      indent: this.indent,
      colons: this.colons,
      fields,
    };
    if (this.comment) Object.assign(out, { comment: this.comment });
    if (this.nul) Object.assign(out, { nul: this.nul });
    if (this.reason !== undefined) Object.assign(out, { reason: this.reason });
    return out;
  }
}
