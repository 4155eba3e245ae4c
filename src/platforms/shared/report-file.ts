// The name of a session's full report as a file, the same on every platform: the customer and the
// local start time, which is what a trainee recognises in a downloads folder; two sessions with
// the same customer on the same day get different names.
import { formatMinute } from "../../i18n/dates.ts";

/** "report-atm-counterfeit-note-2026-03-01-0930.md" (start time in the team's zone). */
export function reportFileName(session: { personaId: string; startedAt: number }, timeZone: string): string {
  const persona = session.personaId.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+|-+$/g, "") || "session";
  const when = formatMinute(session.startedAt, timeZone).replace(" ", "-").replace(":", "");
  return `report-${persona}-${when}.md`;
}
