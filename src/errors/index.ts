// The one root of the program's errors, after openai-node's `core/error.ts`: every error we throw
// is a RoleplayError with a stable `code` (callers catch by class or code, never by name or
// message text), the exit code the command line ends with, and the sentence for a person rendered
// in their language from the errors' message table. `message` is that sentence in English, for
// logs and for callers that have no language at hand.
import type { Language } from "../domain/persona.ts";

/** The command line's exit codes. */
export const EXIT_OK = 0;
/** Something the user can fix (a message says what). */
export const EXIT_USER_ERROR = 1;
/** The command was called wrongly (its usage is printed). */
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_USER_ERROR | typeof EXIT_USAGE;

export abstract class RoleplayError extends Error {
  /** Stable, snake_case (or the subclass's own documented set): what failed, for code and logs. */
  abstract readonly code: string;
  /** What the command line exits with when this error ends a command. */
  readonly exitCode: ExitCode = EXIT_USER_ERROR;

  /**
   * @param english the English sentence (the `message`); subclasses pass the same text their
   *   `localized("en")` gives, computed from their own fields.
   */
  constructor(english: string, options?: { cause?: unknown }) {
    super(english, options);
    // The class name, not "Error": logs carry it (errorFields), and it survives minification
    // because each subclass sets it explicitly.
    this.name = new.target.name;
  }

  /** What happened and what to do, in the user's language (from the errors' message table). */
  abstract localized(language: Language): string;
}

/** A RoleplayError's sentence in the user's language; anything else as its (English) message. */
export function describeError(error: unknown, language: Language): string {
  if (error instanceof RoleplayError) return error.localized(language);
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
