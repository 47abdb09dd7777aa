/** What the Action's steps share: the event, the runtime the runner provides, the result it reports. */
export interface ActionEvent {
  eventName: string;
  payload: Record<string, unknown>;
  repo: { owner: string; repo: string };
}

/** The little of the Actions runtime that `main` needs; the runner provides it. */
export interface ActionRuntime {
  info(message: string): void;
  warning(message: string): void;
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Records the claimed jobs for the post step, which fails any a cancelled run leaves in flight. */
  claimed(jobIds: string[]): void;
  /** Restores the model-answer cache of a job before `work` and saves it after. */
  withCache?: <T>(key: { task: string; jobId: string; dir: string }, work: () => Promise<T>) => Promise<T>;
  env: NodeJS.ProcessEnv;
}

export interface ActionResult {
  outputs: Record<string, string>;
  summary: string;
  /** Set when the run must fail, with the reason. */
  failure: string | null;
}
