/**
 * Sends a request exactly as written, request target included (`GET //[`), which fetch and
 * node:http's client would normalise or refuse; returns the status and body of the answer.
 */
import { connect } from "node:net";

export async function rawRequest(
  url: string,
  head: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const lines = [
    head,
    `Host: ${hostname}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  let text = "";
  for await (const chunk of socket) text += (chunk as Buffer).toString();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}
