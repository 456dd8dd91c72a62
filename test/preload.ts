// Hermetic tests: no real credentials leak in from the developer's shell, time zone is fixed.
// GITHUB_TEST_* are kept: the live backend conformance suite runs only when GITHUB_TEST_TOKEN is set.
for (const key of Object.keys(process.env)) {
  if (/^(GITHUB_(?!TEST_(TOKEN|OWNER|OTHER_USER)$)|KEDGE_|CODE_|KUBECONFIG$)/.test(key)) delete process.env[key]
}
process.env.TZ = 'UTC'
