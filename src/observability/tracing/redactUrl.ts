/** A URL fit for a span or a log: no user name, password, query or fragment (they may carry secrets). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
