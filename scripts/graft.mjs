// What this repository's npm scripts run (`npm start`, `npm run graft -- …`, `npm run token -- …`): the built
// graft in this same process — no wrapper between npm and the gateway, so npm's SIGTERM reaches it — after
// building dist/ if a source changed, from the directory npm was invoked in (npm itself runs scripts from
// the package root, where relative paths such as `--config ./my.yaml` would resolve wrongly).
import process from 'node:process';
import { ensureBuilt } from './build.mjs';

await ensureBuilt();
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import('../dist/src/cli/main.js');
