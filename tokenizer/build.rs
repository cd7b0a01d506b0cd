//! Lays out, at build time, everything the tokenizer reads at run time, so that nothing is parsed,
//! decoded or allocated when a process first counts tokens:
//!
//! - per encoding, the token bytes by rank, an open-addressing hash table from bytes to rank, and
//!   the ranks of the two-byte tokens as a dense array (`<encoding>.bytes`, `.offsets`, `.slots`,
//!   `.pairs` in OUT_DIR, included by `src/ranks.rs` as read-only data: the OS maps them once for
//!   every process that loads the library);
//! - the Unicode classes of the split patterns (`classes.rs`), taken from regex-syntax, the crate
//!   that defines them for the regex engine tiktoken splits with, so both agree on every code point.
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::Path;

#[path = "src/table_hash.rs"]
mod table_hash;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let out = Path::new(&out);
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/table_hash.rs");

    let mut consts = String::new();
    for (name, bpe) in [
        ("o200k_base", tiktoken_rs::o200k_base().unwrap()),
        ("cl100k_base", tiktoken_rs::cl100k_base().unwrap()),
    ] {
        let (ranks, bits) = write_rank_tables(out, name, &bpe);
        let upper = name.to_uppercase();
        writeln!(consts, "pub const {upper}_RANKS: usize = {ranks};").unwrap();
        writeln!(consts, "pub const {upper}_SLOT_BITS: u32 = {bits};").unwrap();
    }
    writeln!(consts, "pub const RANK_BITS: u32 = {RANK_BITS};").unwrap();
    std::fs::write(out.join("rank_consts.rs"), consts).unwrap();
    std::fs::write(out.join("classes.rs"), unicode_classes()).unwrap();
}

/// A slot's first word holds the rank in its low bits and the token's length above them.
const RANK_BITS: u32 = 18;

/// Writes the four tables of one encoding; returns (number of ranks, log2 of the slot count).
fn write_rank_tables(out: &Path, name: &str, bpe: &tiktoken_rs::CoreBPE) -> (usize, u32) {
    let specials: HashSet<Vec<u8>> = bpe
        .special_tokens()
        .into_iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    // Ordinary tokens by rank: the ranks are dense from 0; the special tokens are not counted by
    // `encode_ordinary`, so they are left out.
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    loop {
        match bpe.decode_bytes(&[tokens.len() as u32]) {
            Ok(bytes) if !specials.contains(&bytes) => tokens.push(bytes),
            _ => break,
        }
    }
    assert!(
        tokens.len() > 50_000,
        "{name}: only {} ranks decoded",
        tokens.len()
    );
    let mut bytes = Vec::new();
    let mut offsets = Vec::with_capacity(tokens.len() + 1);
    for t in &tokens {
        offsets.push(bytes.len() as u32);
        bytes.extend_from_slice(t);
    }
    offsets.push(bytes.len() as u32);

    let (slots, bits) = slot_table(name, &tokens, &offsets);
    // Every two-byte token's rank by its bytes (u32::MAX: not a token): byte-pair merging starts
    // by looking up each adjacent pair of a piece's bytes, and a 256 kB array answers that with
    // one read instead of a probe.
    let mut pairs = vec![u32::MAX; 1 << 16];
    for (rank, t) in tokens.iter().enumerate() {
        if t.len() == 2 {
            pairs[(t[0] as usize) << 8 | t[1] as usize] = rank as u32;
        }
    }
    let le = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    std::fs::write(out.join(format!("{name}.pairs")), le(&pairs)).unwrap();
    std::fs::write(out.join(format!("{name}.bytes")), &bytes).unwrap();
    std::fs::write(out.join(format!("{name}.offsets")), le(&offsets)).unwrap();
    std::fs::write(out.join(format!("{name}.slots")), slots).unwrap();
    (tokens.len(), bits)
}

/// An open-addressing hash table of the tokens (linear probing, at most half full, so that a miss,
/// which many look-ups of a merge are, ends at an empty slot quickly).
/// Slots of 16 bytes (see ranks.rs): rank and length, the bytes' offset, and the first 8 bytes
/// inline, so that probing reads one cache line and most tokens (8 bytes or fewer) are compared
/// without touching the bytes.
fn slot_table(name: &str, tokens: &[Vec<u8>], offsets: &[u32]) -> (Vec<u8>, u32) {
    let bits = (tokens.len() * 2).next_power_of_two().trailing_zeros();
    let mut slots = vec![[0u8; 16]; 1 << bits];
    for (rank, t) in tokens.iter().enumerate() {
        assert!(rank < 1 << RANK_BITS, "{name}: rank {rank} does not fit");
        assert!(
            t.len() < 1 << (32 - RANK_BITS),
            "{name}: a token of {} bytes",
            t.len()
        );
        let mut i = table_hash::slot(table_hash::hash(t), bits);
        while slots[i] != [0u8; 16] {
            i = (i + 1) & ((1 << bits) - 1);
        }
        let meta = rank as u32 | ((t.len() as u32) << RANK_BITS);
        slots[i][0..4].copy_from_slice(&meta.to_le_bytes());
        slots[i][4..8].copy_from_slice(&offsets[rank].to_le_bytes());
        let head = t.len().min(8);
        slots[i][8..8 + head].copy_from_slice(&t[..head]);
    }
    (slots.concat(), bits)
}

/// The code point ranges of a regex character class, as regex-syntax defines it.
fn class_ranges(pattern: &str) -> Vec<(u32, u32)> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        HirKind::Literal(lit) => {
            let c = std::str::from_utf8(&lit.0).unwrap().chars().next().unwrap() as u32;
            vec![(c, c)]
        }
        other => panic!("{pattern}: not a class: {other:?}"),
    }
}

/// classes.rs: `CLASS_RANGES` (disjoint ranges, each with the flags of the classes it is in),
/// `ASCII_CLASSES` (the same for 0..128, by index) and `contraction_letter`.
fn unicode_classes() -> String {
    // Flag bits; src/split.rs names them.
    let classes: [(&str, u8); 5] = [
        (r"\p{L}", 1),                           // LETTER
        (r"\p{N}", 2),                           // NUMBER
        (r"\s", 4),                              // SPACE
        (r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]", 8), // UPPERISH (o200k_base)
        (r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]", 16),      // LOWERISH (o200k_base)
    ];
    let ranges: Vec<(Vec<(u32, u32)>, u8)> =
        classes.iter().map(|(p, f)| (class_ranges(p), *f)).collect();
    let flags_of = |c: u32| -> u8 {
        ranges
            .iter()
            .filter(|(rs, _)| rs.iter().any(|&(a, b)| a <= c && c <= b))
            .map(|(_, f)| f)
            .fold(0, |acc, f| acc | f)
    };
    // Every place a class starts or ends splits the code space; between two such places the
    // flags are constant.
    let mut cuts = BTreeSet::new();
    for (rs, _) in &ranges {
        for &(a, b) in rs {
            cuts.insert(a);
            cuts.insert(b + 1);
        }
    }
    cuts.insert(0);
    let cuts: Vec<u32> = cuts.into_iter().collect();
    let mut merged: Vec<(u32, u32, u8)> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1] - 1);
        let f = flags_of(a);
        if f == 0 {
            continue;
        }
        match merged.last_mut() {
            Some(last) if last.1 + 1 == a && last.2 == f => last.1 = b,
            _ => merged.push((a, b, f)),
        }
    }
    let mut s = String::new();
    writeln!(
        s,
        "pub static CLASS_RANGES: [(u32, u32, u8); {}] = [",
        merged.len()
    )
    .unwrap();
    for (a, b, f) in &merged {
        writeln!(s, "    ({a:#x}, {b:#x}, {f}),").unwrap();
    }
    writeln!(s, "];").unwrap();
    write!(s, "pub static ASCII_CLASSES: [u8; 128] = [").unwrap();
    for c in 0..128u32 {
        write!(s, "{}, ", flags_of(c)).unwrap();
    }
    writeln!(s, "];").unwrap();

    // The contractions are matched case-insensitively, with Unicode's simple case folding
    // (so 'ſ' U+017F is an 's'): each letter they use, and every code point that folds to it.
    writeln!(
        s,
        "/// The letter of a contraction (`'s`, `'ll` …) that `c` matches case-insensitively."
    )
    .unwrap();
    writeln!(
        s,
        "#[inline]\npub fn contraction_letter(c: char) -> Option<u8> {{\n    match c as u32 {{"
    )
    .unwrap();
    for letter in "dlmrstve".chars() {
        let arms: Vec<String> = class_ranges(&format!("(?i:{letter})"))
            .iter()
            .map(|(a, b)| {
                if a == b {
                    format!("{a:#x}")
                } else {
                    format!("{a:#x}..={b:#x}")
                }
            })
            .collect();
        writeln!(s, "        {} => Some(b'{letter}'),", arms.join(" | ")).unwrap();
    }
    writeln!(s, "        _ => None,\n    }}\n}}").unwrap();
    s
}
