//! Looking through text eight bytes at a time for the few bytes that
//! matter: a control character before a document is shown, a character a
//! table cell escapes, a character the sign-off's canonical JSON escapes.
//!
//! Those texts run to megabytes for a large engagement, and nearly all of
//! their bytes are plain. A word of eight bytes is tested at once (the
//! classic "has a byte below n" tests, which never miss one), and only a
//! word that may hold a byte looked for is looked at byte by byte: several
//! times faster than a byte at a time, without `unsafe` or a particular
//! processor's instructions.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight bytes of text, to test at once. Each test says whether a byte may
/// be the one looked for: never no when one is there, but sometimes yes
/// for a neighbour of one, hence the byte-by-byte look after. Combine
/// tests with `|`, not `||`: a branch per test costs more than the tests.
#[derive(Debug, Clone, Copy)]
pub struct Word(u64);

impl Word {
    /// Some byte may be below `n` (`n` at most 0x80).
    pub fn below(self, n: u8) -> bool {
        self.0.wrapping_sub(ONES * u64::from(n)) & !self.0 & HIGH != 0
    }

    /// Some byte may be `b`.
    pub fn has(self, b: u8) -> bool {
        Word(self.0 ^ (ONES * u64::from(b))).below(1)
    }

    /// Some byte may be DEL (0x7F) or beyond ASCII.
    pub fn del_or_beyond_ascii(self) -> bool {
        (self.0 | self.0.wrapping_add(ONES)) & HIGH != 0
    }
}

/// The first index `i` of `bytes` where `is(bytes, i)`, looking byte by
/// byte only in the words `suspect` flags: it must flag every word that
/// holds such a byte, and not a word of `pad` alone, which fills out the
/// last few bytes (`is` is never asked about the padding).
pub fn find(
    bytes: &[u8],
    suspect: impl Fn(Word) -> bool,
    is: impl Fn(&[u8], usize) -> bool,
    pad: u8,
) -> Option<usize> {
    let look = |from: usize, to: usize| (from..to).find(|i| is(bytes, *i));
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map(|w| Word(u64::from_le_bytes(w)));
        if word.map_or(true, &suspect)
            && let Some(i) = look(at, at + 8)
        {
            return Some(i);
        }
        at += 8;
    }
    // Most texts (a title, a cell) are shorter than a few words: their end
    // is one more word, padded.
    let rest = chunks.remainder();
    let mut last = [pad; 8];
    // Never fails: the remainder of eight-byte chunks is shorter than eight.
    last.get_mut(..rest.len())?.copy_from_slice(rest);
    if suspect(Word(u64::from_le_bytes(last))) {
        look(at, bytes.len())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every offset of texts of up to three words,
    /// among neighbours chosen to trip a careless word test (one away from
    /// a byte looked for, or differing from it in the high bit only).
    fn finds_what_a_plain_look_finds(suspect: impl Fn(Word) -> bool, is: impl Fn(u8) -> bool) {
        for filler in [b'a', 0x80, 0xff, 0x7e, 0x7f, 0x21, 0x1f, 0x20, 0xa0, 0xdc] {
            if is(filler) {
                continue;
            }
            for len in [0, 1, 7, 8, 9, 16, 17, 23] {
                let mut bytes = vec![filler; len];
                for at in 0..len {
                    for b in 0..=255u8 {
                        bytes[at] = b;
                        let found = find(&bytes, &suspect, |t, i| is(t[i]), b'a');
                        let plain = bytes.iter().position(|x| is(*x));
                        assert_eq!(found, plain, "{bytes:?}");
                    }
                    bytes[at] = filler;
                }
            }
        }
    }

    #[test]
    fn the_first_of_several_is_found_and_nothing_in_nothing() {
        let pipe = |w: Word| w.has(b'|');
        let is_pipe = |t: &[u8], i: usize| t.get(i) == Some(&b'|');
        assert_eq!(find(b"", pipe, is_pipe, b'a'), None);
        for text in ["a|b|c", "abcdefghij|k|", "abcdefgh|", "|||||||||||||||||"] {
            assert_eq!(
                find(text.as_bytes(), pipe, is_pipe, b'a'),
                text.find('|'),
                "{text}"
            );
        }
    }

    #[test]
    fn a_byte_below_a_bound_is_never_missed() {
        finds_what_a_plain_look_finds(|w| w.below(0x20), |b| b < 0x20);
    }

    #[test]
    fn a_given_byte_is_never_missed() {
        finds_what_a_plain_look_finds(|w| w.has(b'|') | w.has(b'\\'), |b| b == b'|' || b == b'\\');
    }

    #[test]
    fn del_and_bytes_beyond_ascii_are_never_missed() {
        finds_what_a_plain_look_finds(Word::del_or_beyond_ascii, |b| b >= 0x7f);
    }
}
