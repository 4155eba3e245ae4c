// Reminders on both databases: one a day before the due time, an overdue notice once, none in the
// quiet hours of TIME_ZONE, none for a trainee of a platform this process does not serve, and a
// reminder that could not be delivered is tried again.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createReminders, inQuietHours } from "../../src/assignments/reminders.ts";
import { createAssignmentService } from "../../src/assignments/service.ts";
import { assignmentStoreFor } from "../../src/store/assignments.ts";
import { openStore } from "../../src/store/index.ts";

const TZ = "Asia/Shanghai";
/** A wall-clock time in Shanghai (UTC+8) on a day of December 2026. */
const at = (day: number, hour: number) => Date.UTC(2026, 11, day, hour - 8, 0, 0);

describe("quiet hours", () => {
  it("wrap past midnight on the zone's wall clock", () => {
    expect(inQuietHours(at(1, 23), "22:00-08:00", TZ)).toBe(true);
    expect(inQuietHours(at(1, 3), "22:00-08:00", TZ)).toBe(true);
    expect(inQuietHours(at(1, 8), "22:00-08:00", TZ)).toBe(false);
    expect(inQuietHours(at(1, 12), "12:00-13:30", TZ)).toBe(true);
    expect(inQuietHours(at(1, 23), "off", TZ)).toBe(false);
    // 23:00 in Shanghai is 15:00 in UTC: not quiet there.
    expect(inQuietHours(at(1, 23), "22:00-08:00", "UTC")).toBe(false);
  });
});

describe.each([
  {
    name: "SQLite",
    open: () => openStore(`sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "remind-")), "db.sqlite")}`),
  },
  {
    name: "PostgreSQL",
    open: () =>
      openStore("postgres://postgres@127.0.0.1:5432/test", {
        pgSchema: `remind_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
      }),
  },
])("reminders on $name", ({ open }) => {
  it("one a day before the due time, the overdue notice once, never at night, only where the platform is served", async () => {
    const store = await open();
    try {
      let now = at(1, 9);
      const assignments = assignmentStoreFor(store);
      const service = createAssignmentService({
        assignments,
        store,
        engine: { personas: () => [{ id: "p1" }], start: async () => ({ ok: false, error: { code: "not_allowed" } }) },
        now: () => now,
        timeZone: TZ,
      });
      for (const userId of ["1", "2"])
        await store.upsertTrainee({ platform: "telegram", userId, displayName: userId }, now);
      await store.upsertTrainee({ platform: "console", userId: "c", displayName: "c" }, now);
      const created = await service.create({
        personas: "p1",
        to: "telegram:1,telegram:2,console:c",
        due: "2026-12-03",
        createdBy: "console:trainer",
      });
      if (!created.ok) throw new Error(created.error.code);
      const sent: Array<{ userId: string; text: string }> = [];
      let failNext = false;
      const reminders = createReminders({
        assignments,
        service,
        settings: { beforeHours: 72, overdue: true, quietHours: "22:00-08:00" },
        timeZone: TZ,
        language: async () => "en",
        title: (id) => `Title ${id}`,
        hint: "/assignments",
        now: () => now,
      });
      reminders.addSender("telegram", async (userId, text) => {
        if (failNext) {
          failNext = false;
          throw new Error("chat closed");
        }
        sent.push({ userId, text });
      });

      expect(await reminders.run()).toBe(2); // telegram 1 and 2; the console trainee has no sender here
      expect(sent.map((s) => s.userId).sort()).toEqual(["1", "2"]);
      expect(sent[0]?.text).toContain('"Title p1" is due 2026-12-03');
      now = at(1, 15);
      expect(await reminders.run()).toBe(0); // once a day
      now = at(1, 23);
      expect(await reminders.run()).toBe(0);
      now = at(2, 3);
      expect(await reminders.run()).toBe(0); // quiet hours, though a new day
      now = at(2, 9);
      failNext = true;
      expect(await reminders.run()).toBe(1); // one failed and is given back
      now = at(2, 10);
      expect(await reminders.run()).toBe(1); // ... and goes out at the next run
      expect(await reminders.run()).toBe(0);

      now = at(4, 9); // due at the end of 3 December: overdue now
      expect(await reminders.run()).toBe(2);
      expect(sent.at(-1)?.text).toContain("was due 2026-12-03");
      now = at(5, 9);
      expect(await reminders.run()).toBe(0); // the overdue notice is sent once

      await service.close(created.assignment.id);
      now = at(6, 9);
      expect(await reminders.run()).toBe(0);
    } finally {
      if ("dropSchema" in store && store.dialect === "postgres") await store.dropSchema();
      else await store.close();
    }
  });
});
