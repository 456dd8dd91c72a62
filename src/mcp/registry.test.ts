import { describe, expect, test } from 'bun:test'
import { allTools, checkToolsets, narrow, selectTools, toolsets } from './registry.ts'
import { toolListing } from './server.ts'
import { toolsetNames } from './tool.ts'

describe('tool definitions', () => {
  test('snapshot: names, toolsets, annotations, input and output schemas', () => {
    expect(allTools.map((t) => ({ toolset: t.toolset, ...toolListing(t) }))).toMatchSnapshot()
  })

  test('every upstream tool is here, plus the additions', () => {
    const upstream = [
      'list_connections',
      'list_repositories',
      'create_connection',
      'create_repository',
      'delete_repository',
      'commit_files',
      'add_deploy_key',
      'add_collaborator',
      'remove_collaborator',
      'checkout_repository',
      'build_status',
      'rebuild',
    ]
    const added = [
      'get_repository',
      'update_repository',
      'list_deploy_keys',
      'remove_deploy_key',
      'list_collaborators',
      'list_packages',
      'delete_connection',
    ]
    expect(allTools.map((t) => t.name).sort()).toEqual([...upstream, ...added].sort())
  })

  test('annotations are consistent: a read-only tool is never destructive, removals are destructive', () => {
    for (const t of allTools) {
      if (t.annotations.readOnlyHint) expect(t.annotations.destructiveHint).toBe(false)
      if (/^(delete|remove)_/.test(t.name))
        expect(t.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false })
      if (/^(list|get)_/.test(t.name)) expect(t.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false })
    }
  })

  test('no input accepts, and no output returns, anything named like a credential', () => {
    const credential = /^(token|accessToken|password|secret|privateKey|credential|stringData|data)$/i
    for (const t of allTools) {
      const l = toolListing(t)
      const keys = [...JSON.stringify([l.inputSchema, l.outputSchema]).matchAll(/"([A-Za-z]+)":\{/g)].map((m) => m[1]!)
      expect(keys.length).toBeGreaterThan(0)
      expect(keys.filter((k) => credential.test(k))).toEqual([])
    }
  })
})

describe('selection', () => {
  test('read-only removes write tools even when their toolset is allowed', () => {
    const names = selectTools({ readOnly: true, toolsets: ['repositories', 'content'] }).map((t) => t.name)
    expect(names).toEqual(['list_repositories', 'get_repository', 'checkout_repository'])
  })

  test('every toolset has tools, and all of them together are every tool', () => {
    for (const name of toolsetNames) expect(toolsets[name].length).toBeGreaterThan(0)
    expect(selectTools({ readOnly: false }).length).toBe(allTools.length)
  })

  test('a request narrows the server selection and never widens it', () => {
    expect(narrow({ readOnly: false }, { readOnly: true })).toEqual({ readOnly: true })
    expect(narrow({ readOnly: true }, { readOnly: false })).toEqual({ readOnly: true })
    expect(narrow({ readOnly: false, toolsets: ['packages'] }, { toolsets: ['packages', 'content'] })).toEqual({
      readOnly: false,
      toolsets: ['packages'],
    })
    expect(narrow({ readOnly: false, toolsets: ['packages'] }, {})).toEqual({ readOnly: false, toolsets: ['packages'] })
  })

  test('unknown toolsets are named with the known ones', () => {
    expect(() => checkToolsets(['repos', 'access', 'keys'], 'CODE_MCP_TOOLSETS')).toThrow(
      'CODE_MCP_TOOLSETS: unknown toolsets repos, keys (known: connections, repositories, access, content, builds, packages)',
    )
    expect(() => checkToolsets(undefined, 'x')).not.toThrow()
  })
})
