// Files imported `with { type: 'file' }` are paths: Bun serves them from node_modules in
// development and embeds them in the compiled binary (which has no node_modules).
declare module 'htmx.org/dist/htmx.min.js' {
  const path: string
  export default path
}
