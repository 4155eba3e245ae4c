// Posting unprompted to a configured chat (the weekly digest): the text, then each file as a
// document. Loaded only when Telegram starts (it needs grammY).
import { type Api, InputFile } from "grammy";
import type { PlatformFile } from "../contract.ts";

export async function postToChat(api: Api, chatId: string, text: string, files: PlatformFile[]): Promise<void> {
  await api.sendMessage(chatId, text);
  for (const f of files) await api.sendDocument(chatId, new InputFile(f.content, f.name));
}
