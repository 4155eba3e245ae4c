// The fake OpenAI-compatible server on its own, for trying the product by hand (tmux, curl):
//   node --import tsx tests/support/fake-llm-server.ts [--port 8787] [--judge-fails]
// It plays the customer (echoing what it heard) and the judge; --judge-fails makes every judge
// call fail with HTTP 500, to see what a trainee meets when the evaluation cannot be made.
import { parseArgs } from "node:util";
import { startFakeLlm } from "./fake-llm.ts";
import { roleplayResponder } from "./llm-scripts.ts";
import { schemaNameOf } from "./fake-llm.ts";

const { values } = parseArgs({
  options: { port: { type: "string" }, "judge-fails": { type: "boolean" } },
  strict: true,
});
const play = roleplayResponder();
const llm = await startFakeLlm({
  port: values.port === undefined ? undefined : Number(values.port),
  respondWith: (body) =>
    values["judge-fails"] && schemaNameOf(body) === "evaluation"
      ? { status: 500, body: { error: { message: "the judge is down (fake)" } } }
      : play(body),
});
process.stdout.write(`${llm.url}\n`);
const stop = () => void llm.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
