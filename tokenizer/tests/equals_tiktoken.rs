//! Every count equals tiktoken's (`tiktoken-rs`, the Rust port of OpenAI's tokenizer, whose split
//! patterns and ranks are OpenAI's): on hand-picked edge cases of each split rule, and on many
//! random strings drawn from the characters where the rules differ. (The database's counts are
//! also compared with OpenAI's Python tiktoken on a generated corpus: scripts/test_tokens.sh.)
use pg_convo_tokenizer::Encoding;
use tiktoken_rs::CoreBPE;

fn reference(enc: Encoding) -> CoreBPE {
    match enc {
        Encoding::O200kBase => tiktoken_rs::o200k_base().unwrap(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base().unwrap(),
    }
}

fn assert_same(enc: Encoding, bpe: &CoreBPE, text: &str) {
    let want = bpe.encode_ordinary(text).len();
    let got = enc.count(text);
    assert_eq!(
        got,
        want,
        "{}: {text:?} ({} chars)",
        enc.name(),
        text.chars().count()
    );
}

const EDGE_CASES: &[&str] = &[
    "",
    "a",
    " ",
    "hello world",
    "Hello, World!",
    "  leading",
    "trailing  ",
    "\n",
    "\r\n",
    " \n ",
    "a\n\nb",
    "a \n  b",
    "a  \n",
    "tabs\t\tand  spaces   ",
    "   ",
    "x   y",
    "x \t y",
    // contractions, in every case, and the long s that case-folds to s
    "I'm",
    "you're",
    "we've",
    "they'll",
    "he'd",
    "it's",
    "IT'S",
    "WE'VE",
    "'s",
    "'S",
    "'ſ",
    "can'ſ",
    "don't",
    "'tis",
    "'Ll",
    "'lL",
    "rock'n'roll",
    "O'Neil",
    "x'",
    "'",
    "''",
    "'re'",
    "Jean-Luc's",
    // numbers
    "1",
    "12",
    "123",
    "1234",
    "1234567",
    "3.14159",
    "1,000,000",
    "٣٤٥٦",
    "Ⅻ",
    "²³",
    "12ab",
    "ab12",
    // punctuation runs, with line breaks and slashes after them
    "!!!",
    " !!!",
    "?!\n",
    "...\r\n\r\n",
    "a/b/c",
    "http://example.com/a/b?c=d",
    "--/\n/",
    " /",
    "<|endoftext|>",
    "<|im_start|>user",
    "```rust\nfn main() {}\n```",
    "#include <stdio.h>",
    // letters: case runs, titlecase, modifiers, marks
    "HTTPServer",
    "iPhone",
    "McDonald",
    "ABC",
    "abcDEF",
    "ǅemal",
    "ǈ",
    "ʰello",
    "aʰb",
    "ÅNGSTRÖM",
    "e\u{301}",
    "E\u{301}\u{302}x",
    "\u{301}",
    " \u{301}a",
    "\u{301}\u{301}",
    "a\u{301}B\u{302}c",
    "ﬁne",
    "straße",
    "STRASSE",
    "ΑΒΓ αβγ",
    "Привет, мир!",
    "ПРИВЕТмир",
    "こんにちは世界",
    "中文字符",
    "한국어 텍스트",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "ภาษาไทย",
    "ትግርኛ",
    "😀😃😄",
    "👨‍👩‍👧‍👦",
    "🇫🇷🇩🇪",
    "a😀b",
    " 😀",
    "\u{200b}",
    "\u{00a0}x",
    "x\u{3000}y",
    "\u{2028}",
    "\u{feff}text",
    "\u{85}next",
    "\u{1f}\u{7f}",
    "emoji 🤖 and text",
    "mixed123ABCdef!?\n\n",
];

#[test]
fn edge_cases_equal_tiktoken() {
    for enc in Encoding::ALL {
        let bpe = reference(enc);
        for text in EDGE_CASES {
            assert_same(enc, &bpe, text);
        }
    }
}

/// A deterministic generator (xorshift64*), so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Characters from every class the split rules tell apart, several of each.
const POOL: &[char] = &[
    'a', 'b', 'e', 's', 't', 'd', 'm', 'l', 'v', 'r', 'A', 'S', 'T', 'L', 'D', 'R', 'V', 'M', 'ſ',
    'x', 'Z', 'é', 'É', 'ǅ', 'ʰ', 'ª', '\u{301}', '\u{308}', '\u{93f}', 'ß', 'Ω', 'ω', 'ж', 'Ж',
    '中', 'あ', 'ア', '한', 'ع', 'ש', 'क', '0', '1', '9', '٣', '²', 'Ⅻ', '½', ' ', ' ', ' ', '\t',
    '\n', '\r', '\u{a0}', '\u{3000}', '\u{2028}', '\u{85}', '\u{b}', '\u{c}', '\'', '\'', '’', '.',
    ',', '!', '?', '/', '/', '-', '_', '(', ')', '"', '#', '$', '%', '&', '*', '+', '<', '>', '|',
    '@', '\\', '😀', '🤖', '\u{200d}', '\u{fe0f}', '€', '©', '\u{1}', '\u{7f}', '\u{ad}',
    '\u{200b}',
];

#[test]
fn random_strings_equal_tiktoken() {
    for enc in Encoding::ALL {
        let bpe = reference(enc);
        let mut rng = Rng(0x5eed_0000_0000_0001 ^ enc as u64);
        for _ in 0..30_000 {
            let len = rng.below(24);
            let text: String = (0..len).map(|_| POOL[rng.below(POOL.len())]).collect();
            assert_same(enc, &bpe, &text);
        }
    }
}

#[test]
fn random_words_equal_tiktoken() {
    // Longer texts of word-like runs: the BPE merges of real words, long pieces, long spaces.
    const WORDS: &[&str] = &[
        "the",
        "The",
        "conversation",
        "token",
        "counting",
        "isn't",
        "WE'LL",
        "naïve",
        "coöperate",
        "Übermäßig",
        "résumé",
        "antidisestablishmentarianism",
        "pneumonoultramicroscopic",
        "2026-12-06",
        "3.14159265358979",
        "user@example.com",
        "https://x.io/a/b",
        "\n\n",
        "    ",
        " \n",
        "\t",
        "—",
        "…",
        "!!",
        "??",
        "日本語のテキスト",
        "Ελληνικά",
        "русский",
        "😀😀😀",
        "e\u{301}",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "0000000000000",
        "\r\n",
        "'s",
        "x'y",
        "/**/",
    ];
    for enc in Encoding::ALL {
        let bpe = reference(enc);
        let mut rng = Rng(0xbeef ^ enc as u64);
        for _ in 0..5_000 {
            let n = rng.below(12);
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(WORDS[rng.below(WORDS.len())]);
                if rng.below(3) > 0 {
                    text.push(' ');
                }
            }
            assert_same(enc, &bpe, &text);
        }
    }
}

#[test]
fn long_pieces_equal_tiktoken() {
    // Pieces of 100 bytes and more are merged through a heap: runs of one letter, of random
    // letters and digits, of spaces, of punctuation, of CJK, and words glued together.
    let mut rng = Rng(0x10_0000);
    let mut texts: Vec<String> = vec![
        "y".repeat(100_000),
        "ab".repeat(5_000),
        " ".repeat(3_000) + "x",
        "!?".repeat(2_000),
        "漢字".repeat(1_000),
        "Supercalifragilisticexpialidocious".repeat(50),
        "\n".repeat(500),
    ];
    for _ in 0..300 {
        let len = 100 + rng.below(900);
        let alphabet: &[u8] = if rng.below(2) == 0 {
            b"abcdefghijklmnopqrstuvwxyz"
        } else {
            b"aeiouyst"
        };
        texts.push(
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())] as char)
                .collect(),
        );
    }
    for enc in Encoding::ALL {
        let bpe = reference(enc);
        for text in &texts {
            assert_same(enc, &bpe, text);
        }
    }
}

#[test]
fn every_token_of_the_vocabulary_counts_as_one_when_alone() {
    // Each rank's bytes, where they are valid UTF-8 and split as one piece, are one token.
    for enc in Encoding::ALL {
        let bpe = reference(enc);
        let table = enc.ranks();
        let mut checked = 0;
        for rank in (0..table.len() as u32).step_by(7) {
            if let Ok(text) = std::str::from_utf8(table.token(rank)) {
                assert_same(enc, &bpe, text);
                checked += 1;
            }
        }
        assert!(
            checked > 10_000,
            "{}: only {checked} tokens checked",
            enc.name()
        );
    }
}

#[test]
fn the_rank_tables_hold_every_ordinary_token() {
    for (enc, ranks) in [
        (Encoding::O200kBase, 199_998),
        (Encoding::Cl100kBase, 100_256),
    ] {
        let table = enc.ranks();
        assert_eq!(table.len(), ranks, "{}", enc.name());
        for rank in (0..ranks as u32).step_by(97) {
            assert_eq!(
                table.rank(table.token(rank)),
                Some(rank),
                "{} rank {rank}",
                enc.name()
            );
        }
        assert_eq!(
            table.rank(b"<|endoftext|>"),
            None,
            "special tokens are not ordinary"
        );
    }
}
