// Live /debug: one EventSource on /debug/events. A burst of transitions becomes one refresh of
// the tree, summary and open detail (at most every 250 ms), and the last change is never dropped.
;(() => {
  const live = document.getElementById('live')
  const say = (state, text) => {
    if (!live) return
    live.dataset.state = state
    live.textContent = text
  }
  let pending
  const changed = () => {
    if (pending) return
    pending = setTimeout(() => {
      pending = undefined
      htmx.trigger(document.body, 'debug:changed')
    }, 250)
  }
  const source = new EventSource('/debug/events')
  source.addEventListener('transition', changed)
  source.addEventListener('component', () => htmx.trigger(document.body, 'debug:components'))
  source.addEventListener('open', () => {
    say('live', 'live')
    // Catch up on whatever happened while disconnected.
    changed()
  })
  source.addEventListener('error', () => say('offline', 'reconnecting…'))
})()
