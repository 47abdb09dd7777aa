/**
 * Writes git objects into a repository's object directory in-process, durably: a commit of the
 * data branch is a blob or two, a few trees and a commit, and writing them here costs no git
 * process (a process forked from a server of a few hundred MB cost milliseconds of the event
 * loop each, six per commit).
 *
 * The format is git's loose object: `objects/<2 hex>/<38 hex>`, zlib-deflated
 * `<type> <size>\0<content>`, named by the sha1 of that. Durability is Kaizen's to ensure, as
 * git's `core.fsync=loose-object` would: each file is fsynced before it is renamed into place,
 * and each directory that gained an entry is fsynced after, so an object a ref points at is on
 * disk before the ref update that makes it reachable is even attempted.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { deflate } from "node:zlib";
import { gitObjectSha } from "./git-hash.js";

const deflateAsync = promisify(deflate);

export interface GitObjectToWrite {
  type: "blob" | "tree" | "commit";
  content: Buffer;
}

/** Flushes a directory's entries (a rename or a new file in it) to disk. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class LooseObjectWriter {
  readonly objectsDir: string;

  constructor(objectsDir: string) {
    this.objectsDir = objectsDir;
  }

  /**
   * Writes the objects (those already stored loose are left alone) and returns their shas in
   * order once every one of them is on disk.
   */
  async write(objects: readonly GitObjectToWrite[]): Promise<string[]> {
    const shas = objects.map(({ type, content }) => gitObjectSha(type, content));
    const dirs = new Set<string>();
    let newDir = false;
    const unique = new Map(objects.map((object, i) => [shas[i]!, object]));
    await Promise.all(
      [...unique].map(async ([sha, { type, content }]) => {
        const dir = path.join(this.objectsDir, sha.slice(0, 2));
        const file = path.join(dir, sha.slice(2));
        if (await exists(file)) return;
        if ((await mkdir(dir, { recursive: true })) !== undefined) newDir = true;
        const data = await deflateAsync(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]));
        // A unique temporary name in the same directory, so the rename is atomic: a reader
        // (or a crash) sees the whole object or none.
        const temporary = path.join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
        const handle = await open(temporary, "wx", 0o444);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } catch (error) {
          await handle.close();
          await rm(temporary, { force: true });
          throw error;
        }
        await handle.close();
        await rename(temporary, file);
        dirs.add(dir);
      }),
    );
    const synced = [...dirs].map(fsyncDirectory);
    if (newDir) synced.push(fsyncDirectory(this.objectsDir));
    await Promise.all(synced);
    return shas;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
