/** GitHub's own example webhook payloads, and delivering one to a running app as GitHub does. */
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";

type Example = { name: string; examples: Record<string, unknown>[] };
const examples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples/api.github.com/index.json",
) as Example[];

/** A copy of the first example of event `name` that `pick` accepts. */
export const webhookExample = (name: string, pick: (e: Record<string, unknown>) => boolean) =>
  structuredClone(examples.find((e) => e.name === name)!.examples.find(pick)!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** POSTs a delivery signed with `secret` to the app's webhook path; the app's answer. */
export async function deliverWebhook(
  baseUrl: string,
  secret: string,
  event: { id: string; name: string; payload: unknown },
): Promise<Response> {
  const body = JSON.stringify(event.payload);
  return fetch(`${baseUrl}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event.name,
      "x-github-delivery": event.id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
}
