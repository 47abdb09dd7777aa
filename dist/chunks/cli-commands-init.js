import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{a as w,b as X,c as B,d as q,e as tt,f as et}from"./shared-af541227.js";import{g as S,h as Z,j as G}from"./shared-a6cb8dcb.js";import{b as dt,d as J,f as N,h as I}from"./shared-600d4e0e.js";import{f as b,i as W,k as v,l as Y,r as k}from"./shared-ad06c887.js";import{a as V}from"./shared-2eb97a13.js";import{a as f,b as Q}from"./shared-0ccec606.js";import"./shared-af496128.js";import{a as x,b as D}from"./shared-31cca623.js";import{a as o,e as ct}from"./shared-5263c48d.js";var st=ct(dt(),1);import{existsSync as j}from"node:fs";import{mkdir as wt,readdir as kt,readFile as _,writeFile as rt}from"node:fs/promises";import a from"node:path";import{fileURLToPath as yt}from"node:url";import{createInterface as ft}from"node:readline";var P=class{static{o(this,"Asker")}interactive;#e;#t;#n=[];#r=null;#s=!1;constructor(t,r){this.#e=t,this.interactive=!r&&t.isTTY&&t.stdin.isTTY===!0,this.#t=this.interactive?ft({input:t.stdin,output:t.stdout,terminal:!0}):null,this.#t?.on("line",s=>this.#i(s)),this.#t?.on("close",()=>{this.#s=!0,this.#i(null)}),this.#t?.on("SIGINT",()=>{this.#e.stdout.write(`
`),this.#t?.close()})}#i(t){let r=this.#r;this.#r=null,r?r(t):t!==null&&this.#n.push(t)}#o(t){let r=this.#n.shift();return r===void 0&&this.#s?Promise.resolve(null):(this.#s?this.#e.stdout.write(`${t}
`):(this.#t.setPrompt(t),this.#t.prompt()),r!==void 0?Promise.resolve(r):new Promise(s=>this.#r=s))}async ask(t,r){if(r!==void 0){let s=await t.parse(r);if("problem"in s)throw new f(`--${t.flag} "${r}": ${s.problem}`);return s.value}if(!this.#t){if(t.fallback===null)throw new f(`${t.text}: no answer outside a terminal; pass --${t.flag}`);let s=await t.parse(t.fallback);if("problem"in s)throw new f(`${t.text}: ${s.problem}; pass --${t.flag}`);return s.value}for(;;){let s=await this.#o(`${t.text}${t.fallback?` [${t.fallback}]`:""}: `);if(s===null)throw new x(`stopped: no answer to "${t.text}"; nothing was written`);let l=s.trim()||t.fallback;if(l===null){this.#e.stdout.write(`  An answer is needed here.
`);continue}let n=await t.parse(l);if("value"in n)return n.value;this.#e.stdout.write(`  ${n.problem}. Try again (Ctrl-C stops).
`)}}async confirm(t,r,s=!1){if(s)return!0;if(!this.#t)return r;for(;;){let l=await this.#o(`${t} [${r?"Y/n":"y/N"}] `);if(l===null)throw new x(`stopped: no answer to "${t}"; nothing more was written`);let n=l.trim();if(n==="")return r;if(/^y(es)?$/i.test(n))return!0;if(/^no?$/i.test(n))return!1;this.#e.stdout.write(`  Answer y or n.
`)}}close(){this.#t?.close()}};var ht=["prompts/summarize_ticket.md"];function gt(e){return JSON.stringify(e.replace(/[*?+[\]\\]/g,"\\$&").replace(/^!/,"\\!"))}o(gt,"literalPattern");function O(e){return`name: Kaizen
on:
  schedule:
    - cron: "17 3 * * *" # daily; avoid the top of the hour
  workflow_dispatch: # the Kaizen app dispatches with task and job-id; "Run workflow" may force
    inputs:
      task: { type: string, required: false }
      job-id: { type: string, required: false }
      force:
        type: boolean
        default: false
        description: Optimize the named task even below its threshold
  repository_dispatch:
    types: [kaizen-optimize] # client_payload: { "task": "...", "job_id": "..." }
  pull_request: # the check "Kaizen: prompt evaluation", on pull requests that edit a prompt
    types: [opened, synchronize, reopened]
    paths: # .kaizen/ and every task's prompt_path
${['".kaizen/**"',...[...new Set(e)].map(gt)].map(r=>`      - ${r}
`).join("")}permissions:
  contents: write # the data branch and kaizen/<task> branches
  pull-requests: write # the prompt pull request
  issues: write # the dashboard issue
jobs:
  plan:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    outputs:
      tasks: \${{ steps.plan.outputs.tasks }}
    steps:
      - id: plan
        uses: kaizen/optimize@v1 # until it is published: <owner>/kaizen@<commit sha> (README)
        with:
          mode: plan
          force: \${{ inputs.force }}
  optimize:
    needs: plan
    if: needs.plan.outputs.tasks != '[]'
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        task: \${{ fromJSON(needs.plan.outputs.tasks) }}
    steps:
      - uses: kaizen/optimize@v1
        with:
          task: \${{ matrix.task }}
          force: \${{ inputs.force }}
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
  evaluate:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: read
      checks: write
    steps:
      - uses: kaizen/optimize@v1
        with:
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
          max-cost-usd: "0.50"
`}o(O,"kaizenWorkflow");var Ft=O(ht);var C={llm_judge:"a judge model scores them",exact_match:"equal to the expected output",json_schema:"valid JSON for the task's schema"},ee={usage:`Usage: kaizen init [--prompt PATH] [--task NAME] [--format F] [--description TEXT]
                   [--evaluator llm_judge|exact_match|json_schema] [--threshold N] [--budget USD]
                   [--teacher-model M] [--judge-model M] [--student-model M]
                   [--convert-placeholders] [--yes] [--repo DIR]

Writes .kaizen/tasks/<name>.yml for the prompt at PATH (its format and {{placeholders}} detected
from the file) and .github/workflows/kaizen.yml. In a terminal it lists the prompt files it finds
and asks for what no flag gives; --yes takes the defaults and overwrites existing files.
--convert-placeholders rewrites Python-style {name} placeholders as {{name}}.

Example:
  kaizen init
  kaizen init --prompt prompts/summarize.md --task summarize_ticket --threshold 100 --yes`,async run(e,t){let{values:r}=Q(e,{prompt:{type:"string"},task:{type:"string"},format:{type:"string"},description:{type:"string"},evaluator:{type:"string"},threshold:{type:"string"},budget:{type:"string"},"teacher-model":{type:"string"},"judge-model":{type:"string"},"student-model":{type:"string"},"convert-placeholders":{type:"boolean"},yes:{type:"boolean"},repo:{type:"string"}}),s=a.resolve(t.cwd,r.repo??"."),l=r.yes??!1,n=new P(t,l),p=V(t);try{let m=r.prompt===void 0?await q(s):[];if(n.interactive&&m.length>0&&(t.stdout.write(`Prompt files in this repository:
`),m.slice(0,w).forEach((i,d)=>t.stdout.write(`  ${d+1}. ${i}
`)),m.length>w&&t.stdout.write(`  … and ${m.length-w} more
`)),!n.interactive&&r.prompt===void 0&&m.length>1)throw new f(`which prompt? Found ${m.length}: ${m.slice(0,w).join(", ")}${m.length>w?", …":""}; pass one with --prompt`);let u=await n.ask({flag:"prompt",text:m.length>0?"Prompt file (a number above, or a path)":"Prompt file (a path in the repository)",fallback:m.length===1||n.interactive&&m.length>0?"1":null,parse:o(i=>bt(s,i,m),"parse")},r.prompt),h=await _(a.join(s,u),"utf8"),y=await n.ask({flag:"format",text:`Prompt format (${v.join(", ")})`,fallback:G(u,h),parse:o(i=>vt(i,h),"parse")},r.format),g=S(h,y),z=B(g);if(I(g).length===0&&z.length>0){let i=z.map(c=>`{${c}}`).join(", ");t.stdout.write(`The prompt has Python-style placeholders (${i}); Kaizen fills {{name}} placeholders, so as it is the optimizer would run the prompt without your inputs.
`),r["convert-placeholders"]||await n.confirm(`Rewrite them as ${z.map(c=>`{{${c}}}`).join(", ")} in ${u}? (your code then fills {{name}}, e.g. with Jinja2 or str.replace)`,!1)?(g=g.replace(X,"{{$1}}"),h=Z(h,y,g),await rt(a.join(s,u),h),t.stdout.write(`${p("green","rewrote")} ${u}: ${i} → {{…}}
`)):t.stdout.write(`${p("yellow","kept")} ${u} as it is (kaizen init --convert-placeholders rewrites it later).
`)}let nt=I(g),it=a.basename(u).replace(/\.[^.]+$/,"").replace(/[^A-Za-z0-9_-]/g,"_").replace(/^[^A-Za-z0-9]+/,""),A=await n.ask({flag:"task",text:"Task name",fallback:it||"my_task",parse:Pt},r.task),F=await n.ask({flag:"description",text:"What the prompt is for, in a sentence (the teacher and the judge read it; Enter skips)",fallback:"",parse:o(i=>({value:i===""?null:i}),"parse")},r.description),R=await n.ask({flag:"evaluator",text:`How outputs are scored (${Object.entries(C).map(([i,d])=>`${i}: ${d}`).join("; ")})`,fallback:"llm_judge",parse:_t},r.evaluator),ot=await n.ask({flag:"threshold",text:"Feedback entries that start each optimization",fallback:"50",parse:jt},r.threshold),at=await n.ask({flag:"budget",text:"The most one optimization may spend on model calls, in US dollars",fallback:"2",parse:zt},r.budget),T=o((i,d,c)=>n.ask({flag:i,text:d,fallback:c,parse:At},r[i]),"model"),lt=await T("teacher-model","Teacher model (proposes prompts)",b.teacher),K=R==="llm_judge"?await T("judge-model","Judge model (scores outputs)",b.judge):null,pt=await T("student-model","Student model (runs the prompt in production)",b.student),mt={name:A,...F?{description:F}:{},prompt_path:u,prompt_format:y,feedback_threshold:ot,cost_budget:at,evaluator_config:{evaluators:[{type:R}]},teacher_model:lt,...K?{judge_model:K}:{},student_model:pt},$=`${k}/${A}.yml`,E=`${Tt(s)}${(0,st.stringify)(mt)}`,M=J(E,$).issues.filter(i=>i.severity==="error");if(M.length>0)throw new f(M.map(D).join(`
`));let L=tt(N(E,$),t.env.OPENAI_BASE_URL),U=[],H=".github/workflows/kaizen.yml",ut=O([...await $t(s,$),u]);for(let[i,d]of[[$,E],[H,ut]]){let c=a.join(s,i);if(j(c)&&await _(c,"utf8")!==d&&!await n.confirm(`${i} exists; overwrite it?`,!1,l)){t.stdout.write(`${p("yellow","kept")} ${i} (it exists; --yes overwrites)
`),i===H&&!(await _(c,"utf8")).includes(u)&&t.stdout.write(`${p("yellow","Note:")} add "${u}" to on.pull_request.paths in ${i}, or pull requests that edit it get no prompt evaluation
`);continue}await wt(a.dirname(c),{recursive:!0}),await rt(c,d),U.push(i),t.stdout.write(`${p("green","wrote")} ${i}
`)}return L.length>0&&t.stdout.write(`${p("yellow","Note:")} ${et(L)}
`),t.stdout.write(xt(A,u,y,nt,U,p)),0}finally{n.close()}}};async function $t(e,t){let r=await kt(a.join(e,k)).catch(()=>[]),s=[];for(let l of r.filter(n=>/\.ya?ml$/.test(n)).sort()){let n=`${k}/${l}`;if(n!==t)try{let p=N(await _(a.join(e,n),"utf8"),n);p.prompt_path&&s.push(p.prompt_path)}catch{}}return s}o($t,"otherPromptPaths");function bt(e,t,r){let s=/^\d+$/.test(t)?r[Number(t)-1]:t.replace(/^\.\//,"");if(s===void 0)return{problem:`there is no number ${t} in the list`};let l=Y(s);return l?{problem:`the path ${l}`}:j(a.join(e,s))?{value:s}:{problem:`there is no file ${s} in ${e}`}}o(bt,"promptFileAnswer");function vt(e,t){let r=e.toLowerCase();if(!v.includes(r))return{problem:`the format is one of ${v.join(", ")}`};try{return S(t,r),{value:r}}catch(s){return{problem:`the file cannot be read as ${r}: ${s.message}`}}}o(vt,"formatAnswer");function Pt(e){return W.test(e)?{value:e}:{problem:"a task name starts with a letter or digit and has only letters, digits, '_' and '-'"}}o(Pt,"taskNameAnswer");function _t(e){return e in C?{value:e}:{problem:`the way to score is one of ${Object.keys(C).join(", ")}`}}o(_t,"evaluatorAnswer");function jt(e){let t=Number(e);return Number.isInteger(t)&&t>=1?{value:t}:{problem:"the number of feedback entries is a whole number, 1 or more (e.g. 50)"}}o(jt,"thresholdAnswer");function zt(e){let t=Number(e.replace(/^\$/,""));return e.trim()!==""&&Number.isFinite(t)&&t>0?{value:t}:{problem:"the budget is an amount of US dollars above 0 (e.g. 2 or 0.50)"}}o(zt,"budgetAnswer");function At(e){return/^\S+$/.test(e)?{value:e}:{problem:"a model name has no spaces (e.g. gpt-4o-mini)"}}o(At,"modelAnswer");function Tt(e){let t=Et();return t&&!a.relative(e,t).startsWith("..")?`# yaml-language-server: $schema=${o(l=>a.relative(a.join(e,k),a.join(t,l)).split(a.sep).join("/"),"fromTasks")("task.schema.json")}
# A Kaizen task. Every field: ${a.relative(e,a.join(t,"task-configuration.md")).split(a.sep).join("/")}
# Check it with: npx kaizen validate
`:`# A Kaizen task. Every field: docs/task-configuration.md of the kaizen-prompts package.
# Check it with: npx kaizen validate
`}o(Tt,"taskFileHeader");function Et(){let e=a.dirname(yt(import.meta.url));for(;;){if(j(a.join(e,"package.json"))&&j(a.join(e,"docs","task-configuration.md")))return a.join(e,"docs");let t=a.dirname(e);if(t===e)return null;e=t}}o(Et,"packageDocs");function xt(e,t,r,s,l,n){return["",`Task ${n("bold",e)}: ${t} (${r}), placeholders ${s.length?s.map(p=>`{{${p}}}`).join(", "):"none"}.`,"Next:","  1. check it: npx kaizen validate",`  2. commit ${l.length?l.join(" and "):"the files"} (Kaizen reads tasks from the default branch)`,`  3. give it feedback: npx kaizen feedback import FILE.jsonl --task ${e}`,`     or from your app: kaizen.logFeedback({ taskId: "${e}", inputs, output, score })`,`  4. optimize it here: OPENAI_API_KEY=… npx kaizen optimize --task ${e}`,"     or in GitHub: add the OPENAI_API_KEY secret (Settings → Secrets and variables → Actions) and push",""].join(`
`)}o(xt,"nextSteps");export{ee as initCommand};
