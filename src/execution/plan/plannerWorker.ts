/**
 * Entry point of the planner worker thread (started by startPlannerWorker): holds the query planners of the
 * graphs being served, off the thread that serves requests.
 */
import { servePlannerRequests } from './servePlannerRequests.js';

servePlannerRequests();
