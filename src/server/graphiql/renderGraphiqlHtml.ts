/**
 * The GraphiQL page: schema docs, autocompletion, the headers editor (open by default, so sending a token is
 * one paste away) and query execution against graft's own endpoint. Scripts load from `assetBasePath`.
 */
export function renderGraphiqlHtml(options: {
  readonly endpoint: string;
  readonly assetBasePath: string;
}): string {
  const base = escapeHtml(options.assetBasePath);
  const config = JSON.stringify({ endpoint: options.endpoint }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>graft · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${base}graphiql.min.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${base}react.production.min.js"></script>
    <script src="${base}react-dom.production.min.js"></script>
    <script src="${base}graphiql.min.js"></script>
    <script src="${base}graft-panel.js"></script>
    <script>
      const config = ${config};
      const baseFetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, window.location.href).href });
      // graft's panel (graftPanelScript): plan, field owners and why nulls are null.
      const fetcher = window.graftPanel ? graftPanel.wrapFetcher(baseFetcher) : baseFetcher;
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultEditorToolsVisibility: 'headers',
          shouldPersistHeaders: true,
          plugins: window.graftPanel ? [graftPanel.plugin] : [],
        }),
      );
    </script>
  </body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
