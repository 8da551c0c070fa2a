/** Split a line into words as Python's `shlex.split(line, comments=False)` does (POSIX). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) {
        words.push(word);
      }
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) {
        throw new Error('No closing quotation');
      }
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < line.length && line[i] !== '"') {
        if (
          line[i] === '\\' &&
          i + 1 < line.length &&
          '\\"$`\n'.includes(line[i + 1])
        ) {
          i++;
        }
        word += line[i];
        i++;
      }
      if (i >= line.length) {
        throw new Error('No closing quotation');
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) {
        throw new Error('No escaped character');
      }
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) {
    words.push(word);
  }
  return words;
}
