/**
 * Git objects hashed exactly as git hashes them (sha1 of `<type> <size>\0<body>`), so the
 * fake's shas are what GitHub would return for the same content, and clients may compute a
 * blob's sha themselves.
 */
import { createHash } from "node:crypto";

export type TreeEntry = { name: string; mode: string; type: "blob" | "tree"; sha: string };
export type GitObject =
  | { type: "blob"; content: Buffer }
  | { type: "tree"; entries: TreeEntry[] }
  | {
      type: "commit";
      tree: string;
      parents: string[];
      message: string;
      author: Signature;
      committer: Signature;
    };
export type Signature = { name: string; email: string; date: string };

function hash(type: string, body: Buffer): string {
  return createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");
}

/** Git sorts tree entries by name, comparing a subtree's name as if it ended with '/'. */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = a.type === "tree" ? `${a.name}/` : a.name;
  const kb = b.type === "tree" ? `${b.name}/` : b.name;
  return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
}

export class ObjectStore {
  #objects = new Map<string, GitObject>();

  get(sha: string): GitObject | undefined {
    return this.#objects.get(sha);
  }

  putBlob(content: Buffer): string {
    const sha = hash("blob", content);
    this.#objects.set(sha, { type: "blob", content });
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort(treeOrder);
    const body = Buffer.concat(
      sorted.map((e) =>
        Buffer.concat([
          Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.name}\0`),
          Buffer.from(e.sha, "hex"),
        ]),
      ),
    );
    const sha = hash("tree", body);
    this.#objects.set(sha, { type: "tree", entries: sorted });
    return sha;
  }

  putCommit(commit: Omit<Extract<GitObject, { type: "commit" }>, "type">): string {
    const stamp = (s: Signature) => `${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
    const body = Buffer.from(
      [
        `tree ${commit.tree}`,
        ...commit.parents.map((p) => `parent ${p}`),
        `author ${stamp(commit.author)}`,
        `committer ${stamp(commit.committer)}`,
        "",
        commit.message,
      ].join("\n"),
    );
    const sha = hash("commit", body);
    this.#objects.set(sha, { type: "commit", ...commit });
    return sha;
  }

  /** Every file below a tree, path → entry (blobs only unless `withTrees`). */
  flatten(treeSha: string, withTrees = false, prefix = ""): Map<string, TreeEntry> {
    const files = new Map<string, TreeEntry>();
    const tree = this.get(treeSha);
    if (tree?.type !== "tree") return files;
    for (const entry of tree.entries) {
      const path = `${prefix}${entry.name}`;
      if (entry.type === "tree") {
        if (withTrees) files.set(path, entry);
        for (const [p, e] of this.flatten(entry.sha, withTrees, `${path}/`)) files.set(p, e);
      } else {
        files.set(path, entry);
      }
    }
    return files;
  }

  /** Builds nested trees from a flat map of blob entries; returns the root tree's sha. */
  buildTree(files: Map<string, { mode: string; sha: string }>): string {
    const children = new Map<string, Map<string, { mode: string; sha: string }>>();
    const entries: TreeEntry[] = [];
    for (const [path, file] of files) {
      const slash = path.indexOf("/");
      if (slash === -1) entries.push({ name: path, mode: file.mode, type: "blob", sha: file.sha });
      else {
        const dir = path.slice(0, slash);
        if (!children.has(dir)) children.set(dir, new Map());
        children.get(dir)!.set(path.slice(slash + 1), file);
      }
    }
    for (const [dir, sub] of children)
      entries.push({ name: dir, mode: "040000", type: "tree", sha: this.buildTree(sub) });
    return this.putTree(entries);
  }

  /** Whether `ancestor` is `commit` or one of its ancestors. */
  isAncestor(ancestor: string, commit: string): boolean {
    const seen = new Set<string>();
    const queue = [commit];
    while (queue.length > 0) {
      const sha = queue.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const object = this.get(sha);
      if (object?.type === "commit") queue.push(...object.parents);
    }
    return false;
  }
}
