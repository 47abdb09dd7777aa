/** A small router: method and path template (`/api/v1/tasks/{task}`) to a handler. */
import type { IncomingHttpHeaders } from "node:http";
import { decodePathSegment } from "./http.js";

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Reads and parses the JSON body, enforcing the size limit (413). */
  json(): Promise<unknown>;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition<C> {
  method: string;
  template: string;
  handler: (request: ApiRequest, context: C) => Promise<ApiResponse>;
  /**
   * The route makes a repeated `Idempotency-Key` harmless by itself (its entries take ids derived
   * from the key, and the store keeps one entry per id), so no response record is written: a
   * separate commit per request would undo the group commit of ingestion.
   */
  idempotentByIds?: boolean;
}

interface CompiledRoute<C> extends RouteDefinition<C> {
  pattern: RegExp;
  names: string[];
}

export class Router<C> {
  #routes: CompiledRoute<C>[] = [];

  add(
    method: string,
    template: string,
    handler: RouteDefinition<C>["handler"],
    options: { idempotentByIds?: boolean } = {},
  ): this {
    const names: string[] = [];
    const source = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    this.#routes.push({ method, template, handler, ...options, pattern: new RegExp(`^${source}/?$`), names });
    return this;
  }

  /** Every route, for the OpenAPI document and its drift test. */
  get routes(): readonly RouteDefinition<C>[] {
    return this.#routes;
  }

  /** The route for a request; `allowed` lists the methods of a path that exists with another method. */
  match(
    method: string,
    path: string,
  ): { route: CompiledRoute<C>; params: Record<string, string> } | { route: null; allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodePathSegment(found[i + 1]!)));
      return { route, params };
    }
    return { route: null, allowed };
  }
}
