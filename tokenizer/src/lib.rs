//! Exact token counts of OpenAI's BPE encodings `o200k_base` (GPT-4o and later) and
//! `cl100k_base` (GPT-4, GPT-3.5), equal to tiktoken's `encode_ordinary(text).len()`.
//!
//! Built for a process that many copies of run at once (a Postgres backend per connection):
//! starting costs nothing, and the large tables are no process's own memory. The rank tables are
//! read-only data in the library (laid out at build time by build.rs, shared by every process that
//! maps it), and the split patterns are matched by hand-written code instead of a compiled regex.
//! A count allocates one small scratch vector; a thread's first count in an encoding allocates its
//! memo of recent pieces (128 kB, `memo.rs`), which spares a piece seen again the table's probes.
mod bpe;
mod memo;
mod ranks;
mod split;
mod table_hash;

pub use ranks::RankTable;

/// An encoding pg_convo counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    O200kBase,
    Cl100kBase,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::O200kBase, Encoding::Cl100kBase];

    /// The encoding named `name` (tiktoken's names), if pg_convo has it.
    pub fn from_name(name: &str) -> Option<Encoding> {
        match name {
            "o200k_base" => Some(Encoding::O200kBase),
            "cl100k_base" => Some(Encoding::Cl100kBase),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    pub fn ranks(self) -> RankTable {
        match self {
            Encoding::O200kBase => RankTable::o200k_base(),
            Encoding::Cl100kBase => RankTable::cl100k_base(),
        }
    }

    /// The number of tokens `text` encodes to. Special-token markers such as `<|endoftext|>` in
    /// the text are ordinary text here (tiktoken's `encode_ordinary`).
    pub fn count(self, text: &str) -> usize {
        let table = self.ranks();
        let piece_end = match self {
            Encoding::O200kBase => split::o200k_piece_end,
            Encoding::Cl100kBase => split::cl100k_piece_end,
        };
        let mut parts = Vec::new();
        let bytes = text.as_bytes();
        memo::with(self, |memo| {
            let (mut i, mut tokens) = (0, 0);
            while i < bytes.len() {
                let end = piece_end(text, i);
                let piece = &bytes[i..end];
                tokens += memo.count(piece, |piece| bpe::count_piece(&table, piece, &mut parts));
                i = end;
            }
            tokens
        })
    }
}
