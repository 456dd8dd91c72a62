export const GROUP = 'code.kedge.faros.sh'
export const VERSION = 'v1alpha1'
export const API_VERSION = `${GROUP}/${VERSION}`
/** The kcp APIExport through which tenants bind these kinds. */
export const EXPORT_NAME = 'code.providers.kedge.faros.sh'
export const CATEGORY = 'kedge'
