/**
 * Entry point of the composition worker thread (started by startCompositionWorker): composes graphs off the
 * thread that serves requests.
 */
import { composeGraph } from './composeGraph.js';
import { serveCompositionRequests } from './serveCompositionRequests.js';

serveCompositionRequests(composeGraph);
