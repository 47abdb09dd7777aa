/**
 * The API at scale (the scale suite, `npm run test:scale`: slow, so outside `npm test`, and run
 * by CI in its own step): many concurrent clients, every entry stored exactly once, and
 * poisoned requests that fail alone.
 */
import { describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import { body, feedbackEntry, nested } from "../app/helpers/bodies.js";
import { startTestApi } from "../app/helpers/local-api.js";
import { collect } from "../helpers/records.js";

describe("ingestion under load", () => {
  it("stores 10,000 entries from 50 concurrent clients exactly once, in far fewer commits", async () => {
    // Retention must keep them all, and no optimization should start meanwhile.
    const api = await startTestApi(
      {},
      {
        ".kaizen/tasks/summarize_ticket.yml":
          "name: summarize_ticket\nfeedback_retention_limit: 20000\nfeedback_threshold: 100000\n",
      },
    );
    try {
      const ids = Array.from({ length: 10_000 }, () => newId());
      await Promise.all(
        Array.from({ length: 50 }, async (_, client) => {
          for (let i = client; i < ids.length; i += 50) {
            // As the SDKs do: a connection the server closed while idle (keep-alive, or the
            // connection guard making room) is retried with the same id, which stores it once.
            const response = await resend(() => api.call("POST", "/api/v1/feedback", feedbackEntry(ids[i]!)));
            if (response.status !== 201)
              throw new Error(`entry ${i}: ${response.status} ${JSON.stringify(response.body)}`);
          }
        }),
      );
      const stored = (await collect(api.server.repo.store.readFeedback("summarize_ticket"))).map((f) => f.id);
      expect(stored.length).toBe(10_000);
      expect(new Set(stored)).toEqual(new Set(ids));
      expect(api.server.repo.ingestion.stats.commits).toBeLessThan(2_000);
    } finally {
      await api.close();
    }
  }, 120_000);
});

describe("kaizen serve and hostile input under load", () => {
  it("fails none of 2,000 valid requests from 16 clients when 47 poisoned ones ride along", async () => {
    // Retention keeps every entry of the load, and no optimization starts meanwhile.
    const api = await startTestApi(
      {},
      {
        ".kaizen/tasks/summarize_ticket.yml":
          "name: summarize_ticket\nfeedback_retention_limit: 20000\nfeedback_threshold: 100000\nprompt_path: prompts/summarize_ticket.md\n",
      },
    );
    try {
      const valid = Array.from({ length: 2_000 }, () => newId());
      const poison = new Set(Array.from({ length: 47 }, (_, i) => Math.floor((i * 2_047) / 47)));
      const requests = Array.from({ length: 2_047 }, (_, i) => i);
      let next = 0;
      const failedValid: string[] = [];
      let poisonRefused = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < requests.length; i = next++) {
            if (poison.has(i)) {
              const answer = await api.call(
                "POST",
                "/api/v1/feedback",
                body(
                  { task_id: "summarize_ticket", score: 0 },
                  { inputs: nested(4_000), metadata: nested(4_000) },
                ),
              );
              if (answer.status === 422) poisonRefused++;
              continue;
            }
            const id = valid.pop()!;
            const answer = await api.call("POST", "/api/v1/feedback", {
              id,
              task_id: "summarize_ticket",
              inputs: { ticket: id },
              score: 1,
            });
            if (answer.status !== 201) failedValid.push(`${answer.status} ${JSON.stringify(answer.body)}`);
          }
        }),
      );
      expect(failedValid).toEqual([]);
      expect(poisonRefused).toBe(47);
      const stored = await collect(api.server.repo.store.readFeedback("summarize_ticket"));
      expect(stored).toHaveLength(2_000);
    } finally {
      await api.close();
    }
  }, 900_000);
});

async function resend<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || (code !== "ECONNRESET" && code !== "UND_ERR_SOCKET")) throw error;
    }
  }
}
