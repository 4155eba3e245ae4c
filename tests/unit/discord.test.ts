// The Discord adapter's routing and rendering against a fake Discord (no network) and a small
// in-memory engine: what becomes a turn, what the bot says, how Discord's errors are survived.
import { isBlankText } from "../../src/roleplay/blank-text.ts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EvaluationCard } from "../../src/domain/evaluation.ts";
import {
  type Place,
  placeKey,
  type Session,
  type TraineeIdentity,
  type Turn,
  traineeKey,
} from "../../src/domain/session.ts";
import { createDiscordBot, type DiscordBot } from "../../src/platforms/discord/bot.ts";
import { buttonId, commandDefinitions, forgetButtonId, parseButtonId } from "../../src/platforms/discord/commands.ts";
import { DISCORD_COMMANDS, discordMessages } from "../../src/platforms/discord/messages.ts";
import { roleplayMessages } from "../../src/roleplay/messages.ts";
import { customerMessages, embedLength, evaluationEmbed, LIMITS } from "../../src/platforms/discord/render.ts";
import type { Inbound, Outlet, PersonaSummary, RoleplayApi, StartRequest, Viewer } from "../../src/roleplay/api.ts";
import { silentLogger } from "../../src/log.ts";
import { createFakeDiscord, type FakeDiscord } from "../support/discord-harness.ts";

const PERSONAS: PersonaSummary[] = [
  {
    id: "atm-note",
    name: "王先生",
    title: "ATM 取出疑似假币",
    language: "zh-CN",
    archetype: "angry",
    difficulty: "hard",
    channel: "branch",
    hash: "h1",
  },
  {
    id: "pension-form",
    name: "李阿姨",
    title: "退休金表格",
    language: "zh-CN",
    archetype: "confused",
    difficulty: "easy",
    channel: "branch",
    hash: "h2",
  },
];

/** A tiny engine: enough behaviour to see what the adapter sends it and what it renders. */
function memoryEngine() {
  let outlet: Outlet | null = null;
  const sessions: Session[] = [];
  const turns = new Map<string, Turn[]>();
  const inbound: Inbound[] = [];
  const results: string[] = [];
  const starts: StartRequest[] = [];
  const forgotten: TraineeIdentity[] = [];
  const claimed = new Set<string>();
  const state = { reply: "请问你们打算怎么处理？", opening: "我刚从你们ATM取的钱里有张假币！", replyDelayMs: 0 };

  async function deliverCustomer(s: Session, text: string) {
    const list = turns.get(s.id) ?? [];
    const r = await outlet?.deliver({
      type: "customer",
      session: s,
      speaker: "王先生",
      avatar: "https://img.example/wang.png",
      text,
      mood: -2,
      seq: list.length + 1,
    });
    list.push(turn(s.id, list.length + 1, "customer", text, null, r?.messageId ?? null));
    turns.set(s.id, list);
  }

  const engine: RoleplayApi = {
    personas: (f = {}) =>
      PERSONAS.filter(
        (p) => (!f.archetype || p.archetype === f.archetype) && (!f.difficulty || p.difficulty === f.difficulty),
      ),
    async start(req) {
      starts.push(req);
      const s = session(`s${sessions.length + 1}`, req.trainee, req.place, req.personaId ?? "atm-note");
      sessions.push(s);
      // Like the real engine: announced once the session exists, before the opening line.
      await req.announce?.(s, PERSONAS[0] as PersonaSummary).catch(() => undefined);
      await deliverCustomer(s, state.opening);
      return { ok: true, session: s, persona: PERSONAS[0] as PersonaSummary };
    },
    async message(m) {
      const s = sessions.find(
        (x) =>
          x.status === "active" && x.traineeId === traineeKey(m.trainee) && placeKey(x.place) === placeKey(m.place),
      );
      if (!s) return { status: "no_session" };
      if (isBlankText(m.text)) return { status: "blank", sessionId: s.id };
      const list = turns.get(s.id) ?? [];
      if (list.some((t) => t.inboundKey === m.inboundKey)) {
        results.push("duplicate");
        return { status: "duplicate", sessionId: s.id };
      }
      results.push("handled");
      inbound.push(m);
      list.push(turn(s.id, list.length + 1, "trainee", m.text, m.inboundKey, m.messageId ?? null));
      turns.set(s.id, list);
      await outlet?.deliver({ type: "typing", session: s });
      if (state.replyDelayMs > 0) await new Promise((r) => setTimeout(r, state.replyDelayMs));
      await deliverCustomer(s, state.reply);
      return { status: "handled", sessionId: s.id, text: m.text };
    },
    async end(trainee, place) {
      const s = sessions.find(
        (x) => x.status === "active" && x.traineeId === traineeKey(trainee) && placeKey(x.place) === placeKey(place),
      );
      if (!s) return { ok: false, error: { code: "no_active_session" } };
      s.status = "evaluated";
      await outlet?.deliver({ type: "ended", session: s, outcome: "satisfied", language: "en" });
      await outlet?.deliver({ type: "evaluation", session: s, evaluation: {} as never, card: card(), language: "en" });
      return { ok: true, session: s };
    },
    activeSession: async (t, p) =>
      sessions.find(
        (x) => x.status === "active" && x.traineeId === traineeKey(t) && placeKey(x.place) === placeKey(p),
      ) ?? null,
    sessionsAt: async (p) => sessions.filter((x) => x.status === "active" && placeKey(x.place) === placeKey(p)),
    async abandon(id) {
      const s = sessions.find((x) => x.id === id);
      if (s) s.status = "abandoned";
    },
    history: async () => [],
    async forgetTrainee(trainee) {
      forgotten.push(trainee);
      const mine = sessions.filter((s) => s.traineeId === traineeKey(trainee));
      for (const s of mine) sessions.splice(sessions.indexOf(s), 1);
      return { ok: true, sessions: mine.length };
    },
    async report(id: string, viewer: Viewer) {
      const s = sessions.find((x) => x.id === id);
      if (!s) return { ok: false, error: { code: "session_not_found" } };
      if (traineeKey(viewer) !== s.traineeId && viewer.role === "trainee")
        return { ok: false, error: { code: "not_allowed" } };
      return { ok: true, markdown: `# Report ${id}\n`, session: s };
    },
    languageFor: async () => "en",
    setTraineeLanguage: async () => {},
    setScopeLanguage: async () => {},
    registerOutlet: (_p, o) => {
      outlet = o;
    },
    session: async (id) => sessions.find((s) => s.id === id) ?? null,
    activeSessionsOf: async (t, scopeId) =>
      sessions.filter(
        (s) =>
          s.status === "active" &&
          s.traineeId === traineeKey(t) &&
          (scopeId === undefined || s.place.scopeId === scopeId),
      ),
    recoverableSessions: async (platform) =>
      sessions
        .filter((s) => s.status === "active" && s.place.platform === platform)
        .map((session) => {
          const ids = (turns.get(session.id) ?? []).map((t) => t.platformMessageId).filter((x) => x !== null);
          return {
            session,
            traineeUserId: session.traineeId.slice(platform.length + 1),
            lastMessageId: ids.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).at(-1) ?? null,
          };
        }),
    claimOnce: async (key) => {
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
  };
  return { engine, sessions, turns, inbound, results, starts, state, forgotten };
}

function session(id: string, trainee: TraineeIdentity, place: Place, personaId: string): Session {
  return {
    id,
    traineeId: traineeKey(trainee),
    personaId,
    personaHash: "h",
    personaSnapshot: "{}",
    rubricId: "default",
    rubricHash: "r",
    rubricSnapshot: "{}",
    language: "zh-CN",
    place,
    status: "active",
    mood: -2,
    outcome: "continue",
    endReason: null,
    evalStatus: "none",
    evalAttempts: 0,
    evalNextAt: null,
    piiNoticeSent: false,
    startedAt: Date.now() - 60_000,
    lastActivityAt: Date.now(),
    endedAt: null,
  };
}

function turn(
  sessionId: string,
  seq: number,
  speaker: Turn["speaker"],
  text: string,
  inboundKey: string | null,
  messageId: string | null,
): Turn {
  return {
    sessionId,
    seq,
    speaker,
    text,
    at: Date.now(),
    inboundKey,
    platformMessageId: messageId,
    mood: null,
    triggerId: null,
    reason: null,
    responseMs: null,
  };
}

function card(over: Partial<EvaluationCard> = {}): EvaluationCard {
  return {
    language: "en",
    title: "Evaluation · Counterfeit note at the ATM",
    personaName: "Mr Wang",
    total: 72.5,
    passed: true,
    passMark: 60,
    totalLine: "72.5 / 100 · passed",
    criteria: Array.from({ length: 8 }, (_, i) => ({
      name: `Criterion ${i + 1}`,
      score: 3,
      min: 1,
      max: 5,
      bar: "▰▰▰▱▱",
      lowConfidence: i === 2,
    })),
    strengths: [
      {
        criterion: "Empathy",
        quote: "I understand how worrying this is",
        turn: 2,
        note: "acknowledged the feeling first",
      },
    ],
    improvements: [
      {
        criterion: "Solution",
        youSaid: "That's the rule",
        turn: 4,
        tryInstead: "Let me check the ATM record with you right now",
      },
    ],
    outcome: "satisfied",
    outcomeLabel: "Satisfied",
    moodCurve: "▁▂▃▅▆",
    traineeTurns: 5,
    durationMs: 6 * 60_000,
    droppedQuotes: 1,
    flags: [],
    summary: "Calm and kind; propose the check earlier.",
    labels: {
      criteria: "Criteria",
      strengths: "Strengths",
      improvements: "To improve",
      youSaid: "You said",
      tryInstead: "Try",
      outcome: "Outcome",
      mood: "Mood",
      turns: "Turns",
      duration: "Duration",
      lowConfidence: "low confidence",
      droppedQuotes: "1 unverified quote dropped",
      flags: "Flags",
    },
    ...over,
  };
}

describe("Discord rendering", () => {
  const m = discordMessages("en");

  it("renders the evaluation card as an embed with one field per criterion, strengths and improvements", () => {
    const e = evaluationEmbed(card(), m);
    expect(e.title).toBe("Evaluation · Counterfeit note at the ATM");
    expect(e.description).toContain("72.5 / 100 · passed");
    const names = (e.fields ?? []).map((f) => f.name);
    expect(names.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => `Criterion ${i + 1}`));
    expect(names).toEqual(expect.arrayContaining(["Strengths", "To improve", "Outcome", "Mood"]));
    expect(e.fields?.[2]?.value).toContain("low confidence");
    const improve = e.fields?.find((f) => f.name === "To improve")?.value ?? "";
    expect(improve).toContain("You said: “That's the rule”");
    expect(improve).toContain("Try: “Let me check the ATM record with you right now”");
    expect(e.footer?.text).toContain("1 unverified quote dropped");
  });

  it("keeps an oversized evaluation card within every Discord embed limit", () => {
    const long = "很长的观察。".repeat(2000);
    const e = evaluationEmbed(
      card({
        title: "T".repeat(400),
        summary: long,
        criteria: Array.from({ length: 40 }, (_, i) => ({
          name: `C${i} ${"n".repeat(300)}`,
          score: 2.5,
          min: 1,
          max: 5,
          bar: "▰▰▱▱▱",
          lowConfidence: false,
        })),
        strengths: Array.from({ length: 3 }, () => ({ criterion: "X", quote: long, turn: 1, note: long })),
        improvements: Array.from({ length: 3 }, () => ({ criterion: "Y", youSaid: long, turn: 1, tryInstead: long })),
        flags: Array.from({ length: 30 }, () => long.slice(0, 200)),
      }),
      m,
    );
    expect(e.title?.length).toBeLessThanOrEqual(LIMITS.title);
    expect(e.description?.length).toBeLessThanOrEqual(LIMITS.description);
    expect(e.fields?.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(embedLength(e)).toBeLessThanOrEqual(LIMITS.total);
    // The strengths and improvements survive the cut; some criteria give way.
    expect(e.fields?.map((f) => f.name)).toEqual(expect.arrayContaining(["Strengths", "To improve", "Outcome"]));
  });

  it("splits a customer reply of 5000 characters into messages of at most 2000, with the name in bold when not via webhook", () => {
    const text = "这件事你们必须给我一个说法。".repeat(360);
    const viaBot = customerMessages("王先生", text, false);
    expect(viaBot.length).toBeGreaterThanOrEqual(3);
    for (const part of viaBot) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part.startsWith("**王先生**: ")).toBe(true);
    }
    expect(viaBot.map((p) => p.slice("**王先生**: ".length)).join("")).toBe(text);
    const viaHook = customerMessages("王先生", text, true);
    expect(viaHook.join("")).toBe(text);
  });

  it("declares /roleplay with English and Chinese names and descriptions within Discord's limits", () => {
    const [cmd] = commandDefinitions();
    expect(cmd?.name).toBe("roleplay");
    expect(cmd?.name_localizations?.["zh-CN"]).toBe("角色扮演");
    const subs = (cmd?.options ?? []) as Array<{
      name: string;
      description: string;
      name_localizations?: Record<string, string>;
      description_localizations?: Record<string, string>;
      options?: Array<{ name: string; autocomplete?: boolean }>;
    }>;
    expect(subs.map((s) => s.name)).toEqual([
      "start",
      "end",
      "personas",
      "history",
      "language",
      "report",
      "forget",
      "assignments",
      "assign",
    ]);
    for (const s of subs) {
      expect(s.name_localizations?.["zh-CN"]).toBeTruthy();
      expect(s.description_localizations?.["zh-CN"]).toBeTruthy();
      expect(s.description.length).toBeLessThanOrEqual(100);
    }
    const start = subs.find((s) => s.name === "start");
    expect(start?.options?.find((o) => o.name === "persona")?.autocomplete).toBe(true);
    const assignments = subs.find((s) => s.name === "assignments");
    expect(assignments?.options?.map((o) => o.name)).toEqual(["action", "id"]);
    const assign = subs.find((s) => s.name === "assign") as
      | {
          options?: Array<{
            name: string;
            description: string;
            required?: boolean;
            name_localizations?: Record<string, string>;
            description_localizations?: Record<string, string>;
          }>;
        }
      | undefined;
    expect(assign?.options?.map((o) => o.name)).toEqual([
      "personas",
      "due",
      "mode",
      "attempts",
      "pass_mark",
      "role",
      "member",
    ]);
    expect(assign?.options?.filter((o) => o.required).map((o) => o.name)).toEqual(["personas", "due"]);
    for (const o of assign?.options ?? []) {
      expect(o.name).toBe(o.name.toLowerCase());
      expect(o.description.length).toBeLessThanOrEqual(100);
      expect(o.description_localizations?.["zh-CN"]?.length ?? 0).toBeGreaterThan(0);
      expect((o.description_localizations?.["zh-CN"] ?? "").length).toBeLessThanOrEqual(100);
      expect(o.name_localizations?.["zh-CN"]).toBeTruthy();
    }
  });

  it("reads back the session from a button's custom id and rejects foreign ids", () => {
    expect(parseButtonId(buttonId("fullReport", "abc-123"))).toEqual({ kind: "fullReport", sessionId: "abc-123" });
    expect(parseButtonId(buttonId("tryAgain", "x"))).toEqual({ kind: "tryAgain", sessionId: "x" });
    expect(parseButtonId("other:thing")).toBeNull();
    expect(parseButtonId("rp:report:")).toBeNull();
  });
});

describe("Discord bot routing", () => {
  let discord: FakeDiscord;
  let mem: ReturnType<typeof memoryEngine>;
  let bot: DiscordBot;
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      await bot.idle();
    }
  };

  beforeEach(() => {
    discord = createFakeDiscord();
    mem = memoryEngine();
    bot = createDiscordBot(
      { config: { language: "en", logLevel: "silent" }, engine: mem.engine },
      {
        token: "x",
        appId: discord.appId,
        managerRoleIds: [discord.managerRoleId],
        trainerRoleIds: [discord.trainerRoleId],
        log: silentLogger,
      },
      discord.clientOptions,
    );
    discord.attach(bot.client);
  });
  afterEach(async () => {
    await bot.client.destroy();
  });

  async function startSession(
    u = discord.user("alice"),
    opts: Record<string, string | boolean> = { persona: "atm-note" },
  ) {
    const id = discord.command(u, "start", opts);
    await settle();
    const thread = discord.threads().at(-1);
    return { id, thread, user: u };
  }

  it("defers /roleplay start, opens a thread and posts the customer's opening in it through a webhook", async () => {
    const { id, thread, user } = await startSession();
    expect(discord.callbacks(id)).toEqual([{ type: 5, data: { flags: 64 } }]);
    const first = discord.requests.find((r) => r.path.includes(`/interactions/${id}/`));
    const create = discord.requestsTo("POST", /\/threads$/)[0];
    expect(first && create && first.seq < create.seq).toBe(true);
    expect(thread?.type).toBe(11);
    expect(thread?.parent_id).toBe(discord.channelId);
    expect(mem.starts[0]?.place).toEqual({
      platform: "discord",
      scopeId: discord.guildId,
      chatId: discord.channelId,
      threadId: thread?.id,
    });
    const opening = discord.messagesIn(thread?.id).find((x) => x.webhook_id);
    expect(opening?.content).toBe(mem.state.opening);
    expect(opening?.author.username).toBe("王先生");
    // the persona's picture goes with the webhook message
    const hookPost = discord.requestsTo("POST", /^\/webhooks\/\d+\/[^/]+$/)[0];
    expect((hookPost?.body as { avatar_url?: string } | undefined)?.avatar_url).toBe("https://img.example/wang.png");
    expect(discord.reply(id)?.content).toContain(`<#${thread?.id}>`);
    expect(discord.requestsTo("PUT", new RegExp(`/thread-members/${user.id}$`))).toHaveLength(1);
  });

  it("creates one webhook for a channel even when two sessions start there at once, and reuses it", async () => {
    discord.command(discord.user("alice"), "start", { persona: "atm-note" });
    discord.command(discord.user("bob"), "start", { persona: "pension-form" });
    await settle();
    await startSession(discord.user("carol"));
    expect(discord.threads()).toHaveLength(3);
    expect(discord.requestsTo("POST", /\/channels\/\d+\/webhooks$/)).toHaveLength(1);
    for (const t of discord.threads()) expect(discord.messagesIn(t.id).filter((x) => x.webhook_id)).toHaveLength(1);
  });

  it("opens a private thread on request and adds the trainee to it", async () => {
    const { thread, user } = await startSession(undefined, { persona: "atm-note", private: true });
    expect(thread?.type).toBe(12);
    expect(discord.requestsTo("PUT", new RegExp(`/channels/${thread?.id}/thread-members/${user.id}$`))).toHaveLength(1);
  });

  it("sends only the trainee's thread messages to the customer, not other members' or the bot's own", async () => {
    const { thread, user } = await startSession();
    discord.message(user, thread.id, "您好，请问发生了什么？");
    discord.message(discord.user("bob"), thread.id, "watching and learning");
    await settle();
    expect(mem.inbound.map((i) => i.text)).toEqual(["您好，请问发生了什么？"]);
    expect(mem.inbound[0]?.inboundKey).toMatch(new RegExp(`^discord:${thread.id}:\\d+$`));
    expect(discord.requestsTo("POST", new RegExp(`/channels/${thread.id}/typing$`))).toHaveLength(1);
    expect(
      discord
        .messagesIn(thread.id)
        .filter((x) => x.webhook_id)
        .map((x) => x.content),
    ).toEqual([mem.state.opening, mem.state.reply]);
  });

  it("/roleplay history dates each session in the team's time zone with its offset", async () => {
    await bot.client.destroy();
    bot = createDiscordBot(
      {
        config: { language: "en", logLevel: "silent", timeZone: "Asia/Shanghai" },
        engine: mem.engine,
      },
      { token: "x", managerRoleIds: [], trainerRoleIds: [], log: silentLogger },
      discord.clientOptions,
    );
    discord.attach(bot.client);
    mem.engine.history = async () => [
      {
        sessionId: "s-h",
        personaId: "atm-counterfeit-note",
        personaTitle: "Counterfeit note at the ATM",
        // 20:00 UTC on 31 March is already 1 April in Beijing.
        startedAt: Date.UTC(2026, 2, 31, 20, 0),
        status: "evaluated",
        evalStatus: "done",
        total: 81,
        passed: true,
      },
    ];
    const id = discord.command(discord.user("alice"), "history");
    await settle();
    const description = discord.reply(id)?.embeds?.[0]?.description ?? "";
    expect(description).toContain("2026-04-01 04:00 (UTC+8) · Counterfeit note at the ATM");
    expect(description).not.toContain("<t:");
  });

  it("keeps the typing indicator alive while a slow customer answers, and stops when it has spoken", async () => {
    await bot.client.destroy();
    bot = createDiscordBot(
      { config: { language: "en", logLevel: "silent" }, engine: mem.engine },
      { token: "x", managerRoleIds: [], trainerRoleIds: [], log: silentLogger, typingRenewMs: 20 },
      discord.clientOptions,
    );
    discord.attach(bot.client);
    const { thread, user } = await startSession();
    mem.state.replyDelayMs = 250;
    discord.message(user, thread.id, "您好");
    await settle();
    const typing = () => discord.requestsTo("POST", new RegExp(`/channels/${thread.id}/typing$`)).length;
    const whileWaiting = typing();
    expect(whileWaiting).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(typing()).toBe(whileWaiting);
  });

  it("answers attachments and stickers with 'text only' and makes no turn of them", async () => {
    const { thread, user } = await startSession();
    discord.message(user, thread.id, "look at this", { attachments: 1 });
    discord.message(user, thread.id, "", { sticker: true });
    await settle();
    expect(mem.inbound).toHaveLength(0);
    const textOnly = discord.messagesIn(thread.id).filter((x) => x.content === discordMessages("en").textOnly);
    expect(textOnly).toHaveLength(2);
  });

  it("does not process an edited message again", async () => {
    const { thread, user } = await startSession();
    const msg = discord.message(user, thread.id, "first version");
    await settle();
    discord.edit(msg, "second version");
    await settle();
    expect(mem.inbound.map((i) => i.text)).toEqual(["first version"]);
  });

  it("makes one turn of a message delivered twice", async () => {
    const { thread, user } = await startSession();
    const msg = discord.message(user, thread.id, "您好");
    await settle();
    discord.redeliver(msg);
    await settle();
    // The second delivery reached the engine with the same inbound key and was recognised.
    expect(mem.results).toEqual(["handled", "duplicate"]);
    expect(mem.inbound).toHaveLength(1);
    expect(mem.turns.get("s1")?.filter((t) => t.speaker === "trainee")).toHaveLength(1);
  });

  it("handles an interaction delivered twice once", async () => {
    const id = discord.command(discord.user("alice"), "start", { persona: "atm-note" });
    discord.repeat(id);
    await settle();
    expect(discord.threads()).toHaveLength(1);
    expect(mem.starts).toHaveLength(1);
  });

  it("survives an interaction another instance already acknowledged (40060) and one that expired (10062)", async () => {
    const alice = discord.user("alice");
    discord.failNext("POST", /\/interactions\/\d+\/[^/]+\/callback$/, {
      status: 400,
      code: 40060,
      message: "Interaction has already been acknowledged.",
    });
    discord.command(alice, "start", { persona: "atm-note" });
    await settle();
    discord.failNext("POST", /\/interactions\/\d+\/[^/]+\/callback$/, {
      status: 404,
      code: 10062,
      message: "Unknown interaction",
    });
    discord.command(alice, "personas");
    await settle();
    expect(discord.threads()).toHaveLength(0);
    expect(mem.starts).toHaveLength(0);
    // Still alive: the next command works.
    const id = discord.command(alice, "personas");
    await settle();
    expect(discord.reply(id)?.embeds?.[0]?.description).toContain("王先生");
  });

  it("names the missing permissions when Discord refuses to create the thread (50013)", async () => {
    discord.failNext("POST", /\/channels\/\d+\/threads$/, { status: 403, code: 50013, message: "Missing Permissions" });
    const { id } = await startSession();
    expect(discord.reply(id)?.content).toContain("Create Public Threads");
    expect(discord.reply(id)?.content).toContain("Send Messages in Threads");
    expect(mem.starts).toHaveLength(0);
  });

  it("says the channel has too many active threads (160006)", async () => {
    discord.failNext("POST", /\/channels\/\d+\/threads$/, {
      status: 400,
      code: 160006,
      message: "Maximum number of active threads reached",
    });
    const { id } = await startSession();
    expect(discord.reply(id)?.content).toBe(discordMessages("en").tooManyThreads);
  });

  it("checks the bot's channel permissions before trying, and names exactly the missing one", async () => {
    const { PermissionFlagsBits: P } = await import("discord.js");
    const perms = P.ViewChannel | P.CreatePublicThreads | P.EmbedLinks | P.ReadMessageHistory;
    const id = discord.command(discord.user("alice"), "start", { persona: "atm-note" }, { appPermissions: perms });
    await settle();
    expect(discord.reply(id)?.content).toContain("**Send Messages in Threads**");
    expect(discord.reply(id)?.content).not.toContain("Create Public Threads");
    expect(discord.requestsTo("POST", /\/threads$/)).toHaveLength(0);
  });

  it("points a trainee who already has a session running to its thread instead of opening another", async () => {
    const { thread, user } = await startSession();
    const again = discord.command(user, "start", { persona: "pension-form" });
    await settle();
    expect(discord.reply(again)?.content).toBe(discordMessages("en").alreadyActiveIn(thread.id));
    expect(discord.threads()).toHaveLength(1);
    expect(mem.starts).toHaveLength(1);
  });

  it("abandons a session whose thread was deleted, so the trainee can start again", async () => {
    const { thread, user } = await startSession();
    discord.deleteThread(thread.id);
    await startSession(user);
    expect(mem.sessions.map((s) => s.status)).toEqual(["abandoned", "active"]);
    expect(discord.threads()).toHaveLength(1);
  });

  it("ends the trainee's running session when /roleplay end is used in the channel instead of the thread", async () => {
    const { thread, user } = await startSession();
    discord.command(user, "end");
    await settle();
    expect(mem.sessions[0]?.status).toBe("evaluated");
    expect(discord.channel(thread.id)?.thread_metadata.archived).toBe(true);
  });

  it("answers a failed start instead of leaving the trainee waiting, and removes the empty thread", async () => {
    mem.engine.start = async () => {
      throw new Error("database unavailable");
    };
    const { id } = await startSession();
    expect(discord.reply(id)?.content).toBe(discordMessages("en").internalError);
    expect(discord.requestsTo("POST", /\/threads$/)).toHaveLength(1);
    expect(discord.requestsTo("DELETE", /^\/channels\/\d+$/)).toHaveLength(1);
    expect(discord.threads()).toHaveLength(0);
  });

  it("announces nothing before the session is stored: no intro in the thread, no 'started' reply", async () => {
    mem.engine.start = async () => {
      throw new Error("database unavailable");
    };
    const { id } = await startSession();
    const edits = discord.requests.filter((r) => r.method === "PATCH" && r.path.includes("/messages/@original"));
    expect(edits.map((e) => (e.body as { content?: string }).content)).toEqual([discordMessages("en").internalError]);
    expect(discord.requestsTo("POST", /^\/channels\/\d+\/messages$/)).toHaveLength(0);
  });

  it("answers a blank message briefly and makes no turn of it", async () => {
    const { thread, user } = await startSession();
    discord.message(user, thread?.id ?? "", "\u200B\u3000\u2060");
    await settle();
    expect(mem.inbound).toHaveLength(0);
    const said = discord.messagesIn(thread?.id).filter((x) => x.content === discordMessages("en").blankMessage);
    expect(said).toHaveLength(1);
  });

  it("posts the customer as the bot with the name in bold when webhooks are not allowed", async () => {
    discord = createFakeDiscord({ webhooks: false });
    await bot.client.destroy();
    bot = createDiscordBot(
      { config: { language: "en", logLevel: "silent" }, engine: mem.engine },
      { token: "x", managerRoleIds: [], trainerRoleIds: [], log: silentLogger },
      discord.clientOptions,
    );
    discord.attach(bot.client);
    const { thread } = await startSession();
    const opening = discord.messagesIn(thread.id).find((x) => x.content.includes(mem.state.opening));
    expect(opening?.content).toBe(`**王先生**: ${mem.state.opening}`);
    expect(opening?.webhook_id).toBeUndefined();
  });

  it("ends the session from its thread, posts the evaluation embed with buttons and archives and locks the thread", async () => {
    const { thread, user } = await startSession();
    const id = discord.command(user, "end", {}, { channelId: thread.id });
    await settle();
    expect(discord.callbacks(id)).toHaveLength(1);
    const evalMsg = discord.messagesIn(thread.id).find((x) => x.embeds?.length > 0);
    expect(evalMsg?.embeds[0].title).toBe("Evaluation · Counterfeit note at the ATM");
    expect(evalMsg?.components[0].components.map((c: { custom_id: string }) => c.custom_id)).toEqual([
      buttonId("fullReport", "s1"),
      buttonId("tryAgain", "s1"),
    ]);
    expect(discord.channel(thread.id)?.thread_metadata).toMatchObject({ archived: true, locked: true });
  });

  it("sends the full report file only to the trainee, a trainer or a manager", async () => {
    const { thread, user } = await startSession();
    discord.command(user, "end", {}, { channelId: thread.id });
    await settle();
    const custom = buttonId("fullReport", "s1");
    const mine = discord.button(user, custom, thread.id);
    const stranger = discord.button(discord.user("bob"), custom, thread.id);
    const trainer = discord.button(discord.user("tess", [discord.trainerRoleId]), custom, thread.id);
    await settle();
    expect(discord.callbacks(mine)[0]).toEqual({ type: 5, data: { flags: 64 } });
    // Named like Telegram's (shared/report-file.ts): the customer and the local start time.
    expect(discord.reply(mine)?.files.map((f: { name: string }) => f.name)).toEqual([
      expect.stringMatching(/^report-atm-note-\d{4}-\d\d-\d\d-\d{4}\.md$/),
    ]);
    expect(discord.reply(mine)?.files[0].data.toString()).toBe("# Report s1\n");
    expect(discord.reply(trainer)?.files).toHaveLength(1);
    expect(discord.reply(stranger)?.files).toHaveLength(0);
    expect(discord.reply(stranger)?.content).toBe(roleplayMessages("en").error("not_allowed", DISCORD_COMMANDS));
  });

  it("starts the same persona in a new thread with 'Try again'", async () => {
    const { thread, user } = await startSession(undefined, { persona: "pension-form" });
    discord.command(user, "end", {}, { channelId: thread.id });
    await settle();
    discord.button(user, buttonId("tryAgain", "s1"), thread.id);
    await settle();
    expect(discord.threads()).toHaveLength(2);
    expect(mem.starts.map((s) => s.personaId)).toEqual(["pension-form", "pension-form"]);
    expect(mem.starts[1]?.place.threadId).toBe(discord.threads()[1]?.id);
  });

  it("/roleplay forget asks privately, and deletes the trainee's data only on their own click", async () => {
    const { user } = await startSession();
    const bob = discord.user("bob");
    await startSession(bob, { persona: "pension-form" });
    const ask = discord.command(user, "forget", {});
    await settle();
    expect(discord.callbacks(ask)).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(discord.reply(ask)?.content).toMatch(/practice sessions, their transcripts and their evaluations/);
    const ids = discord
      .reply(ask)
      ?.components[0].components.map((c: { custom_id: string; label: string }) => [c.label, c.custom_id]);
    expect(ids).toEqual([
      ["🗑 Delete everything", forgetButtonId("confirm", user.id)],
      ["Cancel", forgetButtonId("cancel", user.id)],
    ]);
    expect(mem.forgotten).toHaveLength(0);

    const confirm = discord.button(user, forgetButtonId("confirm", user.id), discord.channelId);
    await settle();
    expect(mem.forgotten.map((t) => t.userId)).toEqual([user.id]);
    expect(mem.sessions.map((s) => s.traineeId)).toEqual([traineeKey({ platform: "discord", userId: bob.id })]);
    expect(discord.callbacks(confirm)[0]?.type).toBe(6);
    expect(discord.reply(confirm)?.content).toMatch(/Your practice session was deleted/);
    expect(discord.reply(confirm)?.components).toEqual([]);
  });

  it("refuses a click on someone else's deletion button and deletes nothing; Cancel deletes nothing", async () => {
    const alice = discord.user("alice");
    await startSession(alice);
    const foreign = discord.button(discord.user("bob"), forgetButtonId("confirm", alice.id), discord.channelId);
    await settle();
    expect(mem.forgotten).toHaveLength(0);
    expect(discord.callbacks(foreign)[0]).toMatchObject({
      type: 4,
      data: { content: "Only the person who asked for the deletion can confirm it.", flags: 64 },
    });
    const cancel = discord.button(alice, forgetButtonId("cancel", alice.id), discord.channelId);
    await settle();
    expect(mem.forgotten).toHaveLength(0);
    expect(discord.callbacks(cancel)[0]).toMatchObject({
      type: 7,
      data: { content: "Cancelled. Nothing was deleted." },
    });
    expect(mem.sessions).toHaveLength(1);
  });

  it("offers personas by name, archetype and difficulty while the trainee types", async () => {
    const id = discord.autocomplete(discord.user("alice"), "persona", "angry");
    await settle();
    const cb = discord.callbacks(id)[0];
    expect(cb.type).toBe(8);
    // The same archetype and difficulty labels as Telegram's menu.
    expect(cb.data.choices).toEqual([{ name: "王先生 · ATM 取出疑似假币 · Angry · Hard", value: "atm-note" }]);
  });

  it("picks up trainee messages sent while it was offline when it reconnects", async () => {
    const { thread, user } = await startSession();
    discord.message(user, thread.id, "第一句");
    await settle();
    discord.postWhileOffline(user, thread.id, "离线时发的第二句");
    discord.postWhileOffline(discord.user("bob"), thread.id, "旁观者的话");
    discord.postWhileOffline(user, thread.id, "离线时发的第三句");
    discord.ready();
    await settle();
    expect(mem.inbound.map((i) => i.text)).toEqual(["第一句", "离线时发的第二句", "离线时发的第三句"]);
  });
});

describe("managers' /roleplay report in Discord", () => {
  it("a manager gets the team summary with the HTML file; a trainee is refused and gets no file", async () => {
    const discord = createFakeDiscord();
    const mem = memoryEngine();
    const asked: Array<{ role: string; scopes: string[] | null; period: string | undefined }> = [];
    const bot = createDiscordBot(
      {
        config: { language: "en", logLevel: "silent" },
        engine: mem.engine,
        reports: {
          async forChat(viewer, period, _language, scope) {
            asked.push({ role: viewer.role, scopes: viewer.scopes, period });
            if (viewer.role === "trainee")
              return { ok: false, message: "Only managers and trainers can read team reports." };
            expect(scope).toEqual({ platform: "discord", scopeId: discord.guildId });
            return {
              ok: true,
              text: "12 sessions, pass rate 58%",
              files: [{ name: "report.html", content: Buffer.from("<html></html>") }],
            };
          },
        },
      },
      {
        token: "x",
        appId: discord.appId,
        managerRoleIds: [discord.managerRoleId],
        trainerRoleIds: [],
        log: silentLogger,
      },
      discord.clientOptions,
    );
    discord.attach(bot.client);
    try {
      const manager = discord.command(discord.user("mia", [discord.managerRoleId]), "report", { period: "30d" });
      const trainee = discord.command(discord.user("tom"), "report");
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setImmediate(r));
        await bot.idle();
      }
      expect(discord.callbacks(manager)).toEqual([{ type: 5, data: { flags: 64 } }]);
      expect(discord.reply(manager)?.content).toContain("pass rate 58%");
      expect(discord.reply(manager)?.files.map((f: { name: string }) => f.name)).toEqual(["report.html"]);
      expect(discord.reply(trainee)?.content).toContain("Only managers and trainers");
      expect(discord.reply(trainee)?.files).toHaveLength(0);
      expect(asked).toEqual([
        { role: "manager", scopes: [discord.guildId], period: "30d" },
        // A trainee manages nothing, as on Telegram (shared/roles.ts).
        { role: "trainee", scopes: [], period: undefined },
      ]);
    } finally {
      await bot.client.destroy();
    }
  });
});
