// The terminal as the registry sees it: a known platform id ("console:alice" trainees) with no
// variables, no places to report on and nothing `roleplay start` runs (`roleplay console` does).
import type { PlatformAdapter } from "../contract.ts";

export const consolePlatform: PlatformAdapter<never> = {
  id: "console",
  name: "Terminal",
  variables: {},
  settings: () => null,
  textLimit: Number.MAX_SAFE_INTEGER,
  lengthUnit: "utf16",
  exampleUserId: "alice",
};
