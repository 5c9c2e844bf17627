/**
 * kube-apiserver's checks of list and watch options (ValidateListOptions): resourceVersionMatch
 * needs a resourceVersion and no continue, `Exact` is not for "0", a watch takes
 * resourceVersionMatch only as `NotOlderThan` with sendInitialEvents, and a list never takes
 * sendInitialEvents. Problems are one 422 naming `ListOptions.meta.k8s.io`.
 */
import { forbidden, notSupported, type FieldError } from '../field-error.ts';
import { optionsInvalid } from './write-options.ts';

export function validateListOptions(query: URLSearchParams, watch: boolean): void {
  const errors: FieldError[] = [];
  const match = query.get('resourceVersionMatch') ?? '';
  const rv = query.get('resourceVersion') ?? '';
  const continued = (query.get('continue') ?? '') !== '';
  const sendInitialEvents = query.get('sendInitialEvents');
  if (watch) {
    if (sendInitialEvents !== null && match !== 'NotOlderThan') {
      errors.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (match !== '') {
      if (sendInitialEvents === null) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (continued) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match !== '') {
      if (rv === '') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (continued) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && rv === '0') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (sendInitialEvents !== null) errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errors.length > 0) throw optionsInvalid('ListOptions', errors);
}
