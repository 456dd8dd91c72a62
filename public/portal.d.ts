// Imported `with { type: 'file' }` by src/routes/portal-assets.ts: the default export is its path.
declare const path: string
export default path
