// Argument schemas several tools share. Names are checked again by validateCodeObject, which
// reports the Kubernetes rule (lowercase RFC 1123) with the argument that broke it.
import { z } from 'zod'

export const objectName = (description: string) =>
  z.string().min(1).max(253).describe(`${description} Lowercase letters, digits, "-" and ".".`)

export const repositoryRef = () =>
  z.string().min(1).max(253).describe('Name of the Repository object in this workspace (see list_repositories).')
