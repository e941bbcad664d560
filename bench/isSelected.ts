import type { BenchSettings } from './readBenchSettings.js';
/** Whether a row or pair of this name is to run under `BENCH_ONLY`. */
export function isSelected(settings: BenchSettings, name: string): boolean {
  const lowerName = name.toLowerCase();
  return settings.only.length === 0 || settings.only.some((part) => lowerName.includes(part));
}
