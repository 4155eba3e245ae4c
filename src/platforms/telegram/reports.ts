// The place for managers' /report command. The manager-summaries issue fills this composer in; the
// bot already installs it after the roles are known and before ordinary messages, so a manager's
// command never reaches a session as a turn.
import { Composer, type Context } from "grammy";
import type { FeatureDeps } from "./deps.ts";

export function managerReportFeatures(_deps: FeatureDeps): Composer<Context> {
  return new Composer<Context>();
}
