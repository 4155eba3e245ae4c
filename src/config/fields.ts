// The kinds of environment variable the tool reads, as zod schemas whose messages say what is
// expected (never the value). Shared by the central configuration (src/config.ts) and by each
// platform's own variables (platform.ts in each folder of src/platforms).
import { z } from "zod";

export const baseUrl = z.url({ protocol: /^https?$/, error: "an http(s) URL, e.g. http://localhost:11434/v1" });

/** Text; empty or only spaces counts as unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

/** An http(s) URL; empty counts as unset. */
export const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s === "" ? undefined : s))
  .pipe(baseUrl.optional());

/** A whole number in a range, with a default. */
export const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: `a whole number between ${min} and ${max}` })
    .int({ error: `a whole number between ${min} and ${max}` })
    .min(min, { error: `a whole number between ${min} and ${max}` })
    .max(max, { error: `a whole number between ${min} and ${max}` })
    .default(def);

/** A comma- or space-separated list of numeric ids (Telegram user ids, Discord role ids). */
export const idList = z
  .string()
  .trim()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^-?\d+$/, "a comma-separated list of numeric ids")));

/** true or false, with a default. */
export const bool = (def: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? String(def) : s))
    .pipe(z.stringbool({ error: "true or false" }));
