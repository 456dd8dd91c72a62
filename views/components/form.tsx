// Labelled form fields that show their own errors. Every input has a <label>, hints and errors
// are tied to it with aria-describedby, and an invalid field says so with aria-invalid.

/** Messages per form field name; the key '' holds errors that belong to no single field. */
export type FieldErrors = Record<string, string[]>

interface FieldBase {
  /** Prefix for ids, unique on the page (e.g. `repository-create`). */
  form: string
  name: string
  label: string
  hint?: string
  optional?: boolean
  errors?: FieldErrors
}

const ids = (p: FieldBase) => {
  const id = `${p.form}-${p.name}`
  const messages = p.errors?.[p.name] ?? []
  const described = [p.hint && `${id}-hint`, messages.length > 0 && `${id}-error`].filter(Boolean).join(' ')
  return { id, messages, described: described || undefined, invalid: messages.length > 0 ? 'true' : undefined }
}

function Label({ p, id }: { p: FieldBase; id: string }) {
  return (
    <label for={id}>
      <span safe>{p.label}</span>
      {p.optional ? <span class="optional"> (optional)</span> : ''}
    </label>
  )
}

function HintAndErrors({ p, id, messages }: { p: FieldBase; id: string; messages: string[] }) {
  return (
    <>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {p.hint}
        </p>
      ) : (
        ''
      )}
      {messages.length > 0 ? (
        <p class="field-error" id={`${id}-error`} safe>
          {messages.join(' ')}
        </p>
      ) : (
        ''
      )}
    </>
  )
}

export function TextField(
  p: FieldBase & {
    value?: string
    type?: 'text' | 'password' | 'url' | 'search'
    required?: boolean
    autocomplete?: string
    placeholder?: string
  },
) {
  const { id, messages, described, invalid } = ids(p)
  return (
    <div class="field">
      <Label p={p} id={id} />
      <input
        type={p.type ?? 'text'}
        id={id}
        name={p.name}
        value={p.type === 'password' ? undefined : p.value}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        autocomplete={p.autocomplete ?? 'off'}
        placeholder={p.placeholder}
        aria-describedby={described}
        aria-invalid={invalid}
        spellcheck="false"
      />
      <HintAndErrors p={p} id={id} messages={messages} />
    </div>
  )
}

export function TextAreaField(p: FieldBase & { value?: string; rows?: number; placeholder?: string }) {
  const { id, messages, described, invalid } = ids(p)
  return (
    <div class="field">
      <Label p={p} id={id} />
      <textarea
        id={id}
        name={p.name}
        rows={String(p.rows ?? 3)}
        placeholder={p.placeholder}
        aria-describedby={described}
        aria-invalid={invalid}
        spellcheck="false"
        safe
      >
        {p.value ?? ''}
      </textarea>
      <HintAndErrors p={p} id={id} messages={messages} />
    </div>
  )
}

export interface Option {
  value: string
  label: string
}

export function SelectField(p: FieldBase & { value?: string; options: Option[] }) {
  const { id, messages, described, invalid } = ids(p)
  return (
    <div class="field">
      <Label p={p} id={id} />
      <select id={id} name={p.name} aria-describedby={described} aria-invalid={invalid}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === (p.value ?? '')} safe>
            {o.label}
          </option>
        ))}
      </select>
      <HintAndErrors p={p} id={id} messages={messages} />
    </div>
  )
}

/** A checkbox that always submits: a hidden "false" precedes it, so unchecking is a real change. */
export function CheckField(p: FieldBase & { checked: boolean }) {
  const { id, messages, described, invalid } = ids(p)
  return (
    <div class="field">
      <div class="check">
        <input type="hidden" name={p.name} value="false" />
        <input
          type="checkbox"
          id={id}
          name={p.name}
          value="true"
          checked={p.checked}
          aria-describedby={described}
          aria-invalid={invalid}
        />
        <div>
          <Label p={p} id={id} />
          <HintAndErrors p={p} id={id} messages={messages} />
        </div>
      </div>
    </div>
  )
}

/** htmx focuses `[autofocus]` after a swap, and browsers on load; the JSX types allow it on inputs only. */
export const takeFocus = { autofocus: true } as Record<string, unknown>

/** What went wrong, at the top of a form that came back: focused, so it is read out first. */
export function ErrorSummary({ errors, labels }: { errors?: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(errors ?? {}).filter(([, m]) => m.length > 0)
  if (entries.length === 0) return ''
  return (
    <div class="notice err" role="alert" tabindex="-1" {...takeFocus}>
      <p>
        <strong safe>{entries.length === 1 ? 'There is a problem:' : `There are ${entries.length} problems:`}</strong>
      </p>
      <ul>
        {entries.map(([field, messages]) => (
          <li safe>{field && labels[field] ? `${labels[field]}: ${messages.join(' ')}` : messages.join(' ')}</li>
        ))}
      </ul>
    </div>
  )
}

/** A saved-or-not line after a form went through. */
export function Flash({ message }: { message?: string }) {
  if (!message) return ''
  return (
    <p class="notice ok" role="status" safe>
      {message}
    </p>
  )
}
