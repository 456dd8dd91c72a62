// Kubernetes object metadata and the shared sub-schemas every kind uses.
import { type Static, Type } from '@sinclair/typebox'
import { Int64, Name, Str, StringEnum, Timestamp } from './schema.ts'

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

export interface ObjectMeta {
  name: string
  generateName?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
  ownerReferences?: OwnerReference[]
}

export interface KubeObject<Spec = unknown, Status = unknown> {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec: Spec
  status?: Status
}

export const conditionStatuses = ['True', 'False', 'Unknown'] as const

/** metav1.Condition, with the validation the Kubernetes API applies to it. */
export const Condition = Type.Object({
  type: Type.String({
    minLength: 1,
    maxLength: 316,
    pattern:
      '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    description: 'Type of condition in CamelCase, e.g. Ready.',
  }),
  status: StringEnum(conditionStatuses, 'Status of the condition: True, False or Unknown.'),
  observedGeneration: Type.Optional(Int64('The metadata.generation this condition was set for.', { minimum: 0 })),
  lastTransitionTime: Timestamp('When the condition last changed from one status to another.'),
  reason: Type.String({
    minLength: 1,
    maxLength: 1024,
    pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    description: 'Programmatic identifier for the last transition, in CamelCase.',
  }),
  message: Str(32768, 'Human-readable details of the last transition.'),
})
export type Condition = Static<typeof Condition>

export const Conditions = Type.Array(Condition, {
  maxItems: 20,
  description: 'Latest observations of the object state.',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
})

export const ObservedGeneration = Int64('The metadata.generation the controller last acted on.', { minimum: 0 })

export const LocalSecretReference = Type.Object({
  name: Name('Name of the Secret.'),
  namespace: Type.Optional(
    Str(253, 'Namespace of the Secret; empty means the provider credentials namespace (default "default").'),
  ),
  key: Type.Optional(Str(253, 'Data key inside the Secret; empty means the kind-specific default.')),
})
export type LocalSecretReference = Static<typeof LocalSecretReference>
