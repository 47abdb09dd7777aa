/**
 * A connection flood (issue #20): 1,024 sockets that send nothing locked every legitimate client
 * out for 20–30 s, and reopening them in waves kept the server unavailable. Through real sockets
 * on loopback, against a real `kaizen serve`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { legitimateRequest, startFlood, type Flood } from "../helpers/connection-flood.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

let api: TestApi;
let flood: Flood | null = null;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  flood?.stop();
  flood = null;
  await api.close();
});

const port = () => Number(new URL(api.server.url).port);
const tasks = () => `${api.server.url}/api/v1/tasks`;

describe("a flood of idle connections", () => {
  it("answers every legitimate request while 1,024 idle sockets are held and reopened in waves", async () => {
    flood = await startFlood({
      port: port(),
      count: 1_024,
      perAddress: 64,
      reopen: true,
      lifetimeMs: 60_000,
    });
    const statuses: (number | null)[] = [];
    for (let wave = 0; wave < 3; wave++)
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () =>
            legitimateRequest(tasks(), { "x-api-key": api.server.apiKey }, 20_000),
          ),
        )),
      );
    expect(statuses).toEqual(Array.from({ length: 30 }, () => 200));
    // The flood kept reopening what the server closed.
    expect(flood.opened()).toBeGreaterThan(1_024);
  });

  it("holds at most 64 connections from one address", async () => {
    flood = await startFlood({
      port: port(),
      count: 200,
      perAddress: 200,
      reopen: false,
      lifetimeMs: 60_000,
    });
    await vi.waitFor(() => expect(flood!.held()).toBeLessThanOrEqual(64), { timeout: 10_000, interval: 50 });
    // The other addresses are not affected.
    expect(await legitimateRequest(tasks(), { "x-api-key": api.server.apiKey }, 20_000)).toBe(200);
  });
});
