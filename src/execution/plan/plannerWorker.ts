/**
 * Entry point of a planner worker thread (one per graph, started by planOnWorkerThreads): holds the query
 * planner of one graph, off the thread that serves requests.
 */
import { servePlannerRequests } from './servePlannerRequests.js';

servePlannerRequests();
