// "Delete my data" as one small state machine both platforms follow. The command only explains
// and asks; the buttons carry the asker's id, so nobody else can confirm (or cancel) it for them.
// Confirming deletes; a deletion that failed leaves the question standing so it can be tried
// again. Where others can see the question (a Telegram group), the number of deleted sessions is
// told to the asker alone and the group reads only that it was done.
import type { EngineError } from "../../roleplay/api.ts";
import type { roleplayTexts } from "../../roleplay/messages.ts";

export type ForgetChoice = "confirm" | "cancel";

export type ForgetState =
  /** The question is shown with its two buttons. */
  | { step: "asked"; owner: string }
  /** The asker confirmed: the deletion runs. */
  | { step: "deleting"; owner: string }
  | { step: "cancelled" }
  | { step: "done"; sessions: number };

export type ForgetEvent =
  | { type: "click"; by: string; choice: ForgetChoice }
  | { type: "deleted"; sessions: number }
  | { type: "failed"; error: EngineError };

/** What the platform does after a transition. */
export interface ForgetEffect {
  /** Run the deletion (then feed its result back as "deleted" or "failed"). */
  delete: boolean;
  /** The question becomes this text, without buttons; absent: the question stays as it is. */
  replaceQuestion?: string;
  /** Told only to whoever clicked (an alert, an ephemeral message). */
  tellClicker?: string;
}

type Texts = Pick<
  ReturnType<typeof roleplayTexts>,
  "forgetNotYours" | "forgetCancelled" | "forgetDone" | "forgetDoneShort" | "error"
>;

/**
 * One step. `sharedQuestion`: whether people other than the asker can read the question (a group
 * chat); then the count of deleted sessions goes to the asker privately.
 */
export function forgetStep(
  state: ForgetState,
  event: ForgetEvent,
  t: Texts,
  sharedQuestion: boolean,
): { state: ForgetState; effect: ForgetEffect } {
  const stay = { state, effect: { delete: false } };
  if (state.step === "asked" && event.type === "click") {
    if (event.by !== state.owner) return { state, effect: { delete: false, tellClicker: t.forgetNotYours } };
    if (event.choice === "cancel")
      return { state: { step: "cancelled" }, effect: { delete: false, replaceQuestion: t.forgetCancelled } };
    return { state: { step: "deleting", owner: state.owner }, effect: { delete: true } };
  }
  if (state.step === "deleting" && event.type === "deleted") {
    const done = t.forgetDone(event.sessions);
    return {
      state: { step: "done", sessions: event.sessions },
      effect: sharedQuestion
        ? { delete: false, replaceQuestion: t.forgetDoneShort, tellClicker: done }
        : { delete: false, replaceQuestion: done },
    };
  }
  if (state.step === "deleting" && event.type === "failed") {
    return {
      state: { step: "asked", owner: state.owner },
      effect: { delete: false, tellClicker: t.error(event.error.code, event.error.detail) },
    };
  }
  return stay;
}

/**
 * A whole click on a deletion button: the question is "asked" by `owner` (the id the button
 * carries); `forget` runs the deletion when the click confirms it. Returns the effects to render,
 * in order (the deletion's own effect last).
 */
export async function forgetClick(
  owner: string,
  click: { by: string; choice: ForgetChoice },
  t: Texts,
  sharedQuestion: boolean,
  forget: () => Promise<{ ok: true; sessions: number } | { ok: false; error: EngineError }>,
): Promise<{ state: ForgetState; effect: ForgetEffect }> {
  const first = forgetStep({ step: "asked", owner }, { type: "click", ...click }, t, sharedQuestion);
  if (!first.effect.delete) return first;
  const result = await forget();
  return forgetStep(
    first.state,
    result.ok ? { type: "deleted", sessions: result.sessions } : { type: "failed", error: result.error },
    t,
    sharedQuestion,
  );
}
