// One contender in an attempt race: opens the store, says "ready", waits for "go" on stdin, then
// tries to take an attempt and prints what it got. Several run as separate processes at once.
import { openStore } from "../../src/store/index.ts";
import { assignmentStoreFor } from "../../src/store/assignments.ts";

const [url, pgSchema, assignmentId, traineeId, personaId, maxAttempts] = process.argv.slice(2);
const store = await openStore(url as string, pgSchema ? { pgSchema } : {});
const assignments = assignmentStoreFor(store);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const result = await assignments.reserveAttempt({
  assignmentId: assignmentId as string,
  traineeId: traineeId as string,
  personaId: personaId as string,
  sessionId: crypto.randomUUID(),
  now: Date.now(),
  maxAttempts: Number(maxAttempts),
});
process.stdout.write(`${JSON.stringify(result)}\n`);
await store.close();
process.exit(0);
