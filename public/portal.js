// The portal's only script besides htmx: copy buttons and the "Connect with GitHub" popup.
// Everything else works without JavaScript; controls that need it start hidden and are shown here.
;(() => {
  const reveal = (root) => {
    for (const el of root.querySelectorAll('[data-needs-js]')) el.hidden = false
  }
  reveal(document)
  document.addEventListener('htmx:afterSettle', (e) => reveal(e.target))

  const say = (el, text) => {
    if (el) el.textContent = text
  }

  async function copy(button) {
    const text = button.dataset.copy || ''
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      // Non-secure contexts have no clipboard API: select the text for Ctrl+C instead.
      const area = document.createElement('textarea')
      area.value = text
      area.setAttribute('readonly', '')
      area.style.position = 'fixed'
      area.style.opacity = '0'
      document.body.append(area)
      area.select()
      document.execCommand('copy')
      area.remove()
    }
    // The visible text and the accessible name change together, so they never disagree.
    const label = button.textContent
    const name = button.getAttribute('aria-label')
    button.textContent = 'Copied'
    button.setAttribute('aria-label', `Copied ${button.dataset.what || ''}`.trim())
    say(document.getElementById('copy-status'), `Copied ${button.dataset.what || 'to the clipboard'}`)
    setTimeout(() => {
      button.textContent = label
      if (name) button.setAttribute('aria-label', name)
    }, 1500)
  }

  // The OAuth routes create the Secret and the Connection as the caller, then post a message
  // {type: 'kedge-github-oauth', ok, login, connection} or {ok: false, error} from their origin.
  function connectWithGitHub(button) {
    const form = button.form
    const status = document.getElementById('oauth-status')
    const name = form.elements.namedItem('name')
    const owner = form.elements.namedItem('owner')
    for (const field of [name, owner]) {
      if (!field.value.trim()) {
        say(status, `Enter the connection's ${field.name} first.`)
        field.focus()
        return
      }
    }
    const url = new URL(button.dataset.oauthStart, document.baseURI)
    url.searchParams.set('connection', name.value.trim())
    url.searchParams.set('owner', owner.value.trim())
    for (const [k, v] of new URLSearchParams(button.dataset.identity || '')) url.searchParams.set(k, v)
    const popup = window.open(url.toString(), 'kedge-github-oauth', 'width=720,height=820')
    if (!popup) {
      say(status, 'The browser blocked the GitHub window: allow pop-ups for this page and try again.')
      return
    }
    button.disabled = true
    say(status, 'Waiting for GitHub…')
    const done = (text) => {
      window.removeEventListener('message', onMessage)
      clearInterval(closed)
      button.disabled = false
      say(status, text)
    }
    const onMessage = (event) => {
      if (event.origin !== url.origin) return
      const data = event.data
      if (data?.type !== 'kedge-github-oauth') return
      if (!data.ok) {
        done(`GitHub did not connect: ${data.error || 'unknown error'}`)
        return
      }
      done(
        `Connected as ${data.login || 'your GitHub account'}: connection ${data.connection || name.value} was added.`,
      )
      form.reset()
      const list = document.getElementById('connection-list')
      if (list && window.htmx) window.htmx.ajax('GET', button.dataset.refresh, { target: list, swap: 'outerHTML' })
      else window.location.reload()
    }
    window.addEventListener('message', onMessage)
    const closed = setInterval(() => {
      if (popup.closed) done('The GitHub window was closed before the connection was made.')
    }, 1000)
  }

  document.addEventListener('click', (event) => {
    const copyButton = event.target.closest('[data-copy]')
    if (copyButton) copy(copyButton)
    const oauthButton = event.target.closest('[data-oauth-start]')
    if (oauthButton) connectWithGitHub(oauthButton)
  })
})()
