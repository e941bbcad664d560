/** Field usage per client: counting (the plugin and recorder), and the reads checks and `graft usage` make. */
export { openUsage, type Usage, type UsageChecks } from './openUsage.js';
export { createUsagePlugin } from './createUsagePlugin.js';
export type { UsedBreakingChange, UsageVerdict, ChangeUsage } from './assessBreakingChanges.js';
export type { FieldUsageReport } from './reportFieldUsage.js';
