// Rules the dependency checker cannot see: where the environment is read, where time comes from.
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Glob } from 'bun'

const root = join(import.meta.dir, '..')
const sources = (pattern: string) =>
  [...new Glob(pattern).scanSync(root)].filter((f) => !/\.test\.tsx?$/.test(f)).sort()

const offenders = (files: string[], re: RegExp) => files.filter((f) => re.test(readFileSync(join(root, f), 'utf8')))

test('only src/config.ts reads the environment', () => {
  const files = sources('{src,views}/**/*.{ts,tsx}').filter((f) => f !== 'src/config.ts')
  expect(offenders(files, /process\.env|Bun\.env|import\.meta\.env/)).toEqual([])
})

test('machines are pure: no clocks, timers, randomness or I/O', () => {
  const files = sources('src/machines/**/*.ts')
  expect(offenders(files, /Date\.now\(|new Date\(|setTimeout\(|setInterval\(|Math\.random\(|fetch\(|Bun\./)).toEqual([])
})

test('no index.ts barrels inside src (import the file that defines the thing)', () => {
  expect(sources('src/**/index.ts')).toEqual([])
})
