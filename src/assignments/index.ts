// The assignments feature's public face: one call assembles its store, service and evaluation gate
// over the app's store and engine (app.ts), so every process gets the same wiring.
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Engine } from "../roleplay/engine.ts";
import { assignmentStoreFor } from "../store/assignments.ts";
import type { Store } from "../store/port.ts";
import { type AssignmentGate, createAssignmentGate } from "./gate.ts";
import { createReminders } from "./reminders.ts";
import { type AssignmentService, createAssignmentService } from "./service.ts";

export type { AssignmentGate } from "./gate.ts";
export type { AssignmentStore } from "./port.ts";
export type { AssignmentService, ProgressRow, TraineeAssignment } from "./service.ts";

export function createAssignments(deps: {
  store: Store;
  engine: Engine;
  config: Pick<Config, "timeZone" | "language"> & Partial<Pick<Config, "reminders">>;
  now?: (() => number) | undefined;
  log?: Logger;
}): { service: AssignmentService; gate: AssignmentGate } {
  const assignments = assignmentStoreFor(deps.store);
  const now = deps.now ?? Date.now;
  const service = createAssignmentService({
    assignments,
    store: deps.store,
    engine: deps.engine,
    now,
    timeZone: deps.config.timeZone,
    onRelease: (id) => gate.deliverNow(id),
    addReminderSender: (platform, send, hint) => reminders.addSender(platform, send, hint),
  });
  const gate = createAssignmentGate({
    assignments,
    service,
    store: deps.store,
    notify: (notice) => deps.engine.evaluationNotice(notice),
    now,
    ...(deps.log ? { log: deps.log } : {}),
  });
  const reminders = createReminders({
    assignments,
    service,
    settings: deps.config.reminders ?? { beforeHours: 24, overdue: true, quietHours: "22:00-08:00" },
    timeZone: deps.config.timeZone,
    language: async (id) => (await deps.store.getTrainee(id))?.language ?? deps.config.language,
    title: (id) => deps.engine.personas().find((p) => p.id === id)?.title ?? id,
    hint: "/assignments",
    now,
    ...(deps.log ? { log: deps.log } : {}),
  });
  gate.guard(deps.engine, [() => reminders.run()]);
  return { service, gate };
}
