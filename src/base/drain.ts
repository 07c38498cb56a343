/** Back-pressure on a writable stream, shared by every writer that feeds one chunk at a time. */
import type { EventEmitter } from "node:events";

/**
 * Resolve once `stream` has drained, or has closed (a reader that went away must not leave the
 * writer waiting forever). Call it when `write` returned false.
 */
export function drained(stream: Pick<EventEmitter, "on" | "off">): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}
