/**
 * Prints an admin answer as the CLI's commands do: JSON on stdout with exit code 0 on success; on stderr with
 * exit code 1 when refused, 2 when the command could not run at all (5xx).
 */
export function printAdminResponse(response: { readonly status: number; readonly body: unknown }): void {
  const output = `${JSON.stringify(response.body, null, 2)}\n`;
  if (response.status < 300) {
    process.stdout.write(output);
    return;
  }
  process.stderr.write(output);
  process.exitCode = response.status >= 500 ? 2 : 1;
}
