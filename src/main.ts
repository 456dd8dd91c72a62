#!/usr/bin/env bun
// Composition root and CLI: the only module that picks concrete implementations.
import { startApiServer } from './apiserver/server.ts'
import { startDev } from './commands/dev.ts'
import { formatInit, runInit } from './commands/init.ts'
import { startProduct } from './commands/serve.ts'
import { type Config, ConfigError, loadConfig, redactedConfig } from './config.ts'
import { createLogger } from './log.ts'
import { runSandbox } from './sandbox/cli.ts'

/** A command that failed for a reason worth one line (no stack trace): exit 1 with the message. */
class CommandFailed extends Error {}

interface Command {
  summary: string
  run: (config: Config, args: string[]) => Promise<void> | void
}

const commands: Record<string, Command> = {
  serve: {
    summary: 'run the provider (against CODE_KUBECONFIG, or the embedded API server when unset)',
    run: async (config) => {
      const product = await startProduct(config, createLogger(config.logLevel))
      const halted = await Promise.race([untilSignal().then(() => undefined), product.halted])
      // Leadership lost: exit at once without a clean stop (as controller-runtime does); a restart stands by.
      if (halted !== undefined) throw new CommandFailed(`serve stopped: ${halted}`)
      await product.stop()
    },
  },
  dev: {
    summary: 'run everything on this machine: API server, GitHub sandbox, provider, portal (npm start)',
    run: async (config) => {
      const dev = await startDev(config, createLogger(config.logLevel))
      console.log(dev.banner)
      await untilSignal()
      await dev.stop()
    },
  },
  init: {
    summary:
      'bootstrap the provider workspace (schemas, APIExport, endpoint slice, bind grant, CatalogEntry), then exit',
    run: async (config) => {
      const result = await runInit(config).catch((e: Error) => {
        throw new CommandFailed(`init failed: ${e.message}`)
      })
      console.log(formatInit(result))
    },
  },
  config: {
    summary: 'print the effective configuration (secrets redacted)',
    run: (config) => console.log(JSON.stringify(redactedConfig(config), null, 2)),
  },
  sandbox: {
    summary: 'run the GitHub sandbox (offline GitHub REST emulator) [--port N] [--host H]',
    run: (config, args) => runSandbox(config, args),
  },
  apiserver: {
    summary: 'run the embedded kcp-compatible API server alone',
    run: async (config) => {
      const server = await startApiServer({
        addr: config.apiserverAddr,
        dataDir: config.dataDir,
        workspacePath: config.workspacePath,
        log: (line) => console.log(line),
      })
      console.log(`apiserver: try  kubectl --kubeconfig ${server.tenants['root:acme']?.kubeconfig} get repositories`)
      await untilSignal()
      await server.stop()
    },
  },
}

/** Resolves on SIGINT or SIGTERM, so a command can shut down cleanly. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
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
    if (e instanceof CommandFailed) {
      console.error(e.message)
      return 1
    }
    throw e
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2))
  if (code !== 0) process.exit(code)
}
