/** The JSON view of a Document (`inittab parse`). Field values are UTF-8 text. */
import type { Document, Line } from "./model.js";

export interface LineJson {
  kind: Line["kind"];
  line: number;
  endLine?: number;
  column: number;
  start: number;
  end: number;
  terminator: Line["terminator"];
  id?: string;
  runlevels?: string;
  action?: string;
  process?: string;
  comment?: string;
  reason?: string;
}

export function documentToJson(doc: Document): { dialect: string; detection: string[]; lines: LineJson[] } {
  return {
    dialect: doc.dialect.name,
    detection: doc.detection.reasons,
    lines: doc.lines.map((l) => {
      const out: LineJson = {
        kind: l.kind,
        line: l.line,
        // Every line starts a physical line (a NUL does not end one).
        column: 1,
        start: l.start,
        end: l.end,
        terminator: l.terminator,
      };
      if (l.endLine !== l.line) out.endLine = l.endLine;
      for (const name of ["id", "runlevels", "action", "process"] as const) {
        const f = l.fields[name];
        if (f) out[name] = f.text;
      }
      if (l.comment) out.comment = l.comment.text;
      if (l.reason) out.reason = l.reason;
      return out;
    }),
  };
}
