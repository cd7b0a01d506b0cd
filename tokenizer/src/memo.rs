//! What the pieces a thread counted last came to, so that a piece seen again (a common word, an
//! emoji, a name the conversation keeps using) costs one look-up in a small table that stays in
//! the CPU's caches instead of byte-pair merging and probes of the large rank table, which a
//! count among a query's other work finds out of the caches (a probe is then mostly a wait for
//! memory).
//!
//! Exact: an entry holds the piece's bytes, and a piece is answered only by an entry equal to it.
//! Per thread (in Postgres, per backend), 128 kB per encoding used, allocated on first use.
use crate::table_hash;
use crate::Encoding;
use std::cell::RefCell;

/// Pieces of more bytes are not kept (few pieces are longer, and they repeat less).
const MAX_PIECE: usize = 22;
/// Direct-mapped: a piece has one entry it can be in, the last piece counted there.
const ENTRY_BITS: u32 = 12;

#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Entry {
    /// 0: empty (pieces of fewer than 3 bytes are not kept)
    len: u8,
    tokens: u8,
    bytes: [u8; MAX_PIECE],
}

pub struct Memo {
    entries: Box<[Entry]>,
}

impl Memo {
    fn new() -> Memo {
        let empty = Entry {
            len: 0,
            tokens: 0,
            bytes: [0; MAX_PIECE],
        };
        Memo {
            entries: vec![empty; 1 << ENTRY_BITS].into_boxed_slice(),
        }
    }

    /// The number of tokens of `piece`: remembered, or `count_piece(piece)` (then remembered).
    #[inline]
    pub fn count(&mut self, piece: &[u8], count_piece: impl FnOnce(&[u8]) -> usize) -> usize {
        // one or two bytes: one look-up at most, in the rank table's dense array of pairs
        if piece.len() < 3 || piece.len() > MAX_PIECE {
            return count_piece(piece);
        }
        let entry = &mut self.entries[table_hash::slot(table_hash::hash(piece), ENTRY_BITS)];
        if entry.len as usize == piece.len() && &entry.bytes[..piece.len()] == piece {
            return entry.tokens as usize;
        }
        let tokens = count_piece(piece);
        entry.len = piece.len() as u8;
        entry.tokens = tokens as u8; // at most one token per byte
        entry.bytes[..piece.len()].copy_from_slice(piece);
        tokens
    }
}

thread_local! {
    static MEMOS: RefCell<[Option<Memo>; 2]> = const { RefCell::new([None, None]) };
}

/// Runs `f` with this thread's memo of `encoding`.
pub fn with<R>(encoding: Encoding, f: impl FnOnce(&mut Memo) -> R) -> R {
    MEMOS.with(|memos| {
        let mut memos = memos.borrow_mut();
        let memo = memos[encoding as usize].get_or_insert_with(Memo::new);
        f(memo)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_of(piece: &[u8]) -> usize {
        table_hash::slot(table_hash::hash(piece), ENTRY_BITS)
    }

    #[test]
    fn a_piece_seen_again_is_answered_without_counting() {
        let mut memo = Memo::new();
        assert_eq!(memo.count(b" hello", |_| 1), 1);
        assert_eq!(memo.count(b" hello", |_| unreachable!("remembered")), 1);
    }

    #[test]
    fn a_piece_is_answered_only_by_its_own_bytes() {
        let mut memo = Memo::new();
        // two different pieces of one length that share an entry
        let a = b"abcd".to_vec();
        let b = (0u32..)
            .map(|n| format!("{n:04}").into_bytes())
            .find(|b| b != &a && entry_of(b) == entry_of(&a))
            .unwrap();
        assert_eq!(memo.count(&a, |_| 2), 2);
        assert_eq!(memo.count(&b, |_| 3), 3, "not a's count");
        assert_eq!(memo.count(&a, |_| 2), 2, "counted again: b took the entry");
        assert_eq!(memo.count(&a[..3], |_| 1), 1, "a prefix is another piece");
    }

    #[test]
    fn short_and_long_pieces_are_always_counted() {
        let mut memo = Memo::new();
        let long = [b'x'; MAX_PIECE + 1];
        for piece in [&b"ab"[..], &long[..]] {
            let mut calls = 0;
            for _ in 0..2 {
                memo.count(piece, |_| {
                    calls += 1;
                    1
                });
            }
            assert_eq!(calls, 2);
        }
    }
}
