/**
 * The graft panel, a GraphiQL plugin (browser code, served at `/graphiql/graft-panel.js` and run after
 * GraphiQL's own scripts, from local files only). It asks every operation the user runs for an explanation
 * (the `explain.header` request header) and shows, from the last answer: the query plan as a tree (each
 * fetch with its subgraph, level and time) or the stitching fallback and why, with the estimated cost; and
 * why each null in the result is null (denied, rate limited, subgraph error, timeout), from the errors' paths
 * and codes. The field under the cursor needs no run: the schema's introspection asks for the description of
 * every field of the graph (`graft-explain: graph`), and the editor's document is parsed and walked with
 * graphql-js's TypeInfo (GraphiQL's own copy, `GraphiQL.GraphQL`, against the schema GraphiQL loaded) to the
 * field at the cursor: its owning subgraphs, auth requirements, rate limit and cost. It exposes
 * `window.graftPanel = { wrapFetcher, plugin }`.
 */
export function renderGraftPanelScript(explainHeader: string): string {
  return `(function () {
  'use strict';
  var EXPLAIN_HEADER = ${JSON.stringify(explainHeader)};
  var INTROSPECTION = 'IntrospectionQuery';
  var GraphQL = GraphiQL.GraphQL;
  var h = React.createElement;
  var state = { explain: undefined, errors: [], ranAt: 0, cursor: undefined, graph: undefined };
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

  /**
   * Adds the explain header and keeps what comes back: for the operations the user runs, the explanation and
   * errors; for the schema's introspection, the description of every field of that same graph.
   */
  function wrapFetcher(fetcher) {
    return function (params, options) {
      var introspection = params.operationName === INTROSPECTION;
      var headers = Object.assign({}, options && options.headers);
      headers[EXPLAIN_HEADER] = introspection ? 'graph' : 'true';
      var keep = introspection ? recordGraph : record;
      var result = fetcher(params, Object.assign({}, options, { headers: headers }));
      return result && typeof result.then === 'function'
        ? result.then(function (value) { return observe(value, keep); })
        : observe(result, keep);
    };
  }

  /** The result as GraphiQL should show it: without the explanation (the panel shows it). */
  function withoutExplanation(value) {
    var extensions = value.extensions;
    if (!extensions || !('graftExplain' in extensions)) return value;
    var rest = Object.assign({}, extensions);
    delete rest.graftExplain;
    var shown = Object.assign({}, value);
    if (Object.keys(rest).length > 0) shown.extensions = rest;
    else delete shown.extensions;
    return shown;
  }

  /** Keeps the explanation and errors of an operation the user ran. */
  function record(value) {
    if (!value || typeof value !== 'object') return value;
    var extensions = value.extensions;
    update({ explain: extensions && extensions.graftExplain, errors: value.errors || [], ranAt: Date.now() });
    return withoutExplanation(value);
  }

  /** Keeps the field descriptions of the graph the introspection came from (null when explain is off). */
  function recordGraph(value) {
    if (!value || typeof value !== 'object') return value;
    var explain = value.extensions && value.extensions.graftExplain;
    update({ graph: explain && explain.graph ? explain.graph : null });
    return withoutExplanation(value);
  }

  /** A plain result, or (GraphiQL asks for multipart/mixed) a stream of results: each is kept as it comes. */
  function observe(value, keep) {
    if (!value || typeof value[Symbol.asyncIterator] !== 'function') return keep(value);
    var stream = {};
    stream[Symbol.asyncIterator] = function () {
      var inner = value[Symbol.asyncIterator]();
      return {
        next: function () {
          return inner.next().then(function (step) {
            return step.done ? step : { done: false, value: keep(step.value) };
          });
        },
        return: function (returned) {
          return inner.return ? inner.return(returned) : Promise.resolve({ done: true, value: returned });
        },
      };
    };
    return stream;
  }

  /**
   * The field at \`offset\` in the document \`text\`: the innermost field whose selection contains it, with the
   * schema coordinate TypeInfo gives it (through fragments, inline fragments and aliases); undefined when the
   * cursor is on no field, \`{ problem }\` when the document does not parse or the field is not in the schema.
   */
  function fieldAt(schema, text, offset) {
    var parsed;
    try {
      parsed = GraphQL.parse(text);
    } catch (error) {
      return { problem: 'The document does not parse yet: ' + error.message };
    }
    var typeInfo = new GraphQL.TypeInfo(schema);
    var found;
    GraphQL.visit(parsed, GraphQL.visitWithTypeInfo(typeInfo, {
      enter: function (node) {
        // Nothing under a node that does not contain the cursor can be under the cursor.
        if (node.loc && (offset < node.loc.start || offset > node.loc.end)) return false;
        if (node.kind !== 'Field') return undefined;
        var parent = typeInfo.getParentType();
        found = parent && typeInfo.getFieldDef()
          ? { coordinate: parent.name + '.' + node.name.value }
          : { problem: node.name.value + ' is not a field of ' + (parent ? parent.name : 'this type') + '.' };
        return undefined;
      },
    }));
    return found;
  }

  /** Follows the query editor's cursor (CodeMirror 5) once GraphiQL has rendered it. */
  function watchCursor() {
    var element = document.querySelector('.graphiql-query-editor .CodeMirror');
    if (!element || !element.CodeMirror) { setTimeout(watchCursor, 200); return; }
    var editor = element.CodeMirror;
    var onMove = function () {
      update({ cursor: { text: editor.getValue(), offset: editor.indexFromPos(editor.getCursor()) } });
    };
    editor.on('cursorActivity', onMove);
    onMove();
  }

  /** What each error code says about the null at its path. */
  var REASONS = {
    UNAUTHENTICATED: ['denied', 'not authenticated'],
    FORBIDDEN: ['denied', 'not authorized'],
    RATE_LIMITED: ['rate limited', 'a rate limit is spent'],
    SUBGRAPH_TIMEOUT: ['timeout', 'the subgraph did not answer in time'],
    DEADLINE_EXCEEDED: ['timeout', 'the request\\u2019s deadline passed'],
    SUBGRAPH_UNREACHABLE: ['subgraph error', 'the subgraph could not be reached'],
    SUBGRAPH_HTTP_ERROR: ['subgraph error', 'the subgraph answered with an HTTP error'],
    SUBGRAPH_BAD_RESPONSE: ['subgraph error', 'the subgraph answered something that is not GraphQL'],
    CIRCUIT_OPEN: ['subgraph error', 'the subgraph is failing (circuit open)'],
    DOWNSTREAM_SERVICE_ERROR: ['subgraph error', 'the subgraph returned an error'],
  };
  function whyNull(error) {
    var code = error.extensions && error.extensions.code;
    var service = error.extensions && error.extensions.serviceName;
    var known = Object.prototype.hasOwnProperty.call(REASONS, code) ? REASONS[code] : undefined;
    var kind = known ? known[0] : service ? 'subgraph error' : 'error';
    var detail = (known ? known[1] + ' · ' : '') + (service ? service + ' · ' : '') + (code ? code + ': ' : '') + error.message;
    return { kind: kind, detail: detail };
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

  function FieldUnderCursor(props) {
    var schemaContext = GraphiQL.React.useSchemaContext();
    var schema = schemaContext && schemaContext.schema;
    var cursor = props.cursor;
    var found = React.useMemo(function () {
      return schema && cursor ? fieldAt(schema, cursor.text, cursor.offset) : undefined;
    }, [schema, cursor]);
    var message;
    if (!schema) message = 'The schema has not loaded yet.';
    else if (!found) message = 'Put the cursor on a field.';
    else if (found.problem) message = found.problem;
    else if (props.graph === null) message = found.coordinate + ': no field descriptions, explain is off on this gateway (explain.enabled).';
    else if (!props.graph) message = found.coordinate + ': loading the field descriptions\u2026';
    if (message) return h('p', { 'data-testid': 'graft-field' }, message);
    var info = props.graph.fields[found.coordinate];
    return h('div', { 'data-testid': 'graft-field' }, describeField(found.coordinate, info || { owners: [] }));
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
    var cost = explain && explain.cost;
    var facts = explain
      ? h('p', { 'data-testid': 'graft-plan-facts' }, (explain.executed ? 'Path: ' + explain.path + (explain.planCache ? ' \u00b7 plan cache ' + explain.planCache : '') : '') +
          (cost ? (explain.executed ? ' \u00b7 ' : '') + 'estimated cost ' + cost.estimated + ' (limit ' + cost.max + ', ' + cost.mode + (cost.exceeded ? ', exceeded' : '') + ')' : ''))
      : null;

    var nulls = (current.errors || []).filter(function (error) { return error.path; });
    return h('div', { className: 'graft-panel', style: { padding: '0 12px', overflow: 'auto', height: '100%' } },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'graft'),
      h(Section, { title: 'Query plan' }, facts, plan),
      h(Section, { title: 'Field under the cursor' }, h(FieldUnderCursor, { cursor: current.cursor, graph: current.graph })),
      h(Section, { title: 'Why null' }, nulls.length === 0
        ? h('p', null, 'No null caused by an error.')
        : h('ul', { 'data-testid': 'graft-nulls' }, nulls.map(function (error, index) {
            var why = whyNull(error);
            return h('li', { key: index, 'data-path': error.path.join('.'), 'data-reason': why.kind },
              h('code', null, error.path.join('.')), ' \u2014 ', h('strong', null, why.kind), ': ' + why.detail);
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
