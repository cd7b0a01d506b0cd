//! The rank tables of the encodings, as read-only data in the library (laid out by build.rs).
//!
//! Nothing here is built at run time: the tables are bytes of the shared object, which the OS maps
//! once and shares between every process that loads it (in Postgres: every backend, whether or
//! not the library is preloaded). A process's first count touches a few pages of them, and
//! never writes one.
use crate::table_hash;

include!(concat!(env!("OUT_DIR"), "/rank_consts.rs"));

#[cfg(not(target_endian = "little"))]
compile_error!("the rank tables are laid out little-endian");

/// Bytes aligned for reading as `u32`s.
#[repr(C, align(8))]
struct Aligned<T: ?Sized>(T);

macro_rules! table {
    ($file:literal) => {{
        static DATA: &Aligned<[u8]> =
            &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/", $file)));
        &DATA.0
    }};
}

fn as_u32s(bytes: &'static [u8]) -> &'static [u32] {
    // SAFETY: `Aligned` puts the data at an 8-byte boundary, the length is a multiple of 4 (the
    // build script writes u32s), every bit pattern is a valid u32, and the data is never written.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<u32>(), bytes.len() / 4) }
}

/// One slot of the hash table, 16 bytes, so four share a cache line: a probe reads one line, and
/// a token of at most 8 bytes (most of them, and most of what byte-pair merging looks up) is
/// compared there, without reading `bytes`. Counting runs among the rest of an insert's work, with
/// the table out of the CPU's caches, so the cache misses per lookup are what it costs.
#[repr(C)]
struct Slot {
    /// 0: empty; else the rank in the low `RANK_BITS` bits and the token's length above them
    meta: u32,
    /// where the token's bytes start in `bytes`
    offset: u32,
    /// the token's first 8 bytes (little-endian), zero-padded
    head: u64,
}

/// One encoding's ordinary tokens: bytes by rank, and a hash table from bytes to rank.
pub struct RankTable {
    bytes: &'static [u8],
    /// `offsets[r]..offsets[r + 1]` are the bytes of rank `r`
    offsets: &'static [u32],
    /// open addressing, linear probing
    slots: &'static [Slot],
    slot_bits: u32,
    /// the rank of every two-byte token, by its bytes as a big-endian u16; u32::MAX for none
    pairs: &'static [u32],
}

fn as_slots(bytes: &'static [u8]) -> &'static [Slot] {
    // SAFETY: as for `as_u32s`: 8-byte aligned, a multiple of 16 bytes long (the build script
    // writes whole slots), every bit pattern is a valid `Slot`, and the data is never written.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<Slot>(), bytes.len() / 16) }
}

/// The first 8 bytes of `piece`, zero-padded, as a slot's `head` holds them.
#[inline]
fn head_of(piece: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    let n = piece.len().min(8);
    head[..n].copy_from_slice(&piece[..n]);
    u64::from_le_bytes(head)
}

impl RankTable {
    pub fn o200k_base() -> RankTable {
        let t = RankTable {
            bytes: table!("o200k_base.bytes"),
            offsets: as_u32s(table!("o200k_base.offsets")),
            slots: as_slots(table!("o200k_base.slots")),
            slot_bits: O200K_BASE_SLOT_BITS,
            pairs: as_u32s(table!("o200k_base.pairs")),
        };
        debug_assert_eq!(t.offsets.len(), O200K_BASE_RANKS + 1);
        t
    }

    pub fn cl100k_base() -> RankTable {
        let t = RankTable {
            bytes: table!("cl100k_base.bytes"),
            offsets: as_u32s(table!("cl100k_base.offsets")),
            slots: as_slots(table!("cl100k_base.slots")),
            slot_bits: CL100K_BASE_SLOT_BITS,
            pairs: as_u32s(table!("cl100k_base.pairs")),
        };
        debug_assert_eq!(t.offsets.len(), CL100K_BASE_RANKS + 1);
        t
    }

    /// The rank of the token whose bytes are `piece`, if it is one.
    #[inline]
    pub fn rank(&self, piece: &[u8]) -> Option<u32> {
        if let [a, b] = *piece {
            let rank = self.pairs[(a as usize) << 8 | b as usize];
            return (rank != u32::MAX).then_some(rank);
        }
        let mask = (1usize << self.slot_bits) - 1;
        let mut i = table_hash::slot(table_hash::hash(piece), self.slot_bits);
        let head = head_of(piece);
        loop {
            let slot = &self.slots[i];
            if slot.meta == 0 {
                return None;
            }
            if (slot.meta >> RANK_BITS) as usize == piece.len()
                && slot.head == head
                && (piece.len() <= 8 || self.tail_equals(slot.offset, piece))
            {
                return Some(slot.meta & ((1 << RANK_BITS) - 1));
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether the token at `offset` (of `piece`'s length, its first 8 bytes already equal)
    /// continues as `piece` does.
    #[inline]
    fn tail_equals(&self, offset: u32, piece: &[u8]) -> bool {
        let start = offset as usize + 8;
        self.bytes[start..start + piece.len() - 8] == piece[8..]
    }

    /// The bytes of rank `rank`.
    #[inline]
    pub fn token(&self, rank: u32) -> &'static [u8] {
        let r = rank as usize;
        &self.bytes[self.offsets[r] as usize..self.offsets[r + 1] as usize]
    }

    /// How many ordinary tokens the encoding has.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
