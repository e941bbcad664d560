/**
 * The graft panel, a GraphiQL plugin (browser code, served at `/graphiql/graft-panel.js` and run after
 * GraphiQL's own scripts, from local files only). It asks every operation the user runs for an explanation
 * (the `explain.header` request header) and shows, from the last answer: the query plan as a tree (each
 * fetch with its subgraph, level and time) or the stitching fallback and why; for the field under the
 * cursor, its owning subgraphs, auth requirements, rate limit and cost; and why each null in the result is
 * null, from the errors' paths and codes. It exposes `window.graftPanel = { wrapFetcher, plugin }`.
 */
export function renderGraftPanelScript(explainHeader: string): string {
  return `(function () {
  'use strict';
  var EXPLAIN_HEADER = ${JSON.stringify(explainHeader)};
  /** Admission's cost step answers its estimate in \`extensions.cost\` when asked with this header. */
  var COST_HEADER = 'x-graft-cost';
  var h = React.createElement;
  var state = { explain: undefined, errors: [], ranAt: 0, field: undefined };
  var listeners = new Set();
  function update(patch) {
    state = Object.assign({}, state, patch);
    listeners.forEach(function (listener) { listener(); });
  }
  function useGraftState() {
    return React.useSyncExternalStore(
      function (listener) { listeners.add(listener); return function () { listeners.delete(listener); }; },
      function () { return state; },
    );
  }

  /** Adds the explain header; keeps the explanation and errors of the operations the user runs. */
  function wrapFetcher(fetcher) {
    return function (params, options) {
      var headers = Object.assign({}, options && options.headers);
      headers[EXPLAIN_HEADER] = 'true';
      headers[COST_HEADER] = '1';
      var result = fetcher(params, Object.assign({}, options, { headers: headers }));
      if (params.operationName === 'IntrospectionQuery') return result;
      return result && typeof result.then === 'function' ? result.then(observe) : observe(result);
    };
  }

  /** Keeps the explanation for the panel and hands GraphiQL the result without it (the panel shows it). */
  function record(value) {
    if (!value || typeof value !== 'object') return value;
    var extensions = value.extensions;
    update({
      explain: extensions && extensions.graftExplain,
      cost: extensions && extensions.cost,
      errors: value.errors || [],
      ranAt: Date.now(),
    });
    if (!extensions || !('graftExplain' in extensions || 'cost' in extensions)) return value;
    var rest = Object.assign({}, extensions);
    delete rest.graftExplain;
    delete rest.cost;
    var shown = Object.assign({}, value);
    if (Object.keys(rest).length > 0) shown.extensions = rest;
    else delete shown.extensions;
    return shown;
  }

  /** A plain result, or (GraphiQL asks for multipart/mixed) a stream of results: each is recorded as it comes. */
  function observe(value) {
    if (!value || typeof value[Symbol.asyncIterator] !== 'function') return record(value);
    var stream = {};
    stream[Symbol.asyncIterator] = function () {
      var inner = value[Symbol.asyncIterator]();
      return {
        next: function () {
          return inner.next().then(function (step) {
            return step.done ? step : { done: false, value: record(step.value) };
          });
        },
        return: function (returned) {
          return inner.return ? inner.return(returned) : Promise.resolve({ done: true, value: returned });
        },
      };
    };
    return stream;
  }

  /** The path of field names from the root to the identifier at \`offset\`, and the fragment type if inside one. */
  function locateField(text, offset) {
    var start = offset;
    while (start > 0 && /[_0-9A-Za-z]/.test(text[start - 1])) start--;
    var end = offset;
    while (end < text.length && /[_0-9A-Za-z]/.test(text[end])) end++;
    var word = text.slice(start, end);
    if (!/^[_A-Za-z]/.test(word)) return undefined;
    var stack = [], last = null, parens = 0, spread = false, expectType = false, fragment = null, topWords = [];
    var i = 0;
    while (i < start) {
      var c = text[i];
      if (c === '#') { while (i < text.length && text[i] !== '\\n') i++; continue; }
      if (c === '"') {
        if (text.substr(i, 3) === '"""') { var close = text.indexOf('"""', i + 3); i = close < 0 ? text.length : close + 3; continue; }
        i++;
        while (i < text.length && text[i] !== '"') { if (text[i] === '\\\\') i++; i++; }
        i++; continue;
      }
      if (c === '(') { parens++; i++; continue; }
      if (c === ')') { parens--; i++; continue; }
      if (parens > 0) { i++; continue; }
      if (c === '.' && text.substr(i, 3) === '...') { spread = true; i += 3; continue; }
      if (c === '{') { stack.push(last || (stack.length === 0 ? { root: true, fragment: fragment } : { inline: true })); last = null; fragment = null; topWords = []; i++; continue; }
      if (c === '}') { stack.pop(); last = null; i++; continue; }
      if (/[_A-Za-z]/.test(c)) {
        var j = i;
        while (j < text.length && /[_0-9A-Za-z]/.test(text[j])) j++;
        var name = text.slice(i, j);
        var k = j;
        while (k < text.length && /\\s/.test(text[k])) k++;
        if (stack.length === 0) {
          topWords.push(name);
          if (topWords[0] === 'fragment' && topWords[2] === 'on' && topWords.length === 4) fragment = name;
        } else if (spread) {
          if (name === 'on') expectType = true; else { spread = false; last = null; }
        } else if (expectType) {
          expectType = false; spread = false; last = { inline: true };
        } else if (text[k] !== ':') {
          last = { field: name };
        }
        i = j; continue;
      }
      i++;
    }
    if (stack.length === 0) return undefined;
    var names = stack.filter(function (entry) { return entry.field; }).map(function (entry) { return entry.field; });
    return { path: names.concat([word]).join('.'), fieldName: word, fragment: stack[0].fragment };
  }

  function coordinateAt(explain, located) {
    if (!explain || !located) return undefined;
    var selections = explain.selections || {};
    if (!located.fragment && selections[located.path]) return selections[located.path];
    if (located.fragment) {
      var inFragment = located.fragment + '.' + located.fieldName;
      if (explain.fields && explain.fields[inFragment]) return inFragment;
    }
    var candidates = Object.keys(explain.fields || {}).filter(function (coordinate) {
      return coordinate.slice(coordinate.indexOf('.') + 1) === located.fieldName;
    });
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** Follows the query editor's cursor (CodeMirror 5) once GraphiQL has rendered it. */
  function watchCursor() {
    var element = document.querySelector('.graphiql-query-editor .CodeMirror');
    if (!element || !element.CodeMirror) { setTimeout(watchCursor, 200); return; }
    var editor = element.CodeMirror;
    var onMove = function () {
      var located = locateField(editor.getValue(), editor.indexFromPos(editor.getCursor()));
      update({ field: located });
    };
    editor.on('cursorActivity', onMove);
    onMove();
  }

  var REASONS = {
    UNAUTHENTICATED: 'denied: not authenticated',
    FORBIDDEN: 'denied: not authorized',
    RATE_LIMITED: 'rate limited',
    SUBGRAPH_TIMEOUT: 'the subgraph timed out',
    SUBGRAPH_UNREACHABLE: 'the subgraph could not be reached',
    SUBGRAPH_HTTP_ERROR: 'the subgraph answered with an HTTP error',
    SUBGRAPH_BAD_RESPONSE: 'the subgraph answered something that is not GraphQL',
    CIRCUIT_OPEN: 'the subgraph is failing (circuit open)',
  };
  function whyNull(error) {
    var code = error.extensions && error.extensions.code;
    var service = error.extensions && error.extensions.serviceName;
    var reason = REASONS[code] || (service ? 'subgraph error' : 'error');
    return reason + (service ? ' (' + service + ')' : '') + (code ? ' · ' + code : '') + ': ' + error.message;
  }

  function PlanNode(props) {
    var node = props.node;
    if (node.kind === 'Fetch') {
      var timing = (props.fetches || []).filter(function (fetch) {
        return fetch.subgraph === node.subgraph && fetch.level === node.level;
      })[0];
      return h('li', { className: 'graft-plan-fetch', 'data-subgraph': node.subgraph, 'data-level': String(node.level), title: node.operation },
        'Fetch ', h('strong', null, node.subgraph), ' · level ' + node.level +
        (node.entityLookups ? ' · entities' : ' · root') + (timing ? ' · ' + timing.durationMs + ' ms' : ''));
    }
    if (node.kind === 'Condition') {
      return h('li', { className: 'graft-plan-group' }, 'If $' + node.variable,
        h('ul', null, node.ifNode ? h(PlanNode, { node: node.ifNode, fetches: props.fetches }) : null),
        node.elseNode ? h('ul', null, h(PlanNode, { node: node.elseNode, fetches: props.fetches })) : null);
    }
    return h('li', { className: 'graft-plan-group' }, node.kind,
      h('ul', null, node.nodes.map(function (child, index) { return h(PlanNode, { key: index, node: child, fetches: props.fetches }); })));
  }

  function Section(props) {
    return h('section', { className: 'graft-section', 'aria-label': props.title },
      h('h3', { style: { margin: '12px 0 6px', fontSize: '14px' } }, props.title), props.children);
  }

  function describeField(coordinate, info) {
    var rows = [h('div', { key: 'c', 'data-testid': 'graft-field-coordinate' }, h('code', null, coordinate))];
    rows.push(h('div', { key: 'o' }, 'Owned by: ', h('span', { 'data-testid': 'graft-field-owners' }, (info.owners || []).join(', ') || 'unknown')));
    var auth = [];
    if (info.authenticated) auth.push('@authenticated');
    if (info.requiresScopes) auth.push('scopes ' + JSON.stringify(info.requiresScopes));
    if (info.policy) auth.push('policies ' + JSON.stringify(info.policy));
    rows.push(h('div', { key: 'a', 'data-testid': 'graft-field-auth' }, 'Auth: ' + (auth.join(', ') || 'none')));
    rows.push(h('div', { key: 'r', 'data-testid': 'graft-field-rate-limit' }, 'Rate limit: ' +
      (info.rateLimit ? info.rateLimit.max + ' per ' + info.rateLimit.window : 'none')));
    rows.push(h('div', { key: 'k', 'data-testid': 'graft-field-cost' }, 'Cost: ' +
      (info.cost !== undefined ? String(info.cost) : 'default') + (info.listSize ? ' · list size ' + JSON.stringify(info.listSize) : '')));
    return rows;
  }

  function GraftPanel() {
    var current = useGraftState();
    var explain = current.explain;
    var plan;
    if (!current.ranAt) plan = h('p', null, 'Run an operation to see how graft executes it.');
    else if (!explain) plan = h('p', null, 'No explanation: explain is off on this gateway (explain.enabled).');
    else if (!explain.executed) plan = h('p', null, 'Not executed: the operation was refused before any subgraph was called.');
    else if (explain.path === 'stitching')
      plan = h('p', { 'data-testid': 'graft-plan-fallback' }, 'Stitching fallback: ' + explain.fallback.reason + (explain.fallback.detail ? ' (' + explain.fallback.detail + ')' : ''));
    else plan = h('ul', { 'data-testid': 'graft-plan', className: 'graft-plan' }, explain.plan ? h(PlanNode, { node: explain.plan, fetches: explain.fetches }) : h('li', null, 'No fetch needed'));
    var facts = explain && explain.executed
      ? h('p', { 'data-testid': 'graft-plan-facts' }, 'Path: ' + explain.path + (explain.planCache ? ' · plan cache ' + explain.planCache : '') +
          (current.cost ? ' · estimated cost ' + current.cost.estimated + ' (limit ' + current.cost.max + ')' : ''))
      : null;

    var coordinate = coordinateAt(explain, current.field);
    var info = coordinate && explain.fields[coordinate];
    var field = info
      ? h('div', { 'data-testid': 'graft-field' }, describeField(coordinate, info))
      : h('p', { 'data-testid': 'graft-field' }, current.field ? 'Run the operation to see where ' + current.field.fieldName + ' comes from.' : 'Put the cursor on a field.');

    var nulls = (current.errors || []).filter(function (error) { return error.path; });
    return h('div', { className: 'graft-panel', style: { padding: '0 12px', overflow: 'auto', height: '100%' } },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'graft'),
      h(Section, { title: 'Query plan' }, facts, plan),
      h(Section, { title: 'Field under the cursor' }, field),
      h(Section, { title: 'Why null' }, nulls.length === 0
        ? h('p', null, 'No null caused by an error.')
        : h('ul', { 'data-testid': 'graft-nulls' }, nulls.map(function (error, index) {
            return h('li', { key: index }, h('code', null, error.path.join('.')), ' — ' + whyNull(error));
          }))));
  }

  watchCursor();
  window.graftPanel = {
    wrapFetcher: wrapFetcher,
    plugin: {
      title: 'graft',
      icon: function () { return h('span', { style: { fontWeight: 700, fontSize: '16px' } }, 'g'); },
      content: function () { return h(GraftPanel); },
    },
  };
})();
`;
}
