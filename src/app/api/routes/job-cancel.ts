/** POST /jobs/{job_id}/cancel: a job not yet finished ends FAILED, "cancelled by <key>". */
import { NotFoundError } from "../../../core/errors.js";
import { cancelJob, JobAlreadyEndedError } from "../../../jobs/index.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";

export function registerJobCancelRoute(router: ApiRouter): void {
  router.add("POST", "/api/v1/jobs/{job_id}/cancel", async (req, { repo, key }) => {
    try {
      // An operator key's prefix (kaizen serve) already ends in "…"; a kz_ key's does not.
      const by = `API key ${key.prefix.replace(/…$/, "")}…`;
      const job = await cancelJob(repo.store, req.params.job_id!, by);
      return { status: 200, body: job };
    } catch (error) {
      if (error instanceof NotFoundError) throw new HttpError(404, error.message);
      if (error instanceof JobAlreadyEndedError) throw new HttpError(409, error.message);
      throw error;
    }
  });
}
