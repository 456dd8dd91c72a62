// The page the "Connect with GitHub" popup ends on. It tells the portal that opened it what
// happened (never the token: the server already stored it) with postMessage pinned to one origin,
// then closes. The message and origin travel in data attributes (escaped like any attribute), so
// the script is a constant that the route's Content-Security-Policy allows by its hash.
import { HtmlDocument } from '../components/document.tsx'

/** What the opener receives: `{type: 'kedge-github-oauth', ok, login, connection}` or `{..., ok: false, error}`. */
export type OAuthResultMessage =
  | { type: 'kedge-github-oauth'; ok: true; login: string; connection: string }
  | { type: 'kedge-github-oauth'; ok: false; error: string }

export const githubConnectedScript =
  "(function(){var d=document.getElementById('result').dataset;var m=JSON.parse(d.message);" +
  'if(window.opener){window.opener.postMessage(m,d.origin)}' +
  'setTimeout(function(){window.close()},Number(d.closeAfter))})()'

export function GitHubConnectedPage(p: { message: OAuthResultMessage; targetOrigin: string }) {
  const m = p.message
  const title = m.ok ? 'GitHub connected' : 'GitHub was not connected'
  return (
    <HtmlDocument title={title}>
      <main
        id="result"
        data-message={JSON.stringify(m)}
        data-origin={p.targetOrigin}
        data-close-after={m.ok ? '600' : '8000'}
      >
        <h1>{title}</h1>
        {m.ok ? (
          <p>
            Signed in as <strong safe>{m.login}</strong>; Connection <strong safe>{m.connection}</strong> is set up.
            This window closes by itself.
          </p>
        ) : (
          <>
            <p safe>{m.error}</p>
            <p>Close this window and try again from the portal.</p>
          </>
        )}
      </main>
      <script>{githubConnectedScript}</script>
    </HtmlDocument>
  )
}
