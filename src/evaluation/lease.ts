// The evaluation lease, like the answer lease: short, and renewed by a heartbeat while the judge
// works, so a process that dies mid-evaluation frees it within one lease however slow the judge
// is. The lease's end time (the session's evalNextAt while "running") is also the holder's
// identity: a renewal is a compare-and-set on it, so a process that lost the lease never renews
// someone else's.
import type { Store } from "../store/port.ts";

export interface EvaluationLease {
  /** The lease's current end time (what evalNextAt holds while we have it). */
  current(): number;
  /** Stops renewing and waits for a renewal on its way, so `current()` matches the database. */
  stop(): Promise<void>;
}

export function keepEvaluationLease(
  store: Pick<Store, "updateSession">,
  sessionId: string,
  claimedUntil: number,
  options: { leaseMs: number; now: () => number; onRenewFailed?: (error: unknown) => void },
): EvaluationLease {
  let current = claimedUntil;
  let renewing: Promise<void> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(
    () => {
      renewing = renewing.then(async () => {
        if (stopped) return;
        const next = Math.max(options.now() + options.leaseMs, current + 1);
        try {
          const kept = await store.updateSession(
            sessionId,
            { evalNextAt: next },
            { evalStatus: ["running"], evalNextAt: current },
          );
          if (kept) current = next;
          else clearInterval(timer);
        } catch (error) {
          // The next beat tries again; a lease that runs out meanwhile is taken over, never doubled.
          options.onRenewFailed?.(error);
        }
      });
    },
    Math.max(10, Math.floor(options.leaseMs / 3)),
  );
  timer.unref();
  return {
    current: () => current,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await renewing;
    },
  };
}
