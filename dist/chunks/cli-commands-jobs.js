import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{a as w,b as f,c as g,e as h}from"./shared-dfba8815.js";import"./shared-3873b879.js";import"./shared-f2ebdd36.js";import{a as _}from"./shared-74c2c633.js";import"./shared-3cb748ab.js";import"./shared-0a186f61.js";import"./shared-a6cb8dcb.js";import{a as b}from"./shared-600d4e0e.js";import"./shared-58e375dd.js";import"./shared-ad06c887.js";import{a as $,b as y}from"./shared-2eb97a13.js";import{a as m,b as k}from"./shared-0ccec606.js";import"./shared-af496128.js";import{e as u}from"./shared-31cca623.js";import{a as i}from"./shared-5263c48d.js";import I from"node:path";var U={usage:`Usage: kaizen jobs list [--task NAME] [--json] | show JOB_ID [--json] | cancel JOB_ID   [--repo DIR]

Lists the optimization jobs on the kaizen/data branch (newest first), shows one with its
progress, error and metrics, or cancels one not yet finished (it ends FAILED, "cancelled by"
you). A job whose runner vanished (no heartbeat for 15 minutes, KAIZEN_STALE_AFTER_SECONDS)
is failed, with the reason, the next time it is looked at.

Example:
  kaizen jobs list --task summarize_ticket
  kaizen jobs show 01a2070e-9ce9-75c7-9031-bc129fb99fb1 --json
  kaizen jobs cancel 01a2070e-9ce9-75c7-9031-bc129fb99fb1`,async run(r,s){let[n,...E]=r,{values:o,positionals:z}=k(E,{repo:{type:"string"},task:{type:"string"},json:{type:"boolean"}},!0),c=await _.open(I.resolve(s.cwd,o.repo??".")),a=$(s),l=i(t=>s.stdout.write(`${JSON.stringify(t,null,2)}
`),"print"),p=i(()=>{let t=z[0];if(!t)throw new m(`${n} needs a job id (see kaizen jobs list)`);return t},"jobId");switch((n==="list"||n==="show")&&await h(c,{...o.task?{task:o.task}:{},timing:g(s.env)}),n){case"list":{let t=await c.listJobs(o.task);return o.json?l(t):t.length===0?s.stdout.write(`No jobs yet: kaizen optimize --task NAME starts one
`):s.stdout.write(`${y([["id","status","trigger","created","step"],...t.map(e=>[e.id,j(e,a),e.triggered_by??"",d(e.created_at),e.error_message??e.progress_step??""])])}
`),0}case"show":{let t=await c.getJob(p());if(!t)throw new u(`no job ${p()} in this repository (see kaizen jobs list)`);let{job:e,task:A}=t;if(o.json)return l(e),0;let{report:v,...S}=e.job_metadata??{};return s.stdout.write([`Job ${a("bold",e.id)} of task ${a("bold",A)}: ${j(e,a)}`,`  triggered by ${e.triggered_by??"?"}, created ${d(e.created_at)}${e.started_at?`, started ${d(e.started_at)}`:""}${e.completed_at?`, ended ${d(e.completed_at)}`:""}`,`  step: ${e.progress_step??""}`,...e.error_message?[`  error: ${e.error_message}`]:[],...e.pr_url?[`  pull request: ${e.pr_url}`]:[],...Object.entries(S).map(([J,C])=>`  ${J}: ${b(C)}`),""].join(`
`)),0}case"cancel":try{let t=await f(c,p(),s.env.USER?`${s.env.USER} (kaizen jobs cancel)`:"kaizen jobs cancel");return o.json?l(t):s.stdout.write(`Cancelled job ${t.id}: ${t.error_message}
`),0}catch(t){if(!(t instanceof w))throw t;return s.stderr.write(`${a("red","error:")} ${t.message}
`),1}default:throw new m(n?`unknown action "${n}": use list, show or cancel`:"say what to do: list, show or cancel")}}},d=i(r=>r.slice(0,19).replace("T"," "),"when");function j(r,s){return r.status==="SUCCESS"?s("green",r.status):r.status==="FAILED"||r.status==="PR_FAILED"?s("red",r.status):s("yellow",r.status)}i(j,"status");export{U as jobsCommand};
