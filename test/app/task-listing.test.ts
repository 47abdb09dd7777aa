/**
 * `GET /api/v1/tasks` a page at a time (issue #20: with 10,000 tasks one call took 2.7–4.8 s for
 * 5.5 MB, and two clients looping on it pushed RSS from 0.34 to 2.26 GB), through real HTTP and
 * both the TypeScript SDK's and the server's view of the same repository.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetTasks } from "../../src/app/tasks.js";
import { KaizenClient } from "../../src/sdk/index.js";
import { LocalGitStore } from "../../src/store/local-git-store.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

const TASKS = 250;
const name = (i: number) => `t${String(i).padStart(4, "0")}`;

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi(
    {},
    Object.fromEntries(
      Array.from({ length: TASKS }, (_, i) => [
        `.kaizen/tasks/${name(i)}.yml`,
        `name: ${name(i)}\nfeedback_threshold: ${10 + i}\n`,
      ]),
    ),
  );
});
afterEach(async () => api.close());

const names = (body: { name: string }[]) => body.map((t) => t.name);

describe("GET /api/v1/tasks", () => {
  it("answers a page by name: 50 by default, at most 200, from an offset", async () => {
    const first = await api.call("GET", "/api/v1/tasks");
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(50);
    const all = names((await api.call("GET", "/api/v1/tasks?limit=200")).body);
    expect(all).toHaveLength(200);
    expect(all).toEqual([...all].sort((a, b) => a.localeCompare(b)));
    const rest = names((await api.call("GET", "/api/v1/tasks?limit=200&offset=200")).body);
    expect(rest.length).toBeGreaterThan(TASKS - 200);
    expect(rest.length).toBeLessThan(200);
    expect(all.filter((n) => rest.includes(n))).toEqual([]);
    expect(names((await api.call("GET", "/api/v1/tasks?limit=3&offset=199")).body)).toEqual([
      all[199],
      ...rest.slice(0, 2),
    ]);
  });

  it("shows each task of a page with its own counters and active version, as the task's own route does", async () => {
    const log = (task: string, n: number) =>
      api.call(
        "POST",
        "/api/v1/feedback/batch",
        Array.from({ length: n }, (_, i) => ({ task_id: task, inputs: { i }, score: 1 })),
      );
    expect((await log(name(101), 3)).status).toBe(201);
    expect((await log(name(102), 5)).status).toBe(201);
    const page = (
      (await api.call("GET", "/api/v1/tasks?limit=200")).body as {
        name: string;
        feedback_count: number;
        threshold_progress: string;
      }[]
    ).filter((t) => [name(100), name(101), name(102), name(103)].includes(t.name));
    expect(page.map((t) => [t.name, t.feedback_count, t.threshold_progress])).toEqual([
      [name(100), 0, "0/110"],
      [name(101), 3, "3/111"],
      [name(102), 5, "5/112"],
      [name(103), 0, "0/113"],
    ]);
    // A task with nothing stored has no creation time of its own: every read shows "now".
    const kept = ({ created_at: _, ...task }: Record<string, unknown>) => task;
    for (const task of page)
      expect(kept((await api.call("GET", `/api/v1/tasks/${task.name}`)).body)).toEqual(kept(task));
  });

  it("refuses a limit over 200 or below 1 and a negative offset, naming the parameter", async () => {
    for (const query of ["limit=201", "limit=0", "offset=-1", "limit=ten"]) {
      const answer = await api.call("GET", `/api/v1/tasks?${query}`);
      expect(answer.status).toBe(422);
      expect(answer.body.detail[0].loc).toEqual(["query", query.split("=")[0]]);
    }
  });

  it("shows a changed task file at once after the cache is dropped, not its old parse", async () => {
    const store = await LocalGitStore.open(api.dir);
    await store.commitToDefaultBranch(
      { ".kaizen/tasks/t0001.yml": "name: t0001\nfeedback_threshold: 999\n" },
      "edit",
    );
    forgetTasks(api.server.repo);
    const all = names((await api.call("GET", "/api/v1/tasks?limit=200")).body);
    const page = await api.call("GET", `/api/v1/tasks?limit=2&offset=${all.indexOf("t0000")}`);
    expect(
      page.body.map((t: { name: string; feedback_threshold: number }) => [t.name, t.feedback_threshold]),
    ).toEqual([
      ["t0000", 10],
      ["t0001", 999],
    ]);
  });

  it("lists every task through the SDK, page after page, and one page when asked", async () => {
    const kaizen = new KaizenClient({
      apiKey: api.server.apiKey,
      baseUrl: api.server.url,
      onWarning: () => {},
    });
    const all = await kaizen.listTasks();
    expect(all.length).toBeGreaterThanOrEqual(TASKS);
    expect(new Set(all.map((t) => t.name)).size).toBe(all.length);
    expect(all.filter((t) => /^t\d{4}$/.test(t.name))).toHaveLength(TASKS);
    expect((await kaizen.listTasks({ limit: 5, offset: 1 })).map((t) => t.name)).toEqual(
      all.slice(1, 6).map((t) => t.name),
    );
  });
});
