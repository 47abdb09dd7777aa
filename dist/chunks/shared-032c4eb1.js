import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{b as O}from"./shared-37bf16c2.js";import{a as U,b as T,c as M,d as D}from"./shared-3319c257.js";import{c as z,i as v,o as j,v as C}from"./shared-dfba8815.js";import{e as A,g as _,h as S}from"./shared-3873b879.js";import{i as g}from"./shared-f2ebdd36.js";import{a as F}from"./shared-74c2c633.js";import{P as E,S as I}from"./shared-3cb748ab.js";import{a as y}from"./shared-a6cb8dcb.js";import{c as k}from"./shared-58e375dd.js";import{a as L,c as R,d as w}from"./shared-2eb97a13.js";import{a as N,b as x,c as P}from"./shared-0ccec606.js";import{a as b}from"./shared-31cca623.js";import{a as m}from"./shared-5263c48d.js";import K from"node:path";var pe={usage:`Usage: kaizen optimize --task NAME [--repo DIR] [--dry-run] [--max-cost-usd X] [--seed S] [--report FILE]

Runs Kaizen's optimizer on a local repository: reads the task's feedback from the kaizen/data
branch, searches for a better prompt with the task's teacher, judge and student models, tests it
on held-out data, and, when it is better beyond noise, writes it to the branch kaizen/<task>.
Models are reached through OPENAI_API_KEY and OPENAI_BASE_URL (any OpenAI-compatible server).

Options:
  --task NAME         the task (.kaizen/tasks/NAME.yml)
  --repo DIR          the repository (default: the current directory)
  --dry-run           print the plan and the cost estimate; call no model
  --max-cost-usd X    spend at most X US dollars (below the task's cost_budget)
  --seed S            the random seed (default: the job id); reuse one to replay a run from the cache
  --report FILE       write the whole report (Markdown, as the pull request shows it) to FILE

Example:
  OPENAI_API_KEY=sk-... kaizen optimize --task summarize_ticket --max-cost-usd 2`,async run(u,e){let{values:t}=x(u,{task:{type:"string"},repo:{type:"string"},"dry-run":{type:"boolean"},"max-cost-usd":{type:"string"},seed:{type:"string"},report:{type:"string"}});if(!t.task)throw new N("--task is required: which task to optimize");let p=t["max-cost-usd"]===void 0?null:P("max-cost-usd",t["max-cost-usd"],0,1e-6),s=K.resolve(e.cwd,t.repo??"."),l=await M(e,t.report),n=await F.open(s),a=L(e),B=k();if(await U(n,s,t.task,{promptFromBranch:!0},r=>e.stderr.write(`${a("yellow","Note:")} ${r}
`)),t["dry-run"]){let r=await I(n,t.task,{seed:t.seed??B,maxCostUsd:p,...e.env.OPENAI_BASE_URL?{baseURL:e.env.OPENAI_BASE_URL}:{}}),{plan:o}=r,{models:i,estimate:h}=o;return e.stdout.write(`Plan for ${a("bold",t.task)} (${r.config.prompt_path}, ${r.format}):
`),r.data.enough?e.stdout.write(`  data: ${o.sizes.train} train, ${o.sizes.val} validation, ${o.sizes.test} test examples
  search: ${o.knobs.initialProposals} initial proposals, up to ${o.knobs.iterations} iterations
  models: teacher ${i.teacher}, ${o.knobs.usesJudge?`judge ${i.judge}, `:""}student ${i.student}
  evaluator: ${r.evaluatorName}
  prices:
${r.priceNotes.map(d=>`    ${d}
`).join("")}${o.unpriced.length>0?`  ${a("yellow","A run would be refused:")} ${new y(o.unpriced).message.replace(/\n/g,`
  `)}
`:""}  budget: ${o.budgetUsd===null?"none":`$${o.budgetUsd.toFixed(2)}`}${o.tooSmall?`
  ${a("yellow","A run would be refused:")} ${o.tooSmall}`:""}

${E(h)}

Dry run: no model was called, nothing was written.
`):e.stdout.write(`${a("yellow","No search would run:")} ${r.data.message}.
`),0}let G=_(e.env),J=S(e.env),c=await v(n,{task:t.task,repoKey:O,triggeredBy:"manual"});if(!c.claimed)throw new b(`${t.task}: ${c.reason}; wait for it, or run \`kaizen jobs cancel\``);let $=Y(n,c.job.id,e),f=new R(e.stderr,e.isTTY,`optimize ${t.task}`,1e3);try{let{job:r,result:o,shipped:i}=await j(n,c,{shipper:C(n),run:{endpoint:G,cacheDir:A(e.env),maxCostUsd:p,timing:z(e.env),retry:J,signal:$.signal,...t.seed?{seed:t.seed}:{},onProgress:m(d=>f.update(Math.round(d.fraction*1e3),`$${d.spentUsd.toFixed(4)} · ${d.step}`),"onProgress")}});if(f.finish(),e.stdout.write(`${T({kind:"optimize",...o.evidence,history:[],footer:{jobId:r.id}},a)}

${(o.notes??[]).map(d=>`${d}
`).join("")}`),l?await D(e,l,o.report):e.stdout.write(`The whole report: kaizen optimize … --report FILE writes it as Markdown; it is also in the job (kaizen jobs show ${r.id} --json${w(e.cwd,s).repo}, job_metadata.report).
`),!i)return e.stdout.write(`Job ${r.id}: ${r.progress_step}
`),0;if("failed"in i)return e.stderr.write(`${a("red","The branch could not be written:")} ${i.failed} (job ${r.id} is PR_FAILED)
`),1;let h=(await n.listPromptVersions(t.task)).find(d=>d.id===r.prompt_version_id);return e.stdout.write(`${a("green","Done:")} the new prompt is on branch ${a("bold",i.shipped.branch)} (version ${h?.version_number}, job ${r.id}).
Review it with: ${w(e.cwd,s).git} diff ${await n.defaultBranch()}...${i.shipped.branch}
`),0}finally{$.dispose()}}};function Y(u,e,t){let p=new AbortController,s=m(l=>{let n=`cancelled (${l==="SIGINT"?"Ctrl-C":l})`;p.abort(n),t.stderr.write(`
${n}: marking job ${e} FAILED…
`),g(u,e,n).finally(()=>process.exit(130))},"onSignal");return process.once("SIGINT",s),process.once("SIGTERM",s),{signal:p.signal,dispose:m(()=>{process.off("SIGINT",s),process.off("SIGTERM",s)},"dispose")}}m(Y,"cancelOnInterrupt");export{pe as a};
