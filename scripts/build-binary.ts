// Builds code-provider into one executable: `bun build --compile` of src/main.ts, with every
// module and the files it imports `with { type: 'file' }` embedded. The Dockerfile, `npm run
// build` and test/binary.test.ts all build through this script, so what is tested is what ships.
//
//   bun scripts/build-binary.ts [outfile]        (default dist/code-provider, from the current directory)
import { statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = join(import.meta.dir, '..')

export interface BuiltBinary {
  path: string
  bytes: number
  ms: number
}

/** The build command, for people and for the Dockerfile's log. */
export const buildCommand = (outfile: string): string[] => [
  process.execPath,
  'build',
  '--compile',
  '--minify',
  '--sourcemap',
  join(root, 'src/main.ts'),
  '--outfile',
  outfile,
]

export async function buildBinary(outfile: string): Promise<BuiltBinary> {
  const path = resolve(outfile)
  const started = performance.now()
  const p = Bun.spawn(buildCommand(path), { cwd: root, stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (code !== 0) throw new Error(`bun build --compile failed (${code}):\n${out}${err}`)
  return { path, bytes: statSync(path).size, ms: Math.round(performance.now() - started) }
}

if (import.meta.main) {
  const built = await buildBinary(process.argv[2] ?? 'dist/code-provider')
  console.log(`built ${built.path}: ${(built.bytes / 1024 / 1024).toFixed(1)} MiB in ${(built.ms / 1000).toFixed(1)} s`)
}
