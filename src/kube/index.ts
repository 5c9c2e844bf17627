/**
 * The host's Kubernetes client: configuration, REST, watches, discovery and shared informers.
 * Other folders import from here only. See docs/kube-client.md for the contracts.
 */
export { loadKubeConfig, type KubeConfigSources } from './kubeconfig.ts';
export type { AuthConfig, ExecPluginConfig, Impersonation, RestConfig, TlsConfig } from './rest-config.ts';
export { KubeClient, defaultRateLimit, patchContentTypes, type KubeClientOptions, type KubeClientStats, type KubeRequest, type Query } from './rest-client.ts';
export { KubeResponse } from './kube-response.ts';
export type { WatchRequest, WatchStream } from './watch-request.ts';
export type { WatchEvent, WatchEventType } from './watch-stream.ts';
export { TokenBucket, type RateLimit } from './rate-limiter.ts';
export type { CredentialSource, Credentials } from './auth/credentials.ts';
export type { Clock } from './clock.ts';
export type { KubeLogger } from './logger.ts';
export { objectKey, refOf, type KubeObject, type ObjectMeta, type ObjectRef } from './kube-object.ts';
export {
  ExecCredentialError,
  InformerStoppedError,
  KindNotFoundError,
  KubeApiError,
  KubeConfigError,
  KubeTransportError,
  LabelSelectorError,
  WatchStreamError,
  isApiStatus,
  type KubeStatus,
  type KubeStatusCause,
  type KubeStatusDetails,
} from './errors.ts';
export { apiVersionOf, collectionPath, objectPath, parseApiVersion, type ApiResource } from './api-resource.ts';
export { RestMapper } from './discovery.ts';
export { formatLabelSelector, labelSelectorFromObject, matchesLabels, parseLabelSelector, type LabelRequirement, type LabelSelector, type LabelSelectorObject } from './label-selector.ts';
export { labelKeyProblem, labelValueProblem } from './label-names.ts';
export type { ListOptions, ObjectChange, StoreReader } from './object-store.ts';
export type { ReflectorCounters, ReflectorState } from './reflector.ts';
export type { InformerScope } from './api-lister-watcher.ts';
export { Informer, type InformerEvent, type InformerHandler, type InformerHealth, type InformerReader } from './informer.ts';
export { InformerRegistry, informerKey, type InformerRegistryOptions, type InformerSubscription } from './informer-registry.ts';
export { LeaderElector, decideLease, microTime, type LeaderCallbacks, type LeaderElectionOptions, type LeaseDecision, type LeaseSpec } from './leader-election.ts';
