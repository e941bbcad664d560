/**
 * The GraphiQL page: schema docs, autocompletion, the headers editor (open by default, so sending a token is
 * one paste away) and query execution against graft's own endpoint. Scripts load from `assetBasePath`.
 * The logo names graft and the schema hash served when the page loaded; the query editor opens on
 * `exampleQuery`; a banner says so when the gateway refuses the token in the headers editor (401), which
 * would otherwise leave the documentation explorer empty without a word.
 */
export function renderGraphiqlHtml(options: {
  readonly endpoint: string;
  readonly assetBasePath: string;
  readonly schemaHash: string | undefined;
  readonly exampleQuery: string | undefined;
}): string {
  const base = escapeHtml(options.assetBasePath);
  const config = JSON.stringify({
    endpoint: options.endpoint,
    schemaHash: options.schemaHash ?? null,
    defaultQuery: options.exampleQuery
      ? `# graft · schema ${options.schemaHash ?? 'not loaded yet'}\n# An example built from the served graph: press ▶ (Ctrl-Enter) to run it.\n\n${options.exampleQuery}\n`
      : undefined,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>graft · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${base}graphiql.min.css" />
    <style>
      html, body { height: 100%; margin: 0; }
      body { display: flex; flex-direction: column; }
      #graphiql { flex: 1; min-height: 0; }
      #graft-auth-warning { padding: 8px 16px; background: #fff3cd; color: #664d03; font: 14px system-ui, sans-serif; border-bottom: 1px solid #ffe69c; }
      #graft-auth-warning[hidden] { display: none; }
      .graft-schema-hash { font-size: 12px; opacity: 0.7; margin-left: 6px; }
    </style>
  </head>
  <body>
    <div id="graft-auth-warning" role="alert" hidden></div>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${base}react.production.min.js"></script>
    <script src="${base}react-dom.production.min.js"></script>
    <script src="${base}graphiql.min.js"></script>
    <script src="${base}graft-panel.js"></script>
    <script>
      const config = ${config};
      const warning = document.getElementById('graft-auth-warning');
      // Every request GraphiQL sends (the schema's introspection included) passes here: a 401 means the
      // stored Authorization header is stale or wrong, and GraphiQL alone would only show empty docs.
      async function fetchWithAuthWarning(input, init) {
        const response = await fetch(input, init);
        if (response.status === 401) {
          let reason = '';
          try {
            const body = await response.clone().json();
            reason = body && body.errors && body.errors[0] ? ' (' + body.errors[0].message + ')' : '';
          } catch {}
          warning.textContent =
            'The gateway refused the token in the Headers tab' + reason +
            '. Fix or remove the Authorization header there, then reload: the documentation stays empty until the schema loads.';
          warning.hidden = false;
        } else if (response.ok) {
          warning.hidden = true;
        }
        return response;
      }
      const baseFetcher = GraphiQL.createFetcher({
        url: new URL(config.endpoint, window.location.href).href,
        fetch: fetchWithAuthWarning,
      });
      // graft's panel (graftPanelScript): plan, field owners and why nulls are null.
      const fetcher = window.graftPanel ? graftPanel.wrapFetcher(baseFetcher) : baseFetcher;
      const logo = React.createElement(
        GraphiQL.Logo,
        null,
        'graft',
        config.schemaHash
          ? React.createElement('span', { className: 'graft-schema-hash', title: 'schema hash' }, config.schemaHash)
          : null,
      );
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(
          GraphiQL,
          {
            fetcher,
            defaultEditorToolsVisibility: 'headers',
            shouldPersistHeaders: true,
            plugins: window.graftPanel ? [graftPanel.plugin] : [],
            ...(config.defaultQuery ? { defaultQuery: config.defaultQuery } : {}),
          },
          logo,
        ),
      );
    </script>
  </body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
