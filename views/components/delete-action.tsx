// Deleting from the portal: a control that asks first (hx-confirm) and still works without
// JavaScript, and the list-row cell that holds it.
import type { Nav } from '../layout.tsx'

export interface Deletion {
  nav: Nav
  /**
   * The object's portal path (`repositories/web`). htmx POSTs to `<path>/delete`; without
   * JavaScript the control is a link to the page there that asks first.
   */
  path: string
  /** The kind in words ("deploy key"). Without spaces it is the id's middle: `delete-deploykey-<name>`. */
  what: string
  /** The object's name. */
  name: string
  /** How people know the object when not by its name: a username, a key title. */
  shown?: string
  /** "Remove" where only someone's access ends. */
  verb?: 'Delete' | 'Remove'
  /** The consequence, asked before anything is sent. */
  question: string
  /** What the answer replaces; the control's table row unless said otherwise. */
  target?: string
}

/** The control: visibly `label` (the verb alone by default), for screen readers "<verb> <what> <shown>". */
export function DeleteAction(p: Deletion & { label?: string }) {
  const verb = p.verb ?? 'Delete'
  const href = p.nav.href(`${p.path}/delete`)
  return (
    <a
      id={`delete-${p.what.replaceAll(' ', '')}-${p.name}`}
      class="button danger small"
      href={href}
      hx-post={href}
      hx-confirm={p.question}
      hx-target={p.target ?? 'closest tr'}
      hx-swap="outerHTML"
      aria-label={`${verb} ${p.what} ${p.shown ?? p.name}`}
      safe
    >
      {p.label ?? verb}
    </a>
  )
}

/** A list row's last cell: the delete control, left empty once the object is being deleted. */
export function DeleteCell({
  object,
  ...deletion
}: Omit<Deletion, 'name'> & { object: { metadata: { name: string; deletionTimestamp?: string } } }) {
  return (
    <td class="actions">
      {object.metadata.deletionTimestamp ? '' : <DeleteAction name={object.metadata.name} {...deletion} />}
    </td>
  )
}
