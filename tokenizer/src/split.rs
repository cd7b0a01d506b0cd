//! Splitting text into pieces before byte-pair merging, exactly as the encodings' regular
//! expressions do (tiktoken matches them leftmost-first, alternative by alternative, with
//! backtracking), written out by hand: no regex is compiled or cached at run time.
//!
//! Each function below returns the end of the piece that starts at `i` (a char boundary before
//! the end of the text). The pattern it follows is quoted above it. The classes:
//! L = \p{L}, N = \p{N}, S = \s (Unicode White_Space), UPPER = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}],
//! LOWER = [\p{Ll}\p{Lm}\p{Lo}\p{M}]; PREFIX = [^\r\n\p{L}\p{N}]; OTHER = [^\s\p{L}\p{N}].
//! Marks (\p{M}) are in UPPER and LOWER but not in L: so a mark can be a PREFIX and an OTHER.

mod classes {
    include!(concat!(env!("OUT_DIR"), "/classes.rs"));
}
use classes::contraction_letter;

const LETTER: u8 = 1;
const NUMBER: u8 = 2;
const SPACE: u8 = 4;
const UPPER: u8 = 8;
const LOWER: u8 = 16;

/// The classes `c` belongs to (bits above).
#[inline]
fn flags(c: char) -> u8 {
    let c = c as u32;
    if c < 128 {
        return classes::ASCII_CLASSES[c as usize];
    }
    let ranges = &classes::CLASS_RANGES;
    match ranges.binary_search_by(|&(a, b, _)| {
        if b < c {
            std::cmp::Ordering::Less
        } else if a > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => ranges[i].2,
        Err(_) => 0,
    }
}

#[inline]
fn is(c: char, class: u8) -> bool {
    flags(c) & class != 0
}
#[inline]
fn is_crlf(c: char) -> bool {
    c == '\r' || c == '\n'
}
#[inline]
fn is_prefix(c: char) -> bool {
    !is_crlf(c) && flags(c) & (LETTER | NUMBER) == 0
}
#[inline]
fn is_other(c: char) -> bool {
    flags(c) & (SPACE | LETTER | NUMBER) == 0
}

/// The char at byte `i`, if any.
#[inline]
fn at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// The end of the run of chars from `i` for which `keep` holds.
#[inline]
fn run(text: &str, i: usize, keep: impl Fn(char) -> bool) -> usize {
    match text[i..].char_indices().find(|&(_, c)| !keep(c)) {
        Some((k, _)) => i + k,
        None => text.len(),
    }
}

/// The end of at most `max` chars from `i` for which `keep` holds.
#[inline]
fn run_max(text: &str, i: usize, max: usize, keep: impl Fn(char) -> bool) -> usize {
    let mut end = i;
    for c in text[i..].chars().take(max) {
        if !keep(c) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// A maximal whitespace run from `i`: its end, the start of its last char, and the end of its
/// last \r or \n (if it has one).
struct SpaceRun {
    end: usize,
    last_char: usize,
    chars: usize,
    after_last_crlf: Option<usize>,
}

fn space_run(text: &str, i: usize) -> SpaceRun {
    let mut r = SpaceRun {
        end: i,
        last_char: i,
        chars: 0,
        after_last_crlf: None,
    };
    for (k, c) in text[i..].char_indices() {
        if !is(c, SPACE) {
            break;
        }
        r.last_char = i + k;
        r.end = i + k + c.len_utf8();
        r.chars += 1;
        if is_crlf(c) {
            r.after_last_crlf = Some(r.end);
        }
    }
    r
}

/// The letters after an apostrophe at `i - 1` that `'` + `letters` matches (case-insensitively).
fn letters_at(text: &str, i: usize, letters: &[u8]) -> Option<usize> {
    let mut end = i;
    for &want in letters {
        let c = at(text, end)?;
        if contraction_letter(c) != Some(want) {
            return None;
        }
        end += c.len_utf8();
    }
    Some(end)
}

/// After an apostrophe at `i`: the end of the first of `alternatives` that follows it.
fn contraction(text: &str, i: usize, alternatives: &[&[u8]]) -> Option<usize> {
    if at(text, i) != Some('\'') {
        return None;
    }
    alternatives
        .iter()
        .find_map(|letters| letters_at(text, i + 1, letters))
}

// cl100k_base ----------------------------------------------------------------------------------
//   '(?i:[sdmt]|ll|ve|re) | [^\r\n\p{L}\p{N}]?+\p{L}++ | \p{N}{1,3}+ | ?[^\s\p{L}\p{N}]++[\r\n]*+
//   | \s++$ | \s*[\r\n] | \s+(?!\S) | \s

const CL100K_CONTRACTIONS: [&[u8]; 7] = [b"s", b"d", b"m", b"t", b"ll", b"ve", b"re"];

pub fn cl100k_piece_end(text: &str, i: usize) -> usize {
    let c0 = at(text, i).expect("a piece starts before the end");
    let after_c0 = i + c0.len_utf8();
    // '(?i:[sdmt]|ll|ve|re)
    if let Some(end) = contraction(text, i, &CL100K_CONTRACTIONS) {
        return end;
    }
    // [^\r\n\p{L}\p{N}]?+\p{L}++   (possessive: a PREFIX char is taken, never given back)
    if is(c0, LETTER) {
        return run(text, i, |c| is(c, LETTER));
    }
    if is_prefix(c0) && at(text, after_c0).is_some_and(|c| is(c, LETTER)) {
        return run(text, after_c0, |c| is(c, LETTER));
    }
    // \p{N}{1,3}+
    if is(c0, NUMBER) {
        return run_max(text, i, 3, |c| is(c, NUMBER));
    }
    //  ?[^\s\p{L}\p{N}]++[\r\n]*+
    let others_from = if c0 == ' ' && at(text, after_c0).is_some_and(is_other) {
        Some(after_c0)
    } else if is_other(c0) {
        Some(i)
    } else {
        None
    };
    if let Some(from) = others_from {
        return run(text, run(text, from, is_other), is_crlf);
    }
    // Only whitespace starts here now.
    let sp = space_run(text, i);
    // \s++$
    if sp.end == text.len() {
        return sp.end;
    }
    // \s*[\r\n]   (the run up to its last line break)
    if let Some(end) = sp.after_last_crlf {
        return end;
    }
    // \s+(?!\S)   (all but the last space, which goes with what follows)
    if sp.chars >= 2 {
        return sp.last_char;
    }
    // \s
    after_c0
}

// o200k_base -----------------------------------------------------------------------------------
//   [^\r\n\p{L}\p{N}]?[UPPER]*[LOWER]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   | [^\r\n\p{L}\p{N}]?[UPPER]+[LOWER]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+

const O200K_CONTRACTIONS: [&[u8]; 7] = [b"s", b"t", b"re", b"ve", b"m", b"ll", b"d"];

/// The optional contraction after a word ending at `end`.
fn with_contraction(text: &str, end: usize) -> usize {
    contraction(text, end, &O200K_CONTRACTIONS).unwrap_or(end)
}

/// `[UPPER]*[LOWER]+…` from `a`. Backtracking gives: the UPPER run from `a` may end anywhere
/// (longest first) as long as a LOWER char follows, which then starts the LOWER run. At the run's
/// natural end the next char can only be LOWER by being \p{Ll}, and the LOWER run from there is
/// maximal; failing that, the last LOWER char inside the run ends the word, alone.
fn upper_lower_plus(text: &str, a: usize) -> Option<usize> {
    let mut last_lower_end = None;
    let mut k = a;
    while let Some(c) = at(text, k) {
        if !is(c, UPPER) {
            break;
        }
        k += c.len_utf8();
        if is(c, LOWER) {
            last_lower_end = Some(k);
        }
    }
    if at(text, k).is_some_and(|c| is(c, LOWER)) {
        return Some(with_contraction(text, run(text, k, |c| is(c, LOWER))));
    }
    last_lower_end.map(|end| with_contraction(text, end))
}

/// `[UPPER]+[LOWER]*…` from `a`: at least one UPPER char, then the maximal LOWER run.
fn upper_plus_lower(text: &str, a: usize) -> Option<usize> {
    let k = run(text, a, |c| is(c, UPPER));
    (k > a).then(|| with_contraction(text, run(text, k, |c| is(c, LOWER))))
}

pub fn o200k_piece_end(text: &str, i: usize) -> usize {
    let c0 = at(text, i).expect("a piece starts before the end");
    let after_c0 = i + c0.len_utf8();
    // Each word alternative first with the optional PREFIX char taken, then without it.
    let prefixed = is_prefix(c0);
    for word in [upper_lower_plus, upper_plus_lower] {
        if prefixed {
            if let Some(end) = word(text, after_c0) {
                return end;
            }
        }
        if let Some(end) = word(text, i) {
            return end;
        }
    }
    // \p{N}{1,3}
    if is(c0, NUMBER) {
        return run_max(text, i, 3, |c| is(c, NUMBER));
    }
    //  ?[^\s\p{L}\p{N}]+[\r\n/]*
    let others_from = if c0 == ' ' && at(text, after_c0).is_some_and(is_other) {
        Some(after_c0)
    } else if is_other(c0) {
        Some(i)
    } else {
        None
    };
    if let Some(from) = others_from {
        return run(text, run(text, from, is_other), |c| is_crlf(c) || c == '/');
    }
    // Only whitespace starts here now.
    let sp = space_run(text, i);
    // \s*[\r\n]+   (the run up to its last line break)
    if let Some(end) = sp.after_last_crlf {
        return end;
    }
    // \s+(?!\S)   (at the end of the text, all of it; else all but the last space)
    if sp.end == text.len() {
        return sp.end;
    }
    if sp.chars >= 2 {
        return sp.last_char;
    }
    // \s+
    sp.end
}
