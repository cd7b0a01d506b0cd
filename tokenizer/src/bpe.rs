//! Byte-pair merging of one piece: how many tokens the encoding makes of it.
//!
//! The rule is OpenAI's: start from single bytes, and repeatedly merge the adjacent pair whose
//! merged bytes have the lowest rank (the leftmost, on a tie), until no adjacent pair is a token.
//! Short pieces scan for that pair on every step; long ones (a pasted run of letters, say a
//! million 'y's) take it from a heap instead, so a piece costs n log n, not n².
use crate::ranks::RankTable;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// From this many bytes on, a piece is merged through a heap (tiktoken's threshold too).
const LARGE_PIECE: usize = 100;

/// A part of the piece being merged: where it starts, and the rank of it merged with the next
/// part (`u32::MAX`: not a token).
#[derive(Clone, Copy)]
pub struct Part {
    start: usize,
    rank: u32,
}

/// The number of tokens `piece` encodes to. `parts` is scratch space, reused between pieces.
pub fn count_piece(table: &RankTable, piece: &[u8], parts: &mut Vec<Part>) -> usize {
    if piece.len() <= 1 || table.rank(piece).is_some() {
        return piece.len().min(1);
    }
    if piece.len() >= LARGE_PIECE {
        return count_large_piece(table, piece);
    }
    // parts[i] spans piece[parts[i].start .. parts[i + 1].start]; the last entry marks the end.
    parts.clear();
    parts.extend((0..piece.len() - 1).map(|i| Part {
        start: i,
        rank: pair_rank(table, piece, i, i + 2),
    }));
    parts.push(Part {
        start: piece.len() - 1,
        rank: u32::MAX,
    });
    parts.push(Part {
        start: piece.len(),
        rank: u32::MAX,
    });

    // The rank of parts[i] merged with parts[i + 1], once parts[i + 1] is gone (so it reaches to
    // parts[i + 3]'s start in today's numbering).
    let merged_rank = |parts: &[Part], i: usize| -> u32 {
        if i + 3 < parts.len() {
            pair_rank(table, piece, parts[i].start, parts[i + 3].start)
        } else {
            u32::MAX
        }
    };
    loop {
        let mut best = (u32::MAX, 0);
        for (i, p) in parts[..parts.len() - 1].iter().enumerate() {
            if p.rank < best.0 {
                best = (p.rank, i);
            }
        }
        if best.0 == u32::MAX {
            break;
        }
        let i = best.1;
        parts[i].rank = merged_rank(parts, i);
        if i > 0 {
            parts[i - 1].rank = merged_rank(parts, i - 1);
        }
        parts.remove(i + 1);
    }
    parts.len() - 1
}

#[inline]
fn pair_rank(table: &RankTable, piece: &[u8], start: usize, end: usize) -> u32 {
    table.rank(&piece[start..end]).unwrap_or(u32::MAX)
}

/// The same merges for a long piece: the parts form a linked list (by start byte), and a heap
/// holds every candidate pair as (rank, start), so the smallest is the lowest rank, leftmost on a
/// tie, exactly as the scan finds it. A pair whose part has since grown or gone is stale: its
/// part's current rank no longer equals it (a part only grows, so its rank never comes back).
fn count_large_piece(table: &RankTable, piece: &[u8]) -> usize {
    let n = piece.len();
    // next[s]: where the part starting at s ends; alive[s]: a part starts at s
    let mut next: Vec<usize> = (1..=n).collect();
    let mut prev: Vec<usize> = (0..n).map(|s| s.wrapping_sub(1)).collect();
    let mut alive = vec![true; n];
    let mut rank_of = vec![u32::MAX; n];
    let mut heap = BinaryHeap::with_capacity(n);
    for (s, rank) in rank_of[..n - 1].iter_mut().enumerate() {
        *rank = pair_rank(table, piece, s, s + 2);
        if *rank != u32::MAX {
            heap.push(Reverse((*rank, s)));
        }
    }
    let mut parts = n;
    // the rank of the part at s merged with the part after it
    let rank_with_next = |next: &[usize], s: usize| -> u32 {
        let end = next[s];
        if end < n {
            pair_rank(table, piece, s, next[end])
        } else {
            u32::MAX
        }
    };
    while let Some(Reverse((rank, s))) = heap.pop() {
        if !alive[s] || rank_of[s] != rank {
            continue;
        }
        // merge the part at s with the one after it
        let gone = next[s];
        alive[gone] = false;
        next[s] = next[gone];
        if next[s] < n {
            prev[next[s]] = s;
        }
        parts -= 1;
        rank_of[s] = rank_with_next(&next, s);
        if rank_of[s] != u32::MAX {
            heap.push(Reverse((rank_of[s], s)));
        }
        if s > 0 {
            let p = prev[s];
            rank_of[p] = rank_with_next(&next, p);
            if rank_of[p] != u32::MAX {
                heap.push(Reverse((rank_of[p], p)));
            }
        }
    }
    parts
}
