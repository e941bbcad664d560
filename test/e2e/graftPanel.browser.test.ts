import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkQuery } from '../support/benchData.js';
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

/**
 * The graft panel in GraphiQL, in a real Chromium against a real graft: run the benchmark query, open the
 * panel, read the query plan and the owner of the field under the cursor.
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

  async function runInGraphiql(query: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(gateway.graft.url);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor();
    await editor.evaluate(
      (element, text) => (element as unknown as EditorElement).CodeMirror.setValue(text),
      query,
    );
    const answered = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        response.url() === gateway.graft.url &&
        (response.request().postData() ?? '').includes('TestQuery'),
    );
    await page.locator('.graphiql-execute-button').click();
    expect((await answered).status()).toBe(200);
    await page.getByRole('button', { name: 'Show graft' }).click();
    expect(problems).toEqual([]);
    return page;
  }

  it(
    'shows the benchmark query’s plan (its fetches and levels) and that inventory owns Product.inStock',
    async () => {
      const page = await runInGraphiql(benchmarkQuery);
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
      await expect(page.locator('[data-testid="graft-plan-facts"]').textContent()).resolves.toContain('plan');

      // Put the cursor inside `inStock` in the query editor.
      await page.locator('.graphiql-query-editor .CodeMirror').evaluate((element) => {
        const editor = (element as unknown as EditorElement).CodeMirror;
        editor.focus();
        editor.setCursor(editor.posFromIndex(editor.getValue().indexOf('inStock') + 2));
      });
      await expect(page.locator('[data-testid="graft-field-coordinate"]').textContent()).resolves.toBe(
        'Product.inStock',
      );
      await expect(page.locator('[data-testid="graft-field-owners"]').textContent()).resolves.toBe(
        'inventory',
      );
      await page.context().close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'says why a null is null from the error paths',
    async () => {
      gateway.mocks.setFailureRate('inventory', 1);
      try {
        const page = await runInGraphiql('query TestQuery { topProducts(first: 1) { name inStock } }');
        const nulls = page.locator('[data-testid="graft-nulls"] li');
        await nulls.first().waitFor();
        const text = await nulls.first().textContent();
        expect(text).toContain('topProducts.0.inStock');
        expect(text).toContain('inventory');
        await page.context().close();
      } finally {
        gateway.mocks.setFailureRate('inventory', 0);
      }
    },
    BROWSER_TIMEOUT_MS,
  );
});
