/** One POST of a GraphQL body; resolves the status and the raw response text. */
export async function postGraphql(url: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  return { status: response.status, text: await response.text() };
}
