import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{a as w,b as G,c as Q,d as V,e as X,f as B}from"./shared-af541227.js";import{a as E,b as H,c as W}from"./shared-7ca3570a.js";import{a as Z}from"./shared-2eb97a13.js";import{a as f,b as J}from"./shared-0ccec606.js";import{e as y,h as U,j as b,k as M,p as ue,q as x,t as D,v as Y,y as I}from"./shared-e24632c5.js";import"./shared-42372217.js";import{a as z,b as L}from"./shared-dc7d4f56.js";import{a,e as me}from"./shared-d4a56c05.js";var re=me(ue(),1);import{existsSync as v}from"node:fs";import{mkdir as ce,readFile as ee,writeFile as te}from"node:fs/promises";import o from"node:path";import{fileURLToPath as fe}from"node:url";import{createInterface as de}from"node:readline";var $=class{static{a(this,"Asker")}interactive;#t;#e;#n=[];#r=null;#s=!1;constructor(e,t){this.#t=e,this.interactive=!t&&e.isTTY&&e.stdin.isTTY===!0,this.#e=this.interactive?de({input:e.stdin,output:e.stdout,terminal:!0}):null,this.#e?.on("line",s=>this.#i(s)),this.#e?.on("close",()=>{this.#s=!0,this.#i(null)}),this.#e?.on("SIGINT",()=>{this.#t.stdout.write(`
`),this.#e?.close()})}#i(e){let t=this.#r;this.#r=null,t?t(e):e!==null&&this.#n.push(e)}#o(e){let t=this.#n.shift();return t===void 0&&this.#s?Promise.resolve(null):(this.#s?this.#t.stdout.write(`${e}
`):(this.#e.setPrompt(e),this.#e.prompt()),t!==void 0?Promise.resolve(t):new Promise(s=>this.#r=s))}async ask(e,t){if(t!==void 0){let s=await e.parse(t);if("problem"in s)throw new f(`--${e.flag} "${t}": ${s.problem}`);return s.value}if(!this.#e){if(e.fallback===null)throw new f(`${e.text}: no answer outside a terminal; pass --${e.flag}`);let s=await e.parse(e.fallback);if("problem"in s)throw new f(`${e.text}: ${s.problem}; pass --${e.flag}`);return s.value}for(;;){let s=await this.#o(`${e.text}${e.fallback?` [${e.fallback}]`:""}: `);if(s===null)throw new z(`stopped: no answer to "${e.text}"; nothing was written`);let l=s.trim()||e.fallback;if(l===null){this.#t.stdout.write(`  An answer is needed here.
`);continue}let n=await e.parse(l);if("value"in n)return n.value;this.#t.stdout.write(`  ${n.problem}. Try again (Ctrl-C stops).
`)}}async confirm(e,t,s=!1){if(s)return!0;if(!this.#e)return t;for(;;){let l=await this.#o(`${e} [${t?"Y/n":"y/N"}] `);if(l===null)throw new z(`stopped: no answer to "${e}"; nothing more was written`);let n=l.trim();if(n==="")return t;if(/^y(es)?$/i.test(n))return!0;if(/^no?$/i.test(n))return!1;this.#t.stdout.write(`  Answer y or n.
`)}}close(){this.#e?.close()}};var q=`name: Kaizen
on:
  schedule:
    - cron: "17 3 * * *"
  workflow_dispatch:
    inputs:
      task: { type: string, required: false }
      job-id: { type: string, required: false }
  repository_dispatch:
    types: [kaizen-optimize]
  pull_request:
    types: [opened, synchronize, reopened]
permissions:
  contents: write
  pull-requests: write
  issues: write
jobs:
  plan:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    outputs:
      tasks: \${{ steps.plan.outputs.tasks }}
    steps:
      - id: plan
        uses: kaizen/optimize@v1
        with: { mode: plan }
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
`;var N={llm_judge:"a judge model scores them",exact_match:"equal to the expected output",json_schema:"valid JSON for the task's schema"},Ze={usage:`Usage: kaizen init [--prompt PATH] [--task NAME] [--format F] [--description TEXT]
                   [--evaluator llm_judge|exact_match|json_schema] [--threshold N] [--budget USD]
                   [--teacher-model M] [--judge-model M] [--student-model M]
                   [--convert-placeholders] [--yes] [--repo DIR]

Writes .kaizen/tasks/<name>.yml for the prompt at PATH (its format and {{placeholders}} detected
from the file) and .github/workflows/kaizen.yml. In a terminal it lists the prompt files it finds
and asks for what no flag gives; --yes takes the defaults and overwrites existing files.
--convert-placeholders rewrites Python-style {name} placeholders as {{name}}.

Example:
  kaizen init
  kaizen init --prompt prompts/summarize.md --task summarize_ticket --threshold 100 --yes`,async run(r,e){let{values:t}=J(r,{prompt:{type:"string"},task:{type:"string"},format:{type:"string"},description:{type:"string"},evaluator:{type:"string"},threshold:{type:"string"},budget:{type:"string"},"teacher-model":{type:"string"},"judge-model":{type:"string"},"student-model":{type:"string"},"convert-placeholders":{type:"boolean"},yes:{type:"boolean"},repo:{type:"string"}}),s=o.resolve(e.cwd,t.repo??"."),l=t.yes??!1,n=new $(e,l),c=Z(e);try{let p=t.prompt===void 0?await V(s):[];if(n.interactive&&p.length>0&&(e.stdout.write(`Prompt files in this repository:
`),p.slice(0,w).forEach((i,d)=>e.stdout.write(`  ${d+1}. ${i}
`)),p.length>w&&e.stdout.write(`  … and ${p.length-w} more
`)),!n.interactive&&t.prompt===void 0&&p.length>1)throw new f(`which prompt? Found ${p.length}: ${p.slice(0,w).join(", ")}${p.length>w?", …":""}; pass one with --prompt`);let u=await n.ask({flag:"prompt",text:p.length>0?"Prompt file (a number above, or a path)":"Prompt file (a path in the repository)",fallback:p.length===1||n.interactive&&p.length>0?"1":null,parse:a(i=>he(s,i,p),"parse")},t.prompt),h=await ee(o.join(s,u),"utf8"),k=await n.ask({flag:"format",text:`Prompt format (${b.join(", ")})`,fallback:W(u,h),parse:a(i=>ge(i,h),"parse")},t.format),g=E(h,k),P=Q(g);if(x(g).length===0&&P.length>0){let i=P.map(m=>`{${m}}`).join(", ");e.stdout.write(`The prompt has Python-style placeholders (${i}); Kaizen fills {{name}} placeholders, so as it is the optimizer would run the prompt without your inputs.
`),t["convert-placeholders"]||await n.confirm(`Rewrite them as ${P.map(m=>`{{${m}}}`).join(", ")} in ${u}? (your code then fills {{name}}, e.g. with Jinja2 or str.replace)`,!1)?(g=g.replace(G,"{{$1}}"),h=H(h,k,g),await te(o.join(s,u),h),e.stdout.write(`${c("green","rewrote")} ${u}: ${i} → {{…}}
`)):e.stdout.write(`${c("yellow","kept")} ${u} as it is (kaizen init --convert-placeholders rewrites it later).
`)}let se=x(g),ne=o.basename(u).replace(/\.[^.]+$/,"").replace(/[^A-Za-z0-9_-]/g,"_").replace(/^[^A-Za-z0-9]+/,""),_=await n.ask({flag:"task",text:"Task name",fallback:ne||"my_task",parse:we},t.task),C=await n.ask({flag:"description",text:"What the prompt is for, in a sentence (the teacher and the judge read it; Enter skips)",fallback:"",parse:a(i=>({value:i===""?null:i}),"parse")},t.description),F=await n.ask({flag:"evaluator",text:`How outputs are scored (${Object.entries(N).map(([i,d])=>`${i}: ${d}`).join("; ")})`,fallback:"llm_judge",parse:ke},t.evaluator),ie=await n.ask({flag:"threshold",text:"Feedback entries that start each optimization",fallback:"50",parse:ye},t.threshold),oe=await n.ask({flag:"budget",text:"The most one optimization may spend on model calls, in US dollars",fallback:"2",parse:be},t.budget),j=a((i,d,m)=>n.ask({flag:i,text:d,fallback:m,parse:$e},t[i]),"model"),ae=await j("teacher-model","Teacher model (proposes prompts)",y.teacher),O=F==="llm_judge"?await j("judge-model","Judge model (scores outputs)",y.judge):null,le=await j("student-model","Student model (runs the prompt in production)",y.student),pe={name:_,...C?{description:C}:{},prompt_path:u,prompt_format:k,feedback_threshold:ie,cost_budget:oe,evaluator_config:{evaluators:[{type:F}]},teacher_model:ae,...O?{judge_model:O}:{},student_model:le},A=`${I}/${_}.yml`,T=`${ve(s)}${(0,re.stringify)(pe)}`,S=D(T,A).issues.filter(i=>i.severity==="error");if(S.length>0)throw new f(S.map(L).join(`
`));let K=X(Y(T,A),e.env.OPENAI_BASE_URL),R=[];for(let[i,d]of[[A,T],[".github/workflows/kaizen.yml",q]]){let m=o.join(s,i);if(v(m)&&await ee(m,"utf8")!==d&&!await n.confirm(`${i} exists; overwrite it?`,!1,l)){e.stdout.write(`${c("yellow","kept")} ${i} (it exists; --yes overwrites)
`);continue}await ce(o.dirname(m),{recursive:!0}),await te(m,d),R.push(i),e.stdout.write(`${c("green","wrote")} ${i}
`)}return K.length>0&&e.stdout.write(`${c("yellow","Note:")} ${B(K)}
`),e.stdout.write(_e(_,u,k,se,R,c)),0}finally{n.close()}}};function he(r,e,t){let s=/^\d+$/.test(e)?t[Number(e)-1]:e.replace(/^\.\//,"");if(s===void 0)return{problem:`there is no number ${e} in the list`};let l=M(s);return l?{problem:`the path ${l}`}:v(o.join(r,s))?{value:s}:{problem:`there is no file ${s} in ${r}`}}a(he,"promptFileAnswer");function ge(r,e){let t=r.toLowerCase();if(!b.includes(t))return{problem:`the format is one of ${b.join(", ")}`};try{return E(e,t),{value:t}}catch(s){return{problem:`the file cannot be read as ${t}: ${s.message}`}}}a(ge,"formatAnswer");function we(r){return U.test(r)?{value:r}:{problem:"a task name starts with a letter or digit and has only letters, digits, '_' and '-'"}}a(we,"taskNameAnswer");function ke(r){return r in N?{value:r}:{problem:`the way to score is one of ${Object.keys(N).join(", ")}`}}a(ke,"evaluatorAnswer");function ye(r){let e=Number(r);return Number.isInteger(e)&&e>=1?{value:e}:{problem:"the number of feedback entries is a whole number, 1 or more (e.g. 50)"}}a(ye,"thresholdAnswer");function be(r){let e=Number(r.replace(/^\$/,""));return r.trim()!==""&&Number.isFinite(e)&&e>0?{value:e}:{problem:"the budget is an amount of US dollars above 0 (e.g. 2 or 0.50)"}}a(be,"budgetAnswer");function $e(r){return/^\S+$/.test(r)?{value:r}:{problem:"a model name has no spaces (e.g. gpt-4o-mini)"}}a($e,"modelAnswer");function ve(r){let e=Pe();return e&&!o.relative(r,e).startsWith("..")?`# yaml-language-server: $schema=${a(l=>o.relative(o.join(r,I),o.join(e,l)).split(o.sep).join("/"),"fromTasks")("task.schema.json")}
# A Kaizen task. Every field: ${o.relative(r,o.join(e,"task-configuration.md")).split(o.sep).join("/")}
# Check it with: npx kaizen validate
`:`# A Kaizen task. Every field: docs/task-configuration.md of the kaizen-prompts package.
# Check it with: npx kaizen validate
`}a(ve,"taskFileHeader");function Pe(){let r=o.dirname(fe(import.meta.url));for(;;){if(v(o.join(r,"package.json"))&&v(o.join(r,"docs","task-configuration.md")))return o.join(r,"docs");let e=o.dirname(r);if(e===r)return null;r=e}}a(Pe,"packageDocs");function _e(r,e,t,s,l,n){return["",`Task ${n("bold",r)}: ${e} (${t}), placeholders ${s.length?s.map(c=>`{{${c}}}`).join(", "):"none"}.`,"Next:","  1. check it: npx kaizen validate",`  2. commit ${l.length?l.join(" and "):"the files"} (Kaizen reads tasks from the default branch)`,`  3. give it feedback: npx kaizen feedback import FILE.jsonl --task ${r}`,`     or from your app: kaizen.logFeedback({ taskId: "${r}", inputs, output, score })`,`  4. optimize it here: OPENAI_API_KEY=… npx kaizen optimize --task ${r}`,"     or in GitHub: add the OPENAI_API_KEY secret (Settings → Secrets and variables → Actions) and push",""].join(`
`)}a(_e,"nextSteps");export{Ze as initCommand};
