#!/usr/bin/env node
// The `roleplay` executable: runs the TypeScript sources through tsx so that
// `npx roleplay ...` works right after `npm ci`, with no build step.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/cli.ts");
await run();
