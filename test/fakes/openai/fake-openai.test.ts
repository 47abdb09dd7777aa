import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI } from "./server.js";

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  fake.brain("m", () => "hello there world");
});
afterEach(() => fake.close());

describe("the fake OpenAI-compatible server", () => {
  it("streams chat completions with a final usage chunk, to the real openai SDK", async () => {
    const openai = new OpenAI({ apiKey: "sk", baseURL: fake.baseURL });
    const stream = await openai.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: { total_tokens: number } | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("hello there world");
    expect(usage!.total_tokens).toBeGreaterThan(0);
  });

  it("answers the responses API and lists its models", async () => {
    const openai = new OpenAI({ apiKey: "sk", baseURL: fake.baseURL });
    const response = await openai.responses.create({ model: "m", input: "hi" });
    expect(response.output_text).toBe("hello there world");
    expect(response.usage!.input_tokens).toBeGreaterThan(0);
    expect((await openai.models.list()).data.map((m) => m.id)).toEqual(["m"]);
    expect(fake.callsByModel.get("m")).toBe(1);
  });

  it("refuses a request without a Bearer key, as OpenAI does", async () => {
    const response = await fetch(`${fake.baseURL}/chat/completions`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
  });
});
