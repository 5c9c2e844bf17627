/** From informer events to reconcile requests: routing rules and label selectors. */
export {
  EventRouter,
  type InformerSource,
  type OwnerReference,
  type OwnsRule,
  type RoutedEvent,
  type RoutedObject,
  type RoutingRules,
  type TriggerRule,
  type WatchRule,
} from './event-router.ts';
export { formatSelector, matchesSelector, selectorFromObject, type LabelSelector, type Requirement, type Selector } from './label-selector.ts';
export { parseSelector } from './parse-selector.ts';
export { labelKeyProblem, labelValueProblem } from './label-names.ts';
