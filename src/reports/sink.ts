// Where a streamed report file goes, a piece at a time: the session sheet and JSON are written
// page by page (a page is a few thousand rows in one string), so no report holds every row.
import type { SessionRow } from "./summary.ts";

/** Takes the next piece of the file; a returned promise holds the writer back until it settles. */
export type TextSink = (chunk: string) => void | Promise<void>;

/** The session table's rows, a page at a time, oldest first (sessionRows() reads them from the store). */
export type SessionRowPages = AsyncIterable<SessionRow[]> | Iterable<SessionRow[]>;

/** The whole text a streaming writer produces, in one string: for small reports and tests. */
export async function collectText(write: (sink: TextSink) => Promise<void>): Promise<string> {
  const parts: string[] = [];
  await write((chunk) => {
    parts.push(chunk);
  });
  return parts.join("");
}

/**
 * A sink over a Node stream (a file, standard output) that waits for "drain" when the stream's
 * buffer is full, so a slow reader slows the report down instead of filling memory.
 */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  return (chunk) => {
    if (stream.write(chunk)) return;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off("error", failed);
        resolve();
      };
      const failed = (e: unknown) => {
        stream.off("drain", done);
        reject(e);
      };
      stream.once("drain", done);
      stream.once("error", failed);
    });
  };
}
