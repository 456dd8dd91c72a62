// What the model reads once per session: how the kinds relate, where identity comes from, and the
// rule about tokens. Short, because every session pays for it in context.
export const serverInfo = { name: 'kedge-code', version: '0.1.0', title: 'kedge code provider' }

export const instructions = `kedge code provider: git repositories and who can reach them, declared as objects in the caller's kedge workspace and made real on GitHub by the provider.

How the kinds relate:
- A Connection is a GitHub credential for one account; repositories are created under its owner. list_connections shows whether its token validated.
- A Repository belongs to one Connection (connectionRef). create_repository returns at once; call get_repository until ready is true. get_repository explains any delay (waiting for the connection, a GitHub rate limit, a missing permission).
- DeployKeys (SSH keys for machines) and Collaborators (GitHub users) belong to one Repository (repositoryRef).
- Packages (container images, npm, ...) are observed from what a Repository publishes; read-only.
- commit_files writes files as one commit; checkout_repository reads a repository's text files; build_status and rebuild inspect and re-run GitHub Actions workflows. These wait for GitHub and report progress.

Identity: you act as the signed-in user of this MCP connection, in their own workspace, with their permissions. It comes from the connection's credentials: never ask the user for a tenant, workspace path or cluster id, and never pass one to a tool.

Tokens never pass through MCP. No tool accepts or returns a token, password or private key. To connect GitHub, the user clicks "Connect with GitHub" or pastes a token in the portal; create_connection can then reference the Secret by name.

Errors say what was wrong and which tool or argument fixes it; follow them.`
