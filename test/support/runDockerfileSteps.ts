import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';

/** A stage's file system after its steps ran, and what its image would run. */
export interface BuiltStage {
  readonly name: string;
  /** Directory standing for the image's `/`. */
  readonly root: string;
  /** WORKDIR inside the image, e.g. `/app`. */
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[];
  readonly exposed: readonly string[];
}

/**
 * Runs a Dockerfile's steps without a container runtime, in a clean directory per stage: `FROM` starts an
 * empty root (the base image's tools are this machine's: node, npm, sh), `WORKDIR`, `ENV`, `COPY` (from the
 * context, .dockerignore applied, or `--from` an earlier stage, with Docker's rule that a directory's
 * contents are copied) and `RUN` (`sh -c` in the working directory) do what they do in Docker. Absolute paths
 * inside RUN commands are not mapped, so the Dockerfile keeps them relative. Any other instruction than
 * those recorded (USER, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD) fails, so the test cannot silently skip a step.
 */
export async function runDockerfileSteps(options: {
  readonly dockerfile: string;
  readonly context: string;
  readonly workspace: string;
  /** Added to every RUN step's environment (e.g. an npm cache setting), on top of PATH and HOME. */
  readonly runEnv?: Readonly<Record<string, string>>;
}): Promise<BuiltStage[]> {
  const ignored = readDockerignore(path.join(options.context, '.dockerignore'));
  const stages: BuiltStage[] = [];
  let stage: { -readonly [K in keyof BuiltStage]: BuiltStage[K] } | undefined;
  const inStage = (image: string) => path.join(stage!.root, path.posix.resolve(stage!.workdir, image));

  for (const { instruction, args } of parseDockerfile(readFileSync(options.dockerfile, 'utf8'))) {
    if (instruction === 'FROM') {
      if (stage) stages.push(stage);
      const name = /\bAS\s+(\S+)$/i.exec(args)?.[1] ?? String(stages.length);
      const root = path.join(options.workspace, `stage-${name}`);
      mkdirSync(root, { recursive: true });
      stage = { name, root, workdir: '/', env: {}, entrypoint: [], cmd: [], healthcheck: [], exposed: [] };
      continue;
    }
    if (!stage) throw new Error(`${instruction} before FROM`);
    switch (instruction) {
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, args);
        mkdirSync(inStage('.'), { recursive: true });
        break;
      case 'ENV':
        for (const [, key, value] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g))
          stage.env = { ...stage.env, [key!]: value!.replace(/^"|"$/g, '') };
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
        const [dest, ...sources] = words.filter((word) => !word.startsWith('--')).reverse();
        const source = from ? stages.find((built) => built.name === from) : undefined;
        if (from && !source) throw new Error(`COPY --from=${from}: no such stage`);
        for (const item of sources.reverse()) {
          const origin = source
            ? path.join(source.root, path.posix.resolve(source.workdir, item))
            : path.join(options.context, item);
          await copyLikeDocker(
            origin,
            inStage(dest!),
            dest!.endsWith('/'),
            source ? () => false : (file) => isIgnored(path.relative(options.context, file), ignored),
          );
        }
        break;
      }
      case 'RUN': {
        // Asynchronously: a step takes minutes, and the test worker must keep answering its runner meanwhile.
        const step = spawn('sh', ['-c', args], {
          cwd: inStage('.'),
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            PATH: process.env.PATH!,
            HOME: path.join(options.workspace, 'home'),
            ...options.runEnv,
            ...stage.env,
          },
        });
        let output = '';
        step.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        step.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const [code] = (await once(step, 'exit')) as [number | null];
        if (code !== 0) throw new Error(`RUN ${args}: exit code ${code}\n${output.slice(-4000)}`);
        break;
      }
      case 'USER':
        stage.user = args;
        break;
      case 'EXPOSE':
        stage.exposed = args.split(/\s+/);
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = JSON.parse(args) as string[];
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(/\bCMD\s+(\[.*\])$/.exec(args)?.[1] ?? 'null') as string[];
        if (!Array.isArray(stage.healthcheck)) throw new Error(`HEALTHCHECK needs CMD in exec form: ${args}`);
        break;
      default:
        throw new Error(`runDockerfileSteps does not know ${instruction}`);
    }
  }
  if (stage) stages.push(stage);
  return stages;
}

function parseDockerfile(text: string): { instruction: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [instruction = '', ...rest] = line.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
}

/** Docker's COPY: a file goes into a directory destination (or becomes the file named), a directory's contents are merged into the destination. */
async function copyLikeDocker(
  origin: string,
  dest: string,
  destIsDir: boolean,
  ignore: (file: string) => boolean,
): Promise<void> {
  if (!existsSync(origin)) throw new Error(`COPY: ${origin} does not exist`);
  if (statSync(origin).isDirectory()) {
    await cp(origin, dest, { recursive: true, filter: (file) => !ignore(file) });
    return;
  }
  const target = destIsDir ? path.join(dest, path.basename(origin)) : dest;
  mkdirSync(path.dirname(target), { recursive: true });
  await cp(origin, target);
}

function readDockerignore(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The .dockerignore patterns this repository uses: a path (and everything under it), `**\/name`, and `*` within a name. */
function isIgnored(relative: string, patterns: readonly string[]): boolean {
  const parts = relative.split(path.sep);
  return patterns.some((pattern) => {
    const glob = new RegExp(
      `^${pattern
        .replace(/^\*\*\//, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')}$`,
    );
    if (pattern.startsWith('**/')) return parts.some((part) => glob.test(part));
    return parts.some((_, index) => glob.test(parts.slice(0, index + 1).join('/')));
  });
}
