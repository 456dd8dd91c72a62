// The Debian python3-kubernetes client (not written here) against the embedded API server:
// discovery models, list, create, watch from a resourceVersion, and ApiException(410) once that
// resourceVersion has left the watch window.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTestApiServer, type TestApiServer } from './support/apiserver.ts'
import { pythonWithKubernetes } from './support/tools.ts'

let api: TestApiServer

const script = `
import json, sys, threading
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
out = {}
out['version'] = client.VersionApi().get_code().git_version
custom = client.CustomObjectsApi()
core = client.CoreV1Api()
G, V, P = 'code.kedge.faros.sh', 'v1alpha1', 'repositories'
repo = lambda n: {'apiVersion': G + '/' + V, 'kind': 'Repository', 'metadata': {'name': n}, 'spec': {'connectionRef': 'github', 'name': n}}

custom.create_cluster_custom_object(G, V, P, repo('py-one'))
try:
    custom.create_cluster_custom_object(G, V, P, repo('py-one'))
except ApiException as e:
    out['conflict'] = e.status
listed = custom.list_cluster_custom_object(G, V, P)
out['listed'] = [o['metadata']['name'] for o in listed['items']]
rv = listed['metadata']['resourceVersion']
custom.create_cluster_custom_object(G, V, P, repo('py-two'))
custom.patch_cluster_custom_object_status(G, V, P, 'py-two', {'status': {'htmlURL': 'https://x/py-two'}})
events = []
w = watch.Watch()
for ev in w.stream(custom.list_cluster_custom_object, G, V, P, resource_version=rv, allow_watch_bookmarks=True, timeout_seconds=5):
    if ev['type'] == 'BOOKMARK':
        continue
    events.append([ev['type'], ev['object']['metadata']['name']])
    if len(events) == 2:
        w.stop()
out['events'] = events
out['secrets'] = [s.metadata.name for s in core.list_namespaced_secret('default').items]

for i in range(12):
    core.create_namespaced_config_map('default', {'metadata': {'name': 'churn-%d' % i}})
try:
    for ev in watch.Watch().stream(custom.list_cluster_custom_object, G, V, P, resource_version=rv, timeout_seconds=5):
        pass
    out['expired'] = 'no error'
except ApiException as e:
    out['expired'] = e.status
print(json.dumps(out))
`

beforeAll(async () => {
  api = await startTestApiServer({ watchWindow: 5 })
})
afterAll(() => api.stop())

test('list, create, watch and 410 through the python client', async () => {
  const p = Bun.spawn([pythonWithKubernetes(), '-c', script, api.tenants['root:acme']!.kubeconfig], {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (code !== 0) throw new Error(`python failed: ${err}`)
  const result = JSON.parse(out)
  expect(result).toEqual({
    version: 'v1.34.0+code-provider',
    conflict: 409,
    listed: ['py-one'],
    events: [
      ['ADDED', 'py-two'],
      ['MODIFIED', 'py-two'],
    ],
    secrets: [],
    expired: 410,
  })
}, 60_000)
