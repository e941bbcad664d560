/** A promise the test opens when it chooses: lets a test hold a request at a known point without sleeping. */
export function createGate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
