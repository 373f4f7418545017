/** A store to narrow a list to, or every store (''): the Insights, Exceptions and Terminals filters. */
export function StoreSelect({
  label,
  anyLabel,
  stores,
  value,
  onChange,
  name,
}: {
  label: string;
  anyLabel: string;
  stores: readonly { storeId: string; name: string }[] | undefined;
  value: string;
  onChange: (storeId: string) => void;
  name?: string;
}) {
  return (
    <label>
      {label}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {(stores ?? []).map((s) => (
          <option key={s.storeId} value={s.storeId}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
