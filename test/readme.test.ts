// The README cannot drift from the code: its configuration table against src/config.ts, its Helm
// values table against chart/values.yaml, and its shell commands: every ```sh block parses, and
// the blocks marked ```sh runnable run as written (kubectl, helm, init, the binary build) in a
// copy of the repository whose .data/ belongs to an embedded API server started here.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { loadConfig } from '../src/config.ts'
import { startTestApiServer, type TestApiServer } from './support/apiserver.ts'
import { helmPath, kubectlPath } from './support/tools.ts'

const root = join(import.meta.dir, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

/** The text of a `## title` section, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`)
  if (start < 0) throw new Error(`README has no section "${title}"`)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end < 0 ? undefined : end)
}

/** Table rows (cells, trimmed) of a markdown text, without header and separator rows. */
function rows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'))
  return lines
    .map((l) =>
      l
        .slice(1, l.lastIndexOf('|'))
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    )
    .filter((cells, i) => i > 0 && !/^-+$/.test(cells[0]!.replaceAll(' ', '')) && !cells[0]!.startsWith('---'))
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]!)

describe('configuration table', () => {
  const table = rows(section('Configuration'))
  const documented = table.map((cells) => ({ vars: ticked(cells[0]!), defaults: ticked(cells[1]!) }))
  const source = readFileSync(join(root, 'src/config.ts'), 'utf8')
  const read = [...new Set([...source.matchAll(/\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!))].sort()
  // With OAuth configured, so the variables that only matter then are compared too.
  const base = {
    GITHUB_OAUTH_CLIENT_ID: 'id',
    GITHUB_OAUTH_CLIENT_SECRET: 'secret',
    GITHUB_OAUTH_REDIRECT_URL: 'https://hub.example.com/oauth/github/callback',
  }

  test('every variable src/config.ts reads has a row, and every row is read', () => {
    expect(read.length).toBeGreaterThan(30)
    expect(documented.flatMap((d) => d.vars).sort()).toEqual(read)
  })

  test('setting a variable to its documented default changes nothing', () => {
    const checked: string[] = []
    for (const { vars, defaults } of documented) {
      if (defaults.length === 0) continue // "unset", "all": nothing to set
      expect(defaults.length === vars.length || `${vars} has ${defaults.length} defaults`).toBe(true)
      vars.forEach((name, i) => {
        const value = defaults[i]!.replace('<tmp>', tmpdir())
        expect({ name, config: loadConfig({ ...base, [name]: value }) }).toEqual({ name, config: loadConfig(base) })
        checked.push(name)
      })
    }
    expect(checked).toContain('CODE_COMMIT_BUNDLE_DIR')
    expect(checked.length).toBeGreaterThan(20)
  })
})

describe('Helm values table', () => {
  const values = parse(readFileSync(join(root, 'chart/values.yaml'), 'utf8'))
  const table = rows(section('Production install')).filter((cells) => cells.length === 3)
  /** `a.b.name`, `.key` → `a.b.name`, `a.b.key`; `x`, `y` → `x`, `y`. */
  const keysOf = (cell: string) => {
    let parent = ''
    return ticked(cell).map((k) => {
      const key = k.startsWith('.') ? `${parent}${k}` : k
      parent = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : ''
      return key
    })
  }
  const at = (path: string): unknown =>
    path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], values)
  const leaves = (o: unknown, prefix = ''): string[] =>
    o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length > 0
      ? Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
      : [prefix]
  const documented = table.map((cells) => ({ keys: keysOf(cells[0]!), defaults: ticked(cells[1]!) }))
  const keys = documented.flatMap((d) => d.keys)

  test('every value has a row, and every row names a value', () => {
    const covered = (leaf: string) => keys.some((k) => leaf === k || leaf.startsWith(`${k}.`))
    expect(leaves(values).filter((l) => !covered(l))).toEqual([])
    expect(keys.filter((k) => at(k) === undefined)).toEqual([])
  })

  test('the written defaults are the defaults', () => {
    const rowsWithDefaults = documented.filter((d) => d.defaults.length === d.keys.length)
    expect(rowsWithDefaults.length).toBeGreaterThan(30)
    for (const { keys, defaults } of rowsWithDefaults) {
      keys.forEach((key, i) => {
        expect({ key, value: parse(defaults[i]!) }).toEqual({ key, value: at(key) })
      })
    }
  })
})

describe('shell commands', () => {
  const blocks = [...readme.matchAll(/^```(sh[^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    info: m[1]!.trim(),
    script: m[2]!,
    line: readme.slice(0, m.index).split('\n').length,
  }))
  const runnable = blocks.filter((b) => /^sh\s+runnable\b/.test(b.info))

  async function bash(args: string[], script: string, cwd: string, env: Record<string, string>) {
    const p = Bun.spawn(['bash', ...args], { cwd, env, stdin: new Blob([script]), stdout: 'pipe', stderr: 'pipe' })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    return { out, err, code }
  }

  test('every ```sh block is valid shell', async () => {
    expect(blocks.length).toBeGreaterThan(10)
    for (const b of blocks) {
      const r = await bash(['-n'], b.script, root, { PATH: process.env.PATH ?? '' })
      expect({ line: b.line, err: r.err }).toEqual({ line: b.line, err: '' })
    }
  })

  describe('the runnable ones, as written', () => {
    let api: TestApiServer
    let work: string
    let env: Record<string, string>

    beforeAll(async () => {
      // A copy of the repository made of links, except .data (the server's) and what commands write.
      work = mkdtempSync(join(tmpdir(), 'code-readme-'))
      for (const entry of readdirSync(root)) {
        if (!['.data', 'dist', '.git'].includes(entry)) symlinkSync(join(root, entry), join(work, entry))
      }
      api = await startTestApiServer({ dataDir: join(work, '.data') })
      const bin = join(work, '.bin')
      mkdirSync(bin)
      symlinkSync(kubectlPath(), join(bin, 'kubectl'))
      symlinkSync(helmPath(), join(bin, 'helm'))
      mkdirSync(join(work, '.home'))
      env = {
        PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOME: join(work, '.home'),
      }
    })
    afterAll(async () => {
      await api?.stop()
      rmSync(work, { recursive: true, force: true })
    })

    test('there are runnable blocks for kubectl, init, helm and the binary', () => {
      const all = runnable.map((b) => b.script).join('\n')
      for (const command of [
        'kubectl --kubeconfig',
        'src/main.ts init',
        'helm lint',
        'helm template',
        'npm run build',
      ]) {
        expect(all).toContain(command)
      }
    })

    test('every `helm upgrade --install` renders with its values (as `helm template`)', async () => {
      const commands = blocks
        .flatMap((b) => b.script.replaceAll('\\\n', ' ').split('\n'))
        .filter((l) => /^helm (upgrade --install|install) /.test(l))
      expect(commands.length).toBeGreaterThan(1)
      for (const command of commands) {
        const template = command
          .replace(/^helm (upgrade --install|install) /, 'helm template ')
          .replace('--reuse-values', '')
        const vars = { CLIENT_ID: 'Iv1.readme', CLIENT_SECRET: 'x', HUB_TOKEN: 'x' }
        const r = await bash(['-euo', 'pipefail'], `${template} >/dev/null`, work, { ...env, ...vars })
        expect({ command, err: r.err }).toEqual({ command, err: '' })
      }
    })

    test('each runs without an error', async () => {
      for (const b of runnable) {
        const r = await bash(['-euo', 'pipefail'], b.script, work, env)
        expect({ line: b.line, code: r.code, err: r.code === 0 ? '' : r.err }).toEqual({
          line: b.line,
          code: 0,
          err: '',
        })
      }
    }, 120_000)
  })
})
