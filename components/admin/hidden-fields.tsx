/** Carries the other section's query parameters through a GET form (filters keep the chart period and back). */
export function HiddenFields({ values }: { values: Record<string, string[]> }) {
  return (
    <>
      {Object.entries(values).flatMap(([name, list]) =>
        list.map((v, i) => <input key={`${name}-${i}`} type="hidden" name={name} value={v} />),
      )}
    </>
  );
}
