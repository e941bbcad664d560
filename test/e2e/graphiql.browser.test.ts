import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_SERVICE_NAMES } from '../../services-mock/index.js';
import { launchChromium } from '../support/launchChromium.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

/** Chromium takes several seconds to start on two busy cores; the steps after that are quick. */
const BROWSER_TIMEOUT_MS = 60_000;

/** Needs all five services: products, inventory (inStock), reviews, accounts (author name) and shipping. */
const CROSS_SERVICE_QUERY = `{
  topProducts(first: 2) {
    name
    inStock
    reviews { author { name } }
    shippingOptions { carrier }
  }
}`;

/**
 * GraphiQL as a person uses it, in a real Chromium against a real graft (port 0, mocks in-process). The
 * selectors are GraphiQL 3's own class names and aria-labels; CodeMirror 5 holds each editor's text.
 */
describe('GraphiQL served by graft, in a real browser', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    gateway = await startTestGateway({
      config: {
        headers: { propagate: ['x-test'] },
        // Token verification on, so a stale token in GraphiQL's stored headers gets its 401.
        auth: { keys: [{ secret: 'graphiql-browser-test-secret-0123456789', algorithms: ['HS256'] }] },
      },
    });
    browser = await launchChromium();
  }, BROWSER_TIMEOUT_MS);

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  /** A fresh page (own storage: GraphiQL persists headers) on GraphiQL, once its schema has loaded. */
  async function openGraphiql() {
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const requestedUrls: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    const schemaLoaded = page.waitForResponse((response) => isGraphqlPost(response, gateway.graft.url));
    await page.goto(gateway.graft.url);
    expect((await schemaLoaded).status()).toBe(200);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
    return { page, requestedUrls, problems };
  }

  it(
    'loads every script and style from the gateway itself, without console or page errors',
    async () => {
      const { page, requestedUrls, problems } = await openGraphiql();

      await expect(page.title()).resolves.toBe('graft · GraphiQL');
      expect(requestedUrls).toEqual(
        expect.arrayContaining([
          gateway.graft.url,
          new URL('/graphiql/graphiql.min.js', gateway.graft.url).href,
          new URL('/graphiql/graphiql.min.css', gateway.graft.url).href,
        ]),
      );
      const gatewayOrigin = new URL(gateway.graft.url).origin;
      expect(requestedUrls.filter((url) => new URL(url).origin !== gatewayOrigin)).toEqual([]);
      expect(problems).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'runs a query typed into the editor and shows data merged from all five services',
    async () => {
      const { page, problems } = await openGraphiql();
      await replaceEditorText(page, page.locator('.graphiql-query-editor .CodeMirror'), CROSS_SERVICE_QUERY);
      gateway.mocks.resetRequests();

      await page.locator('.graphiql-execute-button').click();

      const resultWindow = page.locator('.result-window');
      for (const text of ['Table', 'Uri Goldshtein', 'Freight'])
        await resultWindow.getByText(text).first().waitFor();
      await page.screenshot({ path: '/tmp/graphiql.png' });
      const reviews = Array.from({ length: 4 }, () => ({ author: { name: 'Uri Goldshtein' } }));
      const shippingOptions = [{ carrier: 'Postal' }, { carrier: 'Courier' }, { carrier: 'Freight' }];
      expect(JSON.parse(await readEditorText(resultWindow.locator('.CodeMirror')))).toEqual({
        data: {
          topProducts: [
            { name: 'Table', inStock: true, reviews, shippingOptions },
            { name: 'Couch', inStock: false, reviews, shippingOptions },
          ],
        },
      });
      for (const service of MOCK_SERVICE_NAMES)
        expect(gateway.mocks.requests[service], service).not.toHaveLength(0);
      expect(problems).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'opens the documentation explorer on the Query type and lists its fields',
    async () => {
      const { page, problems } = await openGraphiql();

      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      const explorer = page.locator('.graphiql-doc-explorer');
      await explorer
        .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
        .first()
        .click();

      await explorer.locator('.graphiql-doc-explorer-title', { hasText: /^Query$/ }).waitFor();
      const fieldNames = explorer.locator('.graphiql-doc-explorer-field-name');
      await fieldNames.first().waitFor();
      expect(await fieldNames.allInnerTexts()).toEqual(
        expect.arrayContaining(['me', 'user', 'users', 'topProducts', 'carriers']),
      );
      expect(problems).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'sends the headers typed into the open headers editor, and graft forwards them to the subgraphs',
    async () => {
      const { page, problems } = await openGraphiql();
      await expect(
        page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).getAttribute('class'),
      ).resolves.toMatch(/\bactive\b/);
      const headersEditor = page.locator(
        'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror',
      );
      await replaceEditorText(page, headersEditor, '{"x-test": "from-graphiql"}');
      await replaceEditorText(
        page,
        page.locator('.graphiql-query-editor .CodeMirror'),
        '{ topProducts(first: 1) { name shippingOptions { carrier } } }',
      );
      gateway.mocks.resetRequests();

      const [response] = await Promise.all([
        page.waitForResponse(
          (candidate) =>
            isGraphqlPost(candidate, gateway.graft.url) &&
            /topProducts/.test(candidate.request().postData() ?? ''),
        ),
        page.locator('.graphiql-execute-button').click(),
      ]);

      expect(response.request().headers()['x-test']).toBe('from-graphiql');
      expect(response.status()).toBe(200);
      expect(gateway.mocks.requests.products.map((request) => request.headers['x-test'])).toEqual([
        'from-graphiql',
      ]);
      expect(gateway.mocks.requests.shipping.map((request) => request.headers['x-test'])).toEqual([
        'from-graphiql',
      ]);
      expect(problems).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'opens on an example query built from the graph that runs without errors, under graft’s name and schema hash',
    async () => {
      const { page } = await openGraphiql();
      const { schemaHash } = (await gateway.graft.ready).current();

      await expect(page.locator('.graphiql-logo').innerText()).resolves.toMatch(
        new RegExp(`graft\\s*${schemaHash}`),
      );
      const example = await readEditorText(page.locator('.graphiql-query-editor .CodeMirror'));
      expect(example).toContain(`schema ${schemaHash}`);
      expect(example).toMatch(/^\{[\s\S]*topProducts \{[\s\S]*reviews \{/m);
      // `me` needs a token and `user` an argument: an example for everyone leaves them out.
      expect(example).not.toMatch(/\bme\b|\buser\(/);

      await page.locator('.graphiql-execute-button').click();
      const resultWindow = page.locator('.result-window');
      // The answer is longer than the window and CodeMirror renders only what is in view: read its model.
      await page.waitForFunction(() =>
        (
          document.querySelector('.result-window .CodeMirror') as unknown as {
            CodeMirror?: { getValue(): string };
          } | null
        )?.CodeMirror?.getValue().includes('topProducts'),
      );
      const result = JSON.parse(await readEditorText(resultWindow.locator('.CodeMirror'))) as {
        data?: { topProducts?: unknown[] };
        errors?: unknown;
      };
      expect(result.errors).toBeUndefined();
      expect(result.data?.topProducts?.length).toBeGreaterThan(0);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'warns that the stored token was refused, instead of leaving the docs empty without a word',
    async () => {
      const { page } = await openGraphiql();
      const warning = page.locator('#graft-auth-warning');
      await expect(warning.isVisible()).resolves.toBe(false);
      await replaceEditorText(
        page,
        page.locator(
          'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror',
        ),
        '{"authorization": "Bearer a-token-from-last-week"}',
      );
      await page.waitForFunction(() =>
        (localStorage.getItem('graphiql:headers') ?? '').includes('last-week'),
      );

      const refused = page.waitForResponse((response) => isGraphqlPost(response, gateway.graft.url));
      await page.reload();
      expect((await refused).status()).toBe(401);

      await warning.waitFor({ state: 'visible' });
      await expect(warning.innerText()).resolves.toMatch(/refused the token in the Headers tab/);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'shows no stitching or authorization types and directives in the documentation explorer',
    async () => {
      const { page } = await openGraphiql();
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      const explorer = page.locator('.graphiql-doc-explorer');
      const typeNames = explorer.locator('a.graphiql-doc-explorer-type-name');
      await typeNames.first().waitFor();

      expect(await typeNames.allInnerTexts()).toEqual(
        expect.arrayContaining(['Query', 'Product', 'ShippingOption']),
      );
      const text = await explorer.innerText();
      for (const internal of [
        'requiresScopes',
        'ProductKey',
        '@merge',
        '@computed',
        '@canonical',
        '@key',
        '@authenticated',
      ])
        expect(text, internal).not.toContain(internal);
    },
    BROWSER_TIMEOUT_MS,
  );
});

/**
 * Replaces an editor's text the way a person pastes: focus, select all, insert. Inserted text bypasses
 * CodeMirror's bracket auto-closing, which typing key by key would trigger.
 */
async function replaceEditorText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await expect(readEditorText(editor)).resolves.toBe(text);
}

/** The whole text of a CodeMirror 5 editor; its DOM holds only the lines in view. */
function readEditorText(editor: Locator): Promise<string> {
  return editor.evaluate((element) =>
    (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
  );
}

function isGraphqlPost(response: Response, endpoint: string): boolean {
  return response.request().method() === 'POST' && response.url() === endpoint;
}
