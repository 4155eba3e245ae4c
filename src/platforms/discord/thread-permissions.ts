// The channel permissions a session thread cannot work without, checked before anything is
// created (Discord tells the bot its permissions with every command), named as Discord shows them.
import { PermissionFlagsBits, type PermissionsBitField } from "discord.js";
import { type DiscordMessages, discordMessages, type PermissionKey } from "./messages.ts";

/** Each permission's key in the messages' `permissionNames`. */
const PERMISSION_KEYS: Array<[bigint, PermissionKey]> = [
  [PermissionFlagsBits.ViewChannel, "viewChannel"],
  [PermissionFlagsBits.CreatePublicThreads, "createPublicThreads"],
  [PermissionFlagsBits.CreatePrivateThreads, "createPrivateThreads"],
  [PermissionFlagsBits.SendMessagesInThreads, "sendMessagesInThreads"],
  [PermissionFlagsBits.EmbedLinks, "embedLinks"],
  [PermissionFlagsBits.ReadMessageHistory, "readMessageHistory"],
];

export function requiredPermissions(isPrivate: boolean): bigint[] {
  return [
    PermissionFlagsBits.ViewChannel,
    isPrivate ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads,
    PermissionFlagsBits.SendMessagesInThreads,
    PermissionFlagsBits.EmbedLinks,
    PermissionFlagsBits.ReadMessageHistory,
  ];
}

export function missingPermissions(have: Readonly<PermissionsBitField> | null, isPrivate: boolean): bigint[] {
  if (!have) return [];
  return requiredPermissions(isPrivate).filter((p) => !have.has(p, false));
}

export function permissionList(perms: bigint[], m: DiscordMessages): string {
  return perms
    .map((p) => {
      const key = PERMISSION_KEYS.find(([bit]) => bit === p)?.[1];
      // Discord's English name is what admins find in the settings; a Chinese reader gets both.
      return key ? m.permission(discordMessages("en").permissionNames[key], m.permissionNames[key]) : String(p);
    })
    .join(m.listSeparator);
}
