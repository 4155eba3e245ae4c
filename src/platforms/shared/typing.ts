// Keeps a "typing…" indicator alive while the customer is being written, on any platform: the
// platform's indicator fades after a few seconds (Telegram about 5, Discord about 10), so it is
// sent again every `everyMs` until the customer's message (or anything else) arrives, and never
// for longer than `maxMs`: a model slower than that gets a notice from the engine instead.
export interface TypingKeeper {
  /** Starts (or restarts) the indicator for `key`; `send` shows it once. */
  start(key: string, send: () => Promise<unknown>): void;
  stop(key: string): void;
  /** Keys whose indicator is being kept alive. */
  active(): string[];
  /** Stops every indicator; later starts are ignored. */
  close(): void;
}

/** How long any platform keeps typing without an answer (both platforms alike). */
export const TYPING_MAX_MS = 120_000;

export function createTypingKeeper(options: {
  everyMs: number;
  maxMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}): TypingKeeper {
  const maxMs = options.maxMs ?? TYPING_MAX_MS;
  const now = options.now ?? Date.now;
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  function fire(send: () => Promise<unknown>): void {
    try {
      send().catch((e) => options.onError?.(e));
    } catch (e) {
      options.onError?.(e);
    }
  }

  function stop(key: string): void {
    const timer = timers.get(key);
    if (timer) clearInterval(timer);
    timers.delete(key);
  }

  return {
    start(key, send) {
      if (closed) return;
      stop(key);
      const until = now() + maxMs;
      fire(send);
      const timer = setInterval(() => {
        if (now() >= until) return stop(key);
        fire(send);
      }, options.everyMs);
      timer.unref();
      timers.set(key, timer);
    },
    stop,
    active: () => [...timers.keys()],
    close() {
      closed = true;
      for (const key of [...timers.keys()]) stop(key);
    },
  };
}
