// Imported `with { type: 'file' }` by src/routes/debug-pages.ts: the default export is its path.
declare const path: string
export default path
