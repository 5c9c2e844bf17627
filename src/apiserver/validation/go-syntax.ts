import { isJsonObject, type JsonValue } from '../json.ts';

/**
 * Some kube-apiserver messages print typed Go values with `%#v`; these helpers write the
 * same text for the values users meet in them (label maps and label selectors).
 */
export function goStringMap(value: JsonValue | undefined): string {
  if (!isJsonObject(value)) return 'map[string]string(nil)';
  const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(typeof value[k] === 'string' ? value[k] : '')}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}` */
export function goLabelSelector(selector: JsonValue | undefined): string {
  const s = isJsonObject(selector) ? selector : {};
  const exprs = Array.isArray(s.matchExpressions) ? s.matchExpressions.filter(isJsonObject) : undefined;
  const exprText = exprs === undefined ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map((e) => {
      const values = Array.isArray(e.values) ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)';
      return `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key ?? '')}, Operator:${JSON.stringify(e.operator ?? '')}, Values:${values}}`;
    }).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprText}}`;
}
