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

/// One encoding's ordinary tokens: bytes by rank, and a hash table from bytes to rank.
pub struct RankTable {
    bytes: &'static [u8],
    /// `offsets[r]..offsets[r + 1]` are the bytes of rank `r`
    offsets: &'static [u32],
    /// open addressing, linear probing; `rank + 1`, or 0 for an empty slot
    slots: &'static [u32],
    slot_bits: u32,
}

impl RankTable {
    pub fn o200k_base() -> RankTable {
        let t = RankTable {
            bytes: table!("o200k_base.bytes"),
            offsets: as_u32s(table!("o200k_base.offsets")),
            slots: as_u32s(table!("o200k_base.slots")),
            slot_bits: O200K_BASE_SLOT_BITS,
        };
        debug_assert_eq!(t.offsets.len(), O200K_BASE_RANKS + 1);
        t
    }

    pub fn cl100k_base() -> RankTable {
        let t = RankTable {
            bytes: table!("cl100k_base.bytes"),
            offsets: as_u32s(table!("cl100k_base.offsets")),
            slots: as_u32s(table!("cl100k_base.slots")),
            slot_bits: CL100K_BASE_SLOT_BITS,
        };
        debug_assert_eq!(t.offsets.len(), CL100K_BASE_RANKS + 1);
        t
    }

    /// The rank of the token whose bytes are `piece`, if it is one.
    #[inline]
    pub fn rank(&self, piece: &[u8]) -> Option<u32> {
        let mask = (1usize << self.slot_bits) - 1;
        let mut i = table_hash::slot(table_hash::hash(piece), self.slot_bits);
        loop {
            let entry = self.slots[i];
            if entry == 0 {
                return None;
            }
            let rank = entry - 1;
            if self.token(rank) == piece {
                return Some(rank);
            }
            i = (i + 1) & mask;
        }
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
