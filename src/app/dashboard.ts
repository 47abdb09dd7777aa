/** The dashboard lives with the jobs it shows (src/jobs/dashboard.ts). */
export { dashboardTasks, refreshDashboard } from "../jobs/dashboard.js";
