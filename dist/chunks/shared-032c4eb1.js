import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{b as j}from"./shared-37bf16c2.js";import{B as z,d as I,e as A,o as _,u as S}from"./shared-f2ebdd36.js";import{K as E,k as b,t as g,v as k,w as y}from"./shared-31475239.js";import{d as w}from"./shared-7ca3570a.js";import{a as x}from"./shared-af98eda6.js";import{a as R,c as O,d as U}from"./shared-2eb97a13.js";import{a as C,b as N,c as P}from"./shared-0ccec606.js";import{c as v}from"./shared-21499a1d.js";import{a as $}from"./shared-dc7d4f56.js";import{a as p}from"./shared-d4a56c05.js";import M from"node:path";var te={usage:`Usage: kaizen optimize --task NAME [--repo DIR] [--dry-run] [--max-cost-usd X] [--seed S]

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

Example:
  OPENAI_API_KEY=sk-... kaizen optimize --task summarize_ticket --max-cost-usd 2`,async run(m,e){let{values:t}=N(m,{task:{type:"string"},repo:{type:"string"},"dry-run":{type:"boolean"},"max-cost-usd":{type:"string"},seed:{type:"string"}});if(!t.task)throw new C("--task is required: which task to optimize");let l=t["max-cost-usd"]===void 0?null:P("max-cost-usd",t["max-cost-usd"],0,1e-6),i=M.resolve(e.cwd,t.repo??"."),s=await x.open(i),o=R(e),L=v();if(t["dry-run"]){let n=await E(s,t.task,{seed:t.seed??L,maxCostUsd:l,...e.env.OPENAI_BASE_URL?{baseURL:e.env.OPENAI_BASE_URL}:{}}),{plan:r}=n,{models:a,estimate:u}=r;return e.stdout.write(`Plan for ${o("bold",t.task)} (${n.config.prompt_path}, ${n.format}):
`),n.data.enough?e.stdout.write(`  data: ${r.sizes.train} train, ${r.sizes.val} validation, ${r.sizes.test} test examples
  search: ${r.knobs.initialProposals} initial proposals, up to ${r.knobs.iterations} iterations
  models: teacher ${a.teacher}, ${r.knobs.usesJudge?`judge ${a.judge}, `:""}student ${a.student}
  evaluator: ${n.evaluatorName}
  prices:
${n.priceNotes.map(d=>`    ${d}
`).join("")}${r.unpriced.length>0?`  ${o("yellow","A run would be refused:")} ${new w(r.unpriced).message.replace(/\n/g,`
  `)}
`:""}  budget: ${r.budgetUsd===null?"none":`$${r.budgetUsd.toFixed(2)}`}${r.tooSmall?`
  ${o("yellow","A run would be refused:")} ${r.tooSmall}`:""}

${b(u)}

Dry run: no model was called, nothing was written.
`):e.stdout.write(`${o("yellow","No search would run:")} ${n.data.message}.
`),0}let D=k(e.env),T=y(e.env),c=await _(s,{task:t.task,repoKey:j,triggeredBy:"manual"});if(!c.claimed)throw new $(`${t.task}: ${c.reason}; wait for it, or run \`kaizen jobs cancel\``);let h=F(s,c.job.id,e),f=new O(e.stderr,e.isTTY,`optimize ${t.task}`,1e3);try{let{job:n,result:r,shipped:a}=await S(s,c,{shipper:z(s),run:{endpoint:D,cacheDir:g(e.env),maxCostUsd:l,timing:I(e.env),retry:T,signal:h.signal,...t.seed?{seed:t.seed}:{},onProgress:p(d=>f.update(Math.round(d.fraction*1e3),`$${d.spentUsd.toFixed(4)} · ${d.step}`),"onProgress")}});if(f.finish(),e.stdout.write(`${r.report}
`),!a)return e.stdout.write(`Job ${n.id}: ${n.progress_step}
`),0;if("failed"in a)return e.stderr.write(`${o("red","The branch could not be written:")} ${a.failed} (job ${n.id} is PR_FAILED)
`),1;let u=(await s.listPromptVersions(t.task)).find(d=>d.id===n.prompt_version_id);return e.stdout.write(`${o("green","Done:")} the new prompt is on branch ${o("bold",a.shipped.branch)} (version ${u?.version_number}, job ${n.id}).
Review it with: ${U(e.cwd,i).git} diff ${await s.defaultBranch()}...${a.shipped.branch}
`),0}finally{h.dispose()}}};function F(m,e,t){let l=new AbortController,i=p(s=>{let o=`cancelled (${s==="SIGINT"?"Ctrl-C":s})`;l.abort(o),t.stderr.write(`
${o}: marking job ${e} FAILED…
`),A(m,e,o).finally(()=>process.exit(130))},"onSignal");return process.once("SIGINT",i),process.once("SIGTERM",i),{signal:l.signal,dispose:p(()=>{process.off("SIGINT",i),process.off("SIGTERM",i)},"dispose")}}p(F,"cancelOnInterrupt");export{te as a};
