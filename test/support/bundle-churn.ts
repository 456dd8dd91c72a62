// A second process on the same bundle directory (for the store's multi-process test): puts the
// same files, checks they are there, gives the lease back; `count` times. Prints "ok <n>" or the failure.
import { createFsBundleStore } from '../../src/bundles/fs/fs-bundle-store.ts'

const [dir, scope, countText] = process.argv.slice(2) as [string, string, string]
const store = createFsBundleStore({ dir })
const files = [
  { path: 'shared/a.txt', content: 'the same content in both processes\n' },
  { path: 'shared/b.bin', content: new Uint8Array(64 * 1024).fill(7) },
]
let ok = 0
for (let i = 0; i < Number(countText); i++) {
  const info = await store.put(scope, files)
  const got = await store.get(scope, info.name)
  if (!got) {
    console.log(`missing after put (round ${i})`)
    process.exit(1)
  }
  await store.delete(scope, info.name)
  ok++
}
console.log(`ok ${ok}`)
