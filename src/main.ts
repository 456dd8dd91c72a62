#!/usr/bin/env bun
// Composition root and CLI: the only module that picks concrete implementations.
import { type Config, ConfigError, loadConfig, redactedConfig } from './config.ts'
import { runSandbox } from './sandbox/cli.ts'

interface Command {
  summary: string
  run: (config: Config, args: string[]) => Promise<void> | void
}

const commands: Record<string, Command> = {
  config: {
    summary: 'print the effective configuration (secrets redacted)',
    run: (config) => console.log(JSON.stringify(redactedConfig(config), null, 2)),
  },
  sandbox: {
    summary: 'run the GitHub sandbox (offline GitHub REST emulator) [--port N] [--host H]',
    run: (config, args) => runSandbox(config, args),
  },
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length))
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return `code-provider: reconcile git repositories and access from kcp workspaces

usage: code-provider <command> [flags]

commands:
${lines.join('\n')}

Configuration comes from environment variables; see README.md.`
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage())
    return 0
  }
  const command = commands[name]
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`)
    return 2
  }
  try {
    await command.run(loadConfig(), args)
    return 0
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message)
      return 2
    }
    throw e
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2))
  if (code !== 0) process.exit(code)
}
