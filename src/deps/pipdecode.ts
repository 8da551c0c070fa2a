/**
 * A requirements file's bytes turned into the text pip reads (pip's `auto_decode`, the
 * kernel's `requirements.pip_decode`): a byte-order mark first, then a PEP 263 coding line
 * among the first two lines, else strict UTF-8. Red team 50c R50c-1: read as UTF-8, `# -*-
 * coding: utf-7 -*-` then `#x +AAo-torcj` is two comments; pip reads a comment and the line
 * `torcj`. Only codecs whose Python decoding is reproduced exactly here are read (UTF-8, its
 * `-sig` form, ASCII, Latin-1, UTF-16); any other name a coding line gives throws, as does a
 * byte its codec refuses (Python raises there too): the caller refuses the file (fail closed).
 */

/** A file's bytes the decoding cannot turn into pip's text; the message says why. */
export class UndecodableText extends Error {}

type Decode = (bytes: Uint8Array) => string;

const whatwg =
  (label: string, ignoreBOM: boolean): Decode =>
  bytes =>
    new TextDecoder(label, { fatal: true, ignoreBOM }).decode(bytes);

/** Python's 'utf-8' (a BOM kept as U+FEFF), 'utf-8-sig' (one leading BOM dropped). */
const utf8 = whatwg('utf-8', true);
const utf8Sig = whatwg('utf-8', false);
const utf16le = whatwg('utf-16le', true);
const utf16be = whatwg('utf-16be', true);

/** Python's 'utf-16': a leading BOM picks the order and is dropped; without one, the
 * machine's order (little-endian on every machine Warden runs on). */
const utf16: Decode = bytes =>
  bytes[0] === 0xfe && bytes[1] === 0xff
    ? utf16be(bytes.subarray(2))
    : utf16le(
        bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2) : bytes
      );

/** Python's 'latin-1': each byte its code point (WHATWG's "latin1" label is windows-1252). */
const latin1: Decode = bytes => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return text;
};

const ascii: Decode = bytes => {
  if (bytes.some(b => b > 0x7f)) {
    throw new TypeError('a byte above 127');
  }
  return latin1(bytes);
};

/** pip's BOMS, in its order (a UTF-32 LE mark starts with UTF-16's: pip reads UTF-16). */
const BOMS: Array<[number[], string, Decode | null]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8', utf8],
  [[0xff, 0xfe], 'utf-16', utf16],
  [[0xfe, 0xff], 'utf-16-be', utf16be],
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32-be', null]
];

/** Python's codec names (encodings.aliases and module names, as `codecs.lookup` normalizes
 * them: lower case, a run of `-`/`_` one `_`, none at the ends) of the codecs read here.
 * tests/deps/test_pip_decode_vectors.py checks each against Python's own lookup. */
export const CODEC_NAMES: Readonly<Record<string, string>> = {
  utf_8: 'utf-8',
  utf8: 'utf-8',
  u8: 'utf-8',
  utf: 'utf-8',
  cp65001: 'utf-8',
  utf8_ucs2: 'utf-8',
  utf8_ucs4: 'utf-8',
  utf_8_sig: 'utf-8-sig',
  ascii: 'ascii',
  '646': 'ascii',
  'ansi_x3.4_1968': 'ascii',
  'ansi_x3.4_1986': 'ascii',
  ansi_x3_4_1968: 'ascii',
  cp367: 'ascii',
  csascii: 'ascii',
  ibm367: 'ascii',
  iso646_us: 'ascii',
  'iso_646.irv_1991': 'ascii',
  iso_ir_6: 'ascii',
  us: 'ascii',
  us_ascii: 'ascii',
  latin_1: 'latin-1',
  '8859': 'latin-1',
  cp819: 'latin-1',
  csisolatin1: 'latin-1',
  ibm819: 'latin-1',
  iso8859: 'latin-1',
  iso8859_1: 'latin-1',
  iso_8859_1: 'latin-1',
  iso_8859_1_1987: 'latin-1',
  iso_ir_100: 'latin-1',
  l1: 'latin-1',
  latin: 'latin-1',
  latin1: 'latin-1',
  utf_16: 'utf-16',
  utf16: 'utf-16',
  u16: 'utf-16',
  utf_16_le: 'utf-16-le',
  utf_16le: 'utf-16-le',
  utf_16_be: 'utf-16-be',
  utf_16be: 'utf-16-be'
};

const DECODERS: Readonly<Record<string, Decode>> = {
  'utf-8': utf8,
  'utf-8-sig': utf8Sig,
  ascii,
  'latin-1': latin1,
  'utf-16': utf16,
  'utf-16-le': utf16le,
  'utf-16-be': utf16be
};

/** pip's ENCODING_RE (a bytes pattern: `\s` and `\w` are ASCII), searched in a line that
 * starts with `#`. */
// eslint-disable-next-line no-control-regex -- Python's bytes \s holds \x0b and \x0c
const CODING = /coding[:=][ \t\n\r\x0b\x0c]*([-A-Za-z0-9_.]+)/;

/** The codec a coding line names, as Python finds it, or null when none is read here. */
export function codecOf(name: string): string | null {
  const normal = name
    .toLowerCase()
    .replace(/[-_]+/g, '_')
    .replace(/^_|_$/g, '');
  return Object.prototype.hasOwnProperty.call(CODEC_NAMES, normal)
    ? CODEC_NAMES[normal]
    : null;
}

/** The text pip reads from a requirements file's `bytes`; throws UndecodableText. */
export function pipDecode(bytes: Uint8Array): string {
  for (const [mark, name, decode] of BOMS) {
    if (mark.every((b, i) => bytes[i] === b)) {
      return decoded(
        bytes.subarray(mark.length),
        name,
        decode,
        'its byte-order mark'
      );
    }
  }
  let start = 0;
  for (let n = 0; n < 2 && start <= bytes.length; n++) {
    let end = bytes.indexOf(0x0a, start);
    end = end < 0 ? bytes.length : end;
    // latin-1 keeps each byte one character: the pattern sees the bytes as pip's does
    const line = latin1(bytes.subarray(start, end));
    const declared = line.startsWith('#') ? CODING.exec(line) : null;
    if (declared) {
      const name = codecOf(declared[1]);
      const why = `its coding line (${declared[1]})`;
      if (name === null) {
        throw new UndecodableText(
          `pip decodes it with the codec ${declared[1]} its coding line names, which ` +
            'Warden does not read: save it as UTF-8 without the coding line'
        );
      }
      return decoded(bytes, name, DECODERS[name], why);
    }
    start = end + 1;
  }
  return decoded(bytes, 'utf-8', utf8, 'no coding line');
}

/** Python's strict 'utf-8' (a BOM kept as U+FEFF): the kernel's reading of a file without
 * pip's coding lines (pyproject.toml, environment.yml); throws UndecodableText. */
export function strictUtf8(bytes: Uint8Array): string {
  return decoded(bytes, 'utf-8', utf8, 'read as UTF-8');
}

function decoded(
  bytes: Uint8Array,
  name: string,
  decode: Decode | null,
  why: string
): string {
  if (decode === null) {
    throw new UndecodableText(
      `pip decodes it as ${name} (${why}), which Warden does not read: save it as UTF-8`
    );
  }
  try {
    return decode(bytes);
  } catch {
    throw new UndecodableText(
      `not valid ${name} (${why}): its installer cannot read it either; save it as UTF-8`
    );
  }
}
