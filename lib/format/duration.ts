/** 300 -> "5 minutes", 90 -> "90 seconds", 7200 -> "2 hours", null -> "never". Pure. */
export function describeSeconds(seconds: number | null): string {
  if (seconds === null) return "never";
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (seconds >= 3600 && seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds >= 60 && seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}
