// The assignments feature's public face: one call assembles its store, service and evaluation gate
// over the app's store and engine (app.ts), so every process gets the same wiring.
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Engine } from "../roleplay/engine.ts";
import { assignmentStoreFor } from "../store/assignments.ts";
import type { Store } from "../store/port.ts";
import { type AssignmentGate, createAssignmentGate } from "./gate.ts";
import { type AssignmentService, createAssignmentService } from "./service.ts";

export type { AssignmentGate } from "./gate.ts";
export type { AssignmentStore } from "./port.ts";
export type { AssignmentService, ProgressRow, TraineeAssignment } from "./service.ts";

export function createAssignments(deps: {
  store: Store;
  engine: Engine;
  config: Pick<Config, "timeZone">;
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
  });
  const gate = createAssignmentGate({
    assignments,
    service,
    store: deps.store,
    notify: (notice) => deps.engine.evaluationNotice(notice),
    now,
    ...(deps.log ? { log: deps.log } : {}),
  });
  gate.guard(deps.engine);
  return { service, gate };
}
