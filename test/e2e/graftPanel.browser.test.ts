import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServices, MOCK_SERVICE_NAMES } from '../../services-mock/index.js';
import { benchmarkQuery } from '../support/benchData.js';
import { holdSubgraphRequests } from '../support/holdSubgraphRequests.js';
import { launchChromium } from '../support/launchChromium.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const BROWSER_TIMEOUT_MS = 90_000;

interface EditorElement {
  CodeMirror: {
    getValue(): string;
    setValue(text: string): void;
    setCursor(position: unknown): void;
    posFromIndex(index: number): unknown;
    focus(): void;
  };
}

/** GraphiQL in a page, with `query` in its editor and the graft panel open; nothing has been run. */
async function openGraphiql(browser: Browser, gateway: TestGateway, query: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // Operations the page sent (GraphiQL's introspection aside).
  const operationsSent: string[] = [];
  page.on('request', (request) => {
    const body = request.postData();
    if (request.method() === 'POST' && body && !body.includes('IntrospectionQuery'))
      operationsSent.push(body);
  });
  await page.goto(gateway.graft.url);
  const editor = page.locator('.graphiql-query-editor .CodeMirror');
  await editor.waitFor();
  await editor.evaluate(
    (element, text) => (element as unknown as EditorElement).CodeMirror.setValue(text),
    query,
  );
  await page.getByRole('button', { name: 'Show graft' }).click();

  /** Puts the cursor inside the first occurrence of `word` in the editor. */
  const placeCursorIn = (word: string) =>
    editor.evaluate((element, target) => {
      const codeMirror = (element as unknown as EditorElement).CodeMirror;
      codeMirror.focus();
      codeMirror.setCursor(codeMirror.posFromIndex(codeMirror.getValue().indexOf(target) + 2));
    }, word);

  /** Runs the editor's operation (named TestQuery) and waits for its answer. */
  const run = async () => {
    const answered = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        response.url() === gateway.graft.url &&
        (response.request().postData() ?? '').includes('TestQuery'),
    );
    await page.locator('.graphiql-execute-button').click();
    expect((await answered).status()).toBe(200);
  };
  return { page, problems, operationsSent, placeCursorIn, run };
}

/**
 * The graft panel in GraphiQL, in a real Chromium against a real graft: the owner of the field under the
 * cursor before anything runs, then the query plan of the benchmark query, and why nulls are null.
 */
describe('the graft panel in GraphiQL', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startTestGateway();
    browser = await launchChromium();
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it(
    'shows that inventory owns Product.inStock before the query runs, then the benchmark query’s plan (its fetches and levels)',
    async () => {
      const graphiql = await openGraphiql(browser, gateway, benchmarkQuery);
      const { page } = graphiql;

      // The cursor inside `inStock` (in the `Product` fragment), nothing run: the panel knows its owner from
      // the graph's description and the document in the editor.
      await graphiql.placeCursorIn('inStock');
      const owners = page.locator('[data-testid="graft-field-owners"]');
      await owners.waitFor();
      await expect(page.locator('[data-testid="graft-field-coordinate"]').textContent()).resolves.toBe(
        'Product.inStock',
      );
      await expect(owners.textContent()).resolves.toBe('inventory');
      expect(graphiql.operationsSent).toEqual([]);
      // The panel follows the cursor to another field, in another fragment.
      await graphiql.placeCursorIn('username');
      await page.locator('[data-testid="graft-field-coordinate"]', { hasText: 'User.username' }).waitFor();
      await expect(owners.textContent()).resolves.toBe('accounts');

      await graphiql.run();
      const fetches = page.locator('[data-testid="graft-plan"] .graft-plan-fetch');
      await fetches.first().waitFor();
      const planned = await fetches.evaluateAll((items) =>
        items.map((item) => ({
          subgraph: item.getAttribute('data-subgraph'),
          level: Number(item.getAttribute('data-level')),
        })),
      );
      expect(planned.length).toBeGreaterThanOrEqual(4);
      expect(new Set(planned.map((fetch) => fetch.subgraph))).toEqual(
        new Set(['accounts', 'products', 'inventory', 'reviews']),
      );
      expect(planned.filter((fetch) => fetch.level === 1).map((fetch) => fetch.subgraph)).toEqual(
        expect.arrayContaining(['accounts']),
      );
      expect(Math.max(...planned.map((fetch) => fetch.level))).toBeGreaterThan(2);
      const facts = await page.locator('[data-testid="graft-plan-facts"]').textContent();
      expect(facts).toContain('Path: plan');
      expect(facts).toMatch(/estimated cost \d+ \(limit 50000, enforce\)/);
      expect(graphiql.problems).toEqual([]);
      await page.context().close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'says why each null is null: denied, rate limited, subgraph error, timeout',
    async () => {
      const mocks = createMockServices();
      const held = holdSubgraphRequests('inStock');
      const nullsGateway = await startTestGateway({
        mockServices: mocks,
        wrapFetch: held.wrap,
        config: {
          rateLimits: { store: 'memory', fields: { 'Query.user': { max: 1, window: '1h' } } },
          // Inventory's answers are held back: its fetch times out, once (no retry).
          subgraphs: MOCK_SERVICE_NAMES.map((name) => ({
            name,
            url: mocks.urls[name],
            ...(name === 'inventory' ? { timeoutMs: 300, retry: { maxRetries: 0 } } : {}),
          })),
        },
      });
      try {
        mocks.setFailureRate('reviews', 1);
        // The page's client (this machine's address) has spent its one `Query.user` selection.
        expect((await nullsGateway.post('{ user(id: "1") { name } }')).body.errors).toBeUndefined();
        const graphiql = await openGraphiql(
          browser,
          nullsGateway,
          'query TestQuery { me { name } user(id: "1") { name } topProducts(first: 1) { name inStock reviews { body } } }',
        );
        await graphiql.run();
        const nulls = graphiql.page.locator('[data-testid="graft-nulls"] li');
        await nulls.first().waitFor();
        const reasons = await nulls.evaluateAll((items) =>
          Object.fromEntries(
            items.map((item) => [item.getAttribute('data-path'), item.getAttribute('data-reason')]),
          ),
        );
        expect(reasons).toEqual({
          me: 'denied',
          user: 'rate limited',
          'topProducts.0.reviews': 'subgraph error',
          'topProducts.0.inStock': 'timeout',
        });
        const texts = await nulls.allTextContents();
        expect(texts.find((text) => text.startsWith('topProducts.0.reviews'))).toContain('reviews');
        expect(graphiql.problems).toEqual([]);
        await graphiql.page.context().close();
      } finally {
        held.release();
        await nullsGateway.close();
      }
    },
    BROWSER_TIMEOUT_MS,
  );
});
