// Files `auto_init`, `gitignore_template` and `license_template` put in a new repository's first commit.

export function readme(name: string, description: string | null): string {
  return description ? `# ${name}\n${description}\n` : `# ${name}\n`
}

export const gitignoreTemplates: Record<string, string> = {
  Node: 'node_modules/\nnpm-debug.log*\nyarn-error.log*\n.env\ncoverage/\ndist/\n',
  Python: '__pycache__/\n*.py[cod]\n*.egg-info/\n.venv/\nbuild/\ndist/\n.pytest_cache/\n',
  Go: '*.exe\n*.test\n*.out\nvendor/\ngo.work\n',
  Rust: '/target/\n**/*.rs.bk\n',
  Java: '*.class\n*.jar\n*.war\ntarget/\n.gradle/\nbuild/\n',
}

export interface LicenseTemplate {
  name: string
  spdxId: string
  text: (year: number, holder: string) => string
}

const permissiveDisclaimer = `THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
THIS SOFTWARE.
`

/** Long licenses get their official short notice, which points at the full text. */
const notice = (title: string, url: string) => (year: number, holder: string) =>
  `Copyright ${year} ${holder}

This program is licensed under the ${title}.
You may obtain a copy of the license at

    ${url}

Unless required by applicable law or agreed to in writing, software distributed
under the license is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR
CONDITIONS OF ANY KIND, either express or implied.
`

export const licenseTemplates: Record<string, LicenseTemplate> = {
  mit: {
    name: 'MIT License',
    spdxId: 'MIT',
    text: (year, holder) => `MIT License

Copyright (c) ${year} ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`,
  },
  isc: {
    name: 'ISC License',
    spdxId: 'ISC',
    text: (year, holder) => `ISC License

Copyright (c) ${year} ${holder}

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

${permissiveDisclaimer}`,
  },
  '0bsd': {
    name: 'BSD Zero Clause License',
    spdxId: '0BSD',
    text: (year, holder) => `BSD Zero Clause License

Copyright (c) ${year} ${holder}

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted.

${permissiveDisclaimer}`,
  },
  unlicense: {
    name: 'The Unlicense',
    spdxId: 'Unlicense',
    text: () => `This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or distribute this
software, either in source code form or as a compiled binary, for any purpose,
commercial or non-commercial, and by any means.

For more information, please refer to <https://unlicense.org>
`,
  },
  'apache-2.0': {
    name: 'Apache License 2.0',
    spdxId: 'Apache-2.0',
    text: notice('Apache License, Version 2.0', 'http://www.apache.org/licenses/LICENSE-2.0'),
  },
  'mpl-2.0': {
    name: 'Mozilla Public License 2.0',
    spdxId: 'MPL-2.0',
    text: notice('Mozilla Public License, v. 2.0', 'https://mozilla.org/MPL/2.0/'),
  },
  'gpl-3.0': {
    name: 'GNU General Public License v3.0',
    spdxId: 'GPL-3.0',
    text: notice('GNU General Public License, version 3', 'https://www.gnu.org/licenses/gpl-3.0.txt'),
  },
  'agpl-3.0': {
    name: 'GNU Affero General Public License v3.0',
    spdxId: 'AGPL-3.0',
    text: notice('GNU Affero General Public License, version 3', 'https://www.gnu.org/licenses/agpl-3.0.txt'),
  },
}
