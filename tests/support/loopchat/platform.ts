// The Loopchat platform as the registry sees it: this folder is shaped like one under
// src/platforms/, and `registerPlatform(loopchatPlatform)` is its one line in the registry. It is
// the walk-through's example in docs/platforms.md. Loopchat counts message length in UTF-8 bytes
// (like WeCom), so the layer's length unit is exercised too.
import { int, optionalText, optionalUrl } from "../../../src/config/fields.ts";
import type { PlatformAdapter, PlatformFile } from "../../../src/platforms/contract.ts";

export interface LoopchatSettings {
  apiUrl: string;
  port: number;
  digestRoom: string | null;
}

export const LOOPCHAT_TEXT_LIMIT = 2048;

export const loopchatPlatform: PlatformAdapter<LoopchatSettings> = {
  id: "loopchat",
  name: "Loopchat",
  variables: {
    LOOPCHAT_API_URL: { schema: optionalUrl, doc: "The Loopchat API base. Set it to run the Loopchat bot." },
    LOOPCHAT_PORT: { schema: int(8090, 1, 65_535), doc: "The port Loopchat posts updates to." },
    LOOPCHAT_DIGEST_ROOM: { schema: optionalText, doc: "The room the weekly digest goes to." },
  },
  settings(env) {
    const v = env as { LOOPCHAT_API_URL?: string; LOOPCHAT_PORT: number; LOOPCHAT_DIGEST_ROOM?: string };
    if (!v.LOOPCHAT_API_URL) return null;
    return { apiUrl: v.LOOPCHAT_API_URL, port: v.LOOPCHAT_PORT, digestRoom: v.LOOPCHAT_DIGEST_ROOM ?? null };
  },
  textLimit: LOOPCHAT_TEXT_LIMIT,
  lengthUnit: "utf8",
  scope: {
    en: { placeholder: "ROOM_ID", noun: "Loopchat room" },
    "zh-CN": { placeholder: "房间ID", noun: "Loopchat 房间" },
  },
  exampleUserId: "u-1",
  digest: { variable: "LOOPCHAT_DIGEST_ROOM", destination: (s) => s.digestRoom },
  async start(app, settings) {
    const { startLoopchatBot, send } = await import("./bot.ts");
    const bot = await startLoopchatBot(app, settings);
    return {
      stop: () => bot.stop(),
      post: (room: string, text: string, files: PlatformFile[]) => send(settings, room, text, files),
    };
  },
};
