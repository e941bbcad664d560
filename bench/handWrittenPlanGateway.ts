/**
 * The hand-written plan of `npm run bench`: the benchmark query's query plan written out by hand for these
 * mocks — six subgraph requests over four levels on undici keep-alive pools, representations deduplicated,
 * answers merged into one tree, one JSON.stringify — with nothing else around it (no parsing, validation,
 * admission, metrics or projection). Not a gateway: the floor of what a Node process spends on this query's
 * fan-out, so graft's rows can say how close to it they come. Its answer must equal the expected response,
 * as every gateway's must. Run as its own process by bench/run.ts:
 *
 *   node --import tsx bench/handWrittenPlanGateway.ts name=url [name=url ...]
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

type Entity = Record<string, unknown>;

const urls = Object.fromEntries(process.argv.slice(2).map((argument) => argument.split('=', 2)));
for (const name of ['accounts', 'products', 'inventory', 'reviews'])
  if (!urls[name]) throw new Error(`expected ${name}=url among the arguments`);
const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });

const REVIEW = `fragment a on Review { id body author { id reviews { id body product { upc } } username } }`;
const TOP_PRODUCTS = `{ topProducts { upc name price weight } }`;
const USERS = `{ users { id username name } }`;
const REVIEWS = `query ($p: [_Any!]!, $u: [_Any!]!) {
  p: _entities(representations: $p) { ... on Product { reviews { ...a } } }
  u: _entities(representations: $u) { ... on User { reviews { id body product { upc reviews { ...a } } } } }
} ${REVIEW}`;
const PRODUCT_DETAILS = `query ($r: [_Any!]!) { e: _entities(representations: $r) { ... on Product { price weight name } } }`;
const USER_NAMES = `query ($r: [_Any!]!) { e: _entities(representations: $r) { ... on User { name } } }`;
const STOCK = `query ($r: [_Any!]!) { e: _entities(representations: $r) { ... on Product { inStock shippingEstimate } } }`;

async function post(service: string, query: string, variables?: Record<string, unknown>): Promise<Entity> {
  const response = await request(urls[service]!, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const { data } = (await response.body.json()) as { data: Entity };
  return data;
}

/** Every object at `path` below `roots`, lists expanded, nulls skipped. */
function collect(roots: readonly unknown[], path: readonly string[]): Entity[] {
  let level = roots
    .flat(Infinity)
    .filter((value): value is Entity => typeof value === 'object' && value !== null);
  for (const key of path)
    level = level
      .flatMap((object) => [object[key]].flat(Infinity))
      .filter((value): value is Entity => typeof value === 'object' && value !== null);
  return level;
}

/** Distinct representations of `entities` by their key fields, and for each the entities it answers for. */
function represent(entities: readonly Entity[], typename: string, fields: readonly string[]) {
  const index = new Map<string, number>();
  const representations: Entity[] = [];
  const targets: Entity[][] = [];
  for (const entity of entities) {
    const key = fields.map((field) => entity[field]).join('\u0000');
    const at = index.get(key);
    if (at !== undefined) {
      targets[at]!.push(entity);
      continue;
    }
    index.set(key, representations.length);
    representations.push(
      Object.fromEntries([['__typename', typename], ...fields.map((f) => [f, entity[f]])]),
    );
    targets.push([entity]);
  }
  return { representations, targets };
}

function mergeAnswers(answers: unknown, targets: readonly Entity[][]): void {
  (answers as Entity[]).forEach((answer, at) => {
    for (const target of targets[at]!) Object.assign(target, answer);
  });
}

async function answerBenchmarkQuery(): Promise<string> {
  const [{ topProducts }, { users }] = await Promise.all([
    post('products', TOP_PRODUCTS),
    post('accounts', USERS),
  ]);
  const products = represent(topProducts as Entity[], 'Product', ['upc']);
  const people = represent(users as Entity[], 'User', ['id']);
  const reviewed = await post('reviews', REVIEWS, { p: products.representations, u: people.representations });
  mergeAnswers(reviewed.p, products.targets);
  mergeAnswers(reviewed.u, people.targets);

  const nestedProducts = [
    ...collect([users], ['reviews', 'product']),
    ...collect([users], ['reviews', 'product', 'reviews', 'author', 'reviews', 'product']),
    ...collect([topProducts], ['reviews', 'author', 'reviews', 'product']),
  ];
  const authors = [
    ...collect([users], ['reviews', 'product', 'reviews', 'author']),
    ...collect([topProducts], ['reviews', 'author']),
  ];
  const details = represent(nestedProducts, 'Product', ['upc']);
  const names = represent(authors, 'User', ['id']);
  const [detailed, named] = await Promise.all([
    post('products', PRODUCT_DETAILS, { r: details.representations }),
    post('accounts', USER_NAMES, { r: names.representations }),
  ]);
  mergeAnswers(detailed.e, details.targets);
  mergeAnswers(named.e, names.targets);

  const stock = represent([...(topProducts as Entity[]), ...nestedProducts], 'Product', [
    'upc',
    'price',
    'weight',
  ]);
  mergeAnswers((await post('inventory', STOCK, { r: stock.representations })).e, stock.targets);
  return JSON.stringify({ data: { users, topProducts } });
}

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    JSON.parse(body);
    answerBenchmarkQuery().then(
      (text) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`hand-written plan is ready: http://127.0.0.1:${port}/graphql\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
