/**
 * Codes of `GET /admin/usage` and `graft usage` answers (`{ error: { code, message } }`). Public API, like
 * every error code list: never renamed or reused.
 */
export const UsageAdminErrorCode = {
  /** `window` is not a duration or `limit` is not a whole number of fields. HTTP 400. */
  INVALID_USAGE_QUERY: 'INVALID_USAGE_QUERY',
  /** `graft usage --config` on a config whose usage lives in each gateway's memory. HTTP 400. */
  USAGE_NOT_SHARED: 'USAGE_NOT_SHARED',
  /** `usage.enabled` is false: nothing is counted. HTTP 404. */
  USAGE_NOT_COUNTED: 'USAGE_NOT_COUNTED',
  /** The usage store cannot be read (Redis away). HTTP 503. */
  USAGE_UNAVAILABLE: 'USAGE_UNAVAILABLE',
} as const;

export type UsageAdminErrorCode = (typeof UsageAdminErrorCode)[keyof typeof UsageAdminErrorCode];
