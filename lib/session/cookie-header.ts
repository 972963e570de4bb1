/**
 * Sets one cookie in a raw Cookie request header, leaving every other cookie byte for byte as it was
 * (Kratos' session cookie must reach Kratos exactly as the browser sent it). Pure.
 */
export function replaceCookie(header: string, name: string, value: string): string {
  const kept = header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && part.split("=", 1)[0] !== name);
  kept.push(`${name}=${value}`);
  return kept.join("; ");
}
