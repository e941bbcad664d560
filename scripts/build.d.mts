export function build(): Promise<void>;
export function isBuildStale(): boolean;
export function ensureBuilt(options?: { log?: (line: string) => void }): Promise<void>;
