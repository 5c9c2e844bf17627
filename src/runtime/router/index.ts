/** From informer events to reconcile requests: routing rules (label selectors come from src/kube). */
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
