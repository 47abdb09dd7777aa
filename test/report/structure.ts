/**
 * Reads a generated body the way GitHub does (GFM: tables, strikethrough, task lists) and
 * checks what a renderer can get wrong without noticing: a table row with a stray pipe, HTML
 * GitHub strips, a Mermaid block GitHub cannot draw, a body over GitHub's limit.
 */
import { JSDOM } from "jsdom";
import type { Code, Html, Root, RootContent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

export function parseGfm(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

export function nodes<T extends RootContent["type"]>(
  root: Root,
  type: T,
): Extract<RootContent, { type: T }>[] {
  const found: RootContent[] = [];
  const walk = (node: { children?: RootContent[] }) => {
    for (const child of node.children ?? []) {
      if (child.type === type) found.push(child);
      walk(child as { children?: RootContent[] });
    }
  };
  walk(root);
  return found as Extract<RootContent, { type: T }>[];
}

/** The cells of each source line of a table, split at pipes that are not escaped. */
export function tableRowWidths(markdown: string, table: Table): number[] {
  const lines = markdown.split("\n").slice(table.position!.start.line - 1, table.position!.end.line);
  return lines.map(
    (line) =>
      line
        .replace(/\\\\/g, "")
        .replace(/\\\|/g, "")
        .replace(/^\||\|$/g, "")
        .split("|").length,
  );
}

/** Tags GitHub keeps in Markdown (a subset of its sanitizer's allowlist: the ones Kaizen uses). */
export const GITHUB_HTML_TAGS = new Set([
  "details",
  "summary",
  "blockquote",
  "ins",
  "del",
  "b",
  "br",
  "code",
  "p",
  "em",
  "sub",
]);

export function htmlTags(root: Root): string[] {
  return [
    ...new Set(
      [...nodes(root, "html")].flatMap((n: Html) =>
        [...n.value.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()),
      ),
    ),
  ];
}

let mermaidParse: ((text: string) => Promise<unknown>) | null = null;

/** Mermaid's own parser, in a DOM made by jsdom: throws on a block GitHub could not draw. */
export async function parseMermaid(code: Code): Promise<void> {
  if (!mermaidParse) {
    const dom = new JSDOM("<!doctype html><html><body></body></html>");
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    const { default: mermaid } = await import("mermaid");
    mermaidParse = (text) => mermaid.parse(text);
  }
  await mermaidParse(code.value);
}
