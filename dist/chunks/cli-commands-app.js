import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{b as r,c as a}from"./shared-0ccec606.js";import"./shared-31cca623.js";import{a as s}from"./shared-5263c48d.js";var c={usage:`Usage: kaizen app [--port 3000] [--host 0.0.0.0]

Runs the Kaizen GitHub App: GitHub's webhooks at /api/github/webhooks and the Kaizen API at
/api/v1, for the repositories the App is installed on. It reads APP_ID, PRIVATE_KEY (or
PRIVATE_KEY_PATH) and WEBHOOK_SECRET from the environment or from .env in this directory.

Without an APP_ID it prints a link to a page that registers the App on GitHub with the
permissions and events of app.yml, writes the App's id, key and secret to .env, and then starts.
The webhook URL is WEBHOOK_PROXY_URL when set (a smee.io channel, to try it on your machine),
else the address you open the page at followed by /api/github/webhooks.

Options:
  --port N   the port (default: PORT, else 3000)
  --host H   the address to listen on (default: HOST, else 0.0.0.0)

Example:
  WEBHOOK_PROXY_URL=https://smee.io/your-channel kaizen app
  kaizen app --port 8080`,async run(t,e){let{values:n}=r(t,{port:{type:"string"},host:{type:"string"}}),i=a("port",n.port,Number(e.env.PORT??3e3),0,65535),{startApp:p}=await import("./app-main.js"),{server:h}=await p({...e.env,PORT:String(i),...n.host?{HOST:n.host}:{}},{cwd:e.cwd,log:s(o=>e.stdout.write(`${o}
`),"log")});return await new Promise(o=>{process.once("SIGINT",o),process.once("SIGTERM",o)}),await m(h),0}};function m(t){return t.closeAllConnections(),new Promise(e=>t.close(()=>e()))}s(m,"close");export{c as appCommand};
