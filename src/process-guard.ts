// The running bot outlives a bug in one event: an exception nobody caught, or a promise nobody
// awaited, is logged (name and masked message, never a transcript) and the process keeps serving
// every other session. Node's default is to exit, which would end every running session at once.
import { errorFields, type Logger } from "./log.ts";

export interface ProcessGuard {
  /** How many uncaught errors were logged and survived. */
  survived(): number;
  /** Takes the handlers off again (at shutdown). */
  stop(): Promise<void>;
}

export function guardProcess(log: Logger, target: NodeJS.Process = process): ProcessGuard {
  let survived = 0;
  const onException = (error: unknown) => {
    survived++;
    log.error("process.uncaught_exception", { ...errorFields(error), survived });
  };
  const onRejection = (reason: unknown) => {
    survived++;
    log.error("process.unhandled_rejection", { ...errorFields(reason), survived });
  };
  target.on("uncaughtException", onException);
  target.on("unhandledRejection", onRejection);
  return {
    survived: () => survived,
    async stop() {
      target.off("uncaughtException", onException);
      target.off("unhandledRejection", onRejection);
    },
  };
}
