// Writes schema/npm-cli.json: npm's command-line table (every config key's nopt types, npm's
// shorthands, its commands and their aliases), read from the installed npm's own @npmcli/config definitions. Warden expands an
// npm option as npm's nopt does (installs/long_options.py: unique abbreviations, shorthands,
// bundled single letters, `no-`); regenerate with the npm the machine runs:
//
//     node scripts/npm-cli-table.js [NPM_FOLDER]    (default /usr/lib/node_modules/npm)
//
// tests/deps/test_redteam90_long_options.py compares the expansion with the real npm's nopt.
const fs = require('fs')
const path = require('path')

const npm = process.argv[2] || '/usr/lib/node_modules/npm'
const lib = path.join(npm, 'node_modules', '@npmcli', 'config', 'lib')
const { definitions, shorthands } = require(path.join(lib, 'definitions'))
const typeDefs = require(path.join(lib, 'type-defs'))

// a type as a word: a typeDef's name (Boolean, String, path, url...), null, or `=literal`
const named = (t) => {
  if (t === null) return 'null'
  for (const [name, def] of Object.entries(typeDefs)) if (def.type === t) return name
  if (typeof t === 'function') return t.name
  return '=' + String(t)
}
const options = {}
for (const key of Object.keys(definitions).sort()) {
  const type = definitions[key].type
  options[key] = Array.isArray(type) ? type.map(named) : [named(type)]
}
const cmdList = require(path.join(npm, 'lib', 'utils', 'cmd-list.js'))
const table = {
  npm: require(path.join(npm, 'package.json')).version,
  options,
  shorthands: Object.fromEntries(Object.keys(shorthands).sort().map((k) => [k, shorthands[k]])),
  commands: [...cmdList.commands].sort(),
  aliases: Object.fromEntries(Object.keys(cmdList.aliases).sort().map((k) => [k, cmdList.aliases[k]])),
}
const out = path.join(__dirname, '..', 'schema', 'npm-cli.json')
// one line an option, a shorthand: a diff shows what a new npm changed
const lines = (obj) => Object.entries(obj).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
const text = [
  '{',
  `"npm": ${JSON.stringify(table.npm)},`,
  '"options": {', lines(table.options).join(',\n'), '},',
  '"shorthands": {', lines(table.shorthands).join(',\n'), '},',
  `"commands": ${JSON.stringify(table.commands)},`,
  '"aliases": {', lines(table.aliases).join(',\n'), '}',
  '}',
].join('\n')
JSON.parse(text)
fs.writeFileSync(out, text + '\n')
